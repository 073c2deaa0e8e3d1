"""The opportunities board from offer to outcome: a partner company posts an internship
for a lycée's mentees, a mentee shows interest, her mentor recommends her, the company
shortlists and accepts (the candidate is emailed each time) and records it as her
outcome; the partnership's commitments and report count it."""

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from mentorat.lib.errors import DomainError
from mentorat.mentorships.models import Outcome, Situation
from mentorat.opportunities import selectors, services
from mentorat.opportunities.models import Candidacy, CandidacyStatus, OpportunityStatus
from mentorat.organizations.models import (
    ApprovalStatus,
    OrganizationKind,
    Partnership,
    PartnershipKind,
    Role,
)
from mentorat.partnerships import selectors as partnership_selectors
from mentorat.partnerships.models import Agreement, Commitment, CommitmentKind
from mentorat.partnerships.selectors import school_year_of
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory, with_totp
from tests.mentorships.factories import MentorshipFactory, RunningEditionFactory
from tests.programs.factories import ProgramFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


class World:
    """Nexalis (company) in partnership with a lycée; a pair of the lycée's program
    (mentor Marc, mentee Inès); another lycée outside the partnership with its mentee."""

    def __init__(self) -> None:
        self.nexalis = OrganizationFactory(name="Nexalis", kind=OrganizationKind.COMPANY)
        self.lycee = OrganizationFactory(
            name="Lycée Jean-Moulin", kind=OrganizationKind.VOCATIONAL_SCHOOL
        )
        self.other = OrganizationFactory(name="Lycée Ailleurs")
        self.partnership = Partnership.objects.create(
            organization=self.nexalis,
            partner=self.lycee,
            kind=PartnershipKind.MENTOR_COMMITMENT,
            status="active",
        )
        self.contact = self.member("rh@nexalis.example", self.nexalis, Role.COORDINATOR)
        self.ly_coordinator = self.member("cpe@lycee.example", self.lycee, Role.COORDINATOR)
        self.mentee = self.member("ines@lycee.example", self.lycee, Role.MENTEE)
        self.mentor = self.member("marc@nexalis.example", self.nexalis, Role.MENTOR)
        self.outsider = self.member("zoe@ailleurs.example", self.other, Role.MENTEE)
        self.program = ProgramFactory(organization=self.lycee, name="Cap Avenir")
        self.pair = MentorshipFactory(
            edition=RunningEditionFactory(program=self.program),
            mentor=self.mentor,
            mentee=self.mentee,
        )

    @staticmethod
    def member(email: str, organization, role):
        user = UserFactory(email=email, first_name=email.split("@")[0].title())
        MembershipFactory(user=user, organization=organization, role=role)
        # Staff sign in with a second factor.
        return with_totp(user) if role in (Role.ADMIN, Role.COORDINATOR) else user

    def data(self, **changes) -> services.OpportunityData:
        fields = {
            "kind": "internship",
            "title": "Stage assistant·e comptable",
            "deadline": timezone.localdate() + timedelta(days=20),
            "place": "Lyon 7e",
            "rome_domain": "M",
            "description": "**Six semaines** <script>alert(1)</script>",
            "audience_organizations": (self.lycee,),
            "contact": self.contact,
        } | changes
        return services.OpportunityData(**fields)

    def publish(self, **changes):
        opportunity = services.save_opportunity(
            organization=self.nexalis, data=self.data(**changes), actor=self.contact
        )
        return services.publish_opportunity(opportunity=opportunity, actor=self.contact)


@pytest.fixture
def world() -> World:
    return World()


def test_from_offer_to_outcome(world, client_for, mailoutbox):
    opportunity = world.publish()
    mentee = client_for(world.mentee)
    board = mentee.get(reverse("opportunities:list")).content.decode()
    assert "Stage assistant·e comptable" in board
    page = mentee.get(reverse("opportunities:detail", args=[opportunity.pk])).content.decode()
    assert "<strong>Six semaines</strong>" in page
    assert "<script>" not in page  # the description is sanitised Markdown
    response = mentee.post(
        reverse("opportunities:apply", args=[opportunity.pk]),
        {"message": "La comptabilité me passionne."},
    )
    candidacy = Candidacy.objects.get()
    assert response.url == reverse("opportunities:candidacy", args=[candidacy.pk])

    mentor = client_for(world.mentor)
    mentor_board = mentor.get(reverse("opportunities:list")).content.decode()
    assert "Stage assistant·e comptable" in mentor_board  # her candidacy, to recommend
    mentor.post(reverse("opportunities:recommend", args=[candidacy.pk]))
    candidacy.refresh_from_db()
    assert candidacy.recommended_by == world.mentor

    company = client_for(world.contact)
    candidates = company.get(reverse("opportunities:candidates", args=[opportunity.pk]))
    assert "Recommended" in candidates.content.decode()
    url = reverse("opportunities:decide", args=[candidacy.pk])
    with TestCase.captureOnCommitCallbacks(execute=True):
        company.post(url, {"decision": "shortlist"})
    with TestCase.captureOnCommitCallbacks(execute=True):
        company.post(url, {"decision": "accept"})
    candidacy.refresh_from_db()
    assert candidacy.status == CandidacyStatus.ACCEPTED
    assert [m.to for m in mailoutbox] == [["ines@lycee.example"]] * 2
    assert "présélectionné" in mailoutbox[0].subject  # in her language
    assert "retenu" in mailoutbox[1].subject

    company.post(
        reverse("opportunities:outcome", args=[candidacy.pk]),
        {"situation": Situation.INTERNSHIP},
    )
    candidacy.refresh_from_db()
    outcome = Outcome.objects.get()
    assert (candidacy.outcome, outcome.mentorship, outcome.situation) == (
        outcome,
        world.pair,
        Situation.INTERNSHIP,
    )
    assert "Nexalis" in outcome.detail


def test_audience_only(world, client_for):
    opportunity = world.publish()
    outsider = client_for(world.outsider)
    assert "Stage" not in outsider.get(reverse("opportunities:list")).content.decode()
    assert outsider.get(reverse("opportunities:detail", args=[opportunity.pk])).status_code == 404
    # Through a program: a mentee accepted in an audience program sees it.
    program_offer = world.publish(audience_organizations=(), audience_programs=(world.program,))
    assert program_offer in selectors.open_for(world.mentee)
    assert program_offer not in selectors.open_for(world.outsider)
    # A class intervention request is for mentors and professionals, not for mentees.
    request = world.publish(kind="class_intervention", audience_organizations=(world.nexalis,))
    assert request in selectors.open_for(world.mentor)
    assert request not in selectors.open_for(world.mentee)


def test_audience_is_the_organisation_and_its_current_partners(world):
    with pytest.raises(DomainError, match="current partners") as error:
        world.publish(audience_organizations=(world.other,))
    assert "audience_organizations" in error.value.field_errors
    with pytest.raises(DomainError, match="at least one"):
        world.publish(audience_organizations=())


def test_a_pending_organisation_prepares_but_does_not_publish(world, client_for):
    world.nexalis.approval_status = ApprovalStatus.PENDING
    world.nexalis.save()
    opportunity = services.save_opportunity(
        organization=world.nexalis, data=world.data(), actor=world.contact
    )
    response = client_for(world.contact).post(
        reverse("opportunities:publish", args=[opportunity.pk]), follow=True
    )
    assert "waiting for the platform" in response.content.decode()
    opportunity.refresh_from_db()
    assert opportunity.status == OpportunityStatus.DRAFT
    assert not selectors.open_for(world.mentee).exists()


def test_form_errors_are_shown_not_500(world, client_for):
    client = client_for(world.contact)
    response = client.post(
        reverse("opportunities:new", args=[world.nexalis.slug]),
        {
            "kind": "internship",
            "title": "Stage",
            "deadline": str(timezone.localdate() + timedelta(days=5)),
            "places": "1",
            "starts_on": "2027-03-10",
            "ends_on": "2027-03-01",
            "audience_organizations": [world.lycee.pk],
        },
    )
    assert response.status_code == 200
    assert "choose a date after the start" in response.content.decode()


def test_places_interest_rules_and_filters(world):
    opportunity = world.publish(places=1)
    second = World.member("lea@lycee.example", world.lycee, Role.MENTEE)
    first = services.express_interest(
        opportunity=opportunity, candidate=world.mentee, message="Oui"
    )
    with pytest.raises(DomainError, match="already shown"):
        services.express_interest(opportunity=opportunity, candidate=world.mentee, message="Oui")
    with pytest.raises(DomainError, match="Message"):
        services.express_interest(opportunity=opportunity, candidate=second, message=" ")
    other = services.express_interest(opportunity=opportunity, candidate=second, message="Moi")
    services.decide_candidacy(candidacy=first, decision="accept", actor=world.contact)
    with pytest.raises(DomainError, match="already filled"):
        services.decide_candidacy(candidacy=other, decision="accept", actor=world.contact)
    with pytest.raises(DomainError, match="already been decided"):
        services.decide_candidacy(candidacy=first, decision="decline", actor=world.contact)

    world.publish(kind="job", title="Poste", place="Paris")
    found = selectors.open_for(world.mentee, selectors.Filters(kind="job"))
    assert [o.title for o in found] == ["Poste"]
    assert [o.title for o in selectors.open_for(world.mentee, selectors.Filters(place="lyon"))] == [
        opportunity.title
    ]
    services.close_opportunity(opportunity=opportunity, actor=world.contact)
    with pytest.raises(DomainError, match="no longer receives"):
        services.express_interest(opportunity=opportunity, candidate=second, message="Encore")


def test_commitments_and_report_count_offers_and_outcomes(world, client_for):
    year = school_year_of(timezone.localdate())
    agreement = Agreement.objects.create(partnership=world.partnership, school_year=year)
    Commitment.objects.create(
        agreement=agreement, organization=world.nexalis, kind=CommitmentKind.INTERNSHIPS, quantity=4
    )
    opportunity = world.publish(places=3, starts_on=timezone.localdate())
    candidacy = services.express_interest(
        opportunity=opportunity, candidate=world.mentee, message="Oui"
    )
    services.decide_candidacy(candidacy=candidacy, decision="accept", actor=world.contact)
    services.record_candidacy_outcome(candidacy=candidacy, actor=world.contact)

    [progress] = partnership_selectors.agreements_progress(agreements=Agreement.objects.all())
    [internships] = progress.sides[0].lines
    assert (internships.pledged, internships.enrolled, internships.matched) == (4, 3, 1)
    assert internships.enrolled_display == "3"  # places are not people: always shown
    assert internships.matched_display == "< 5"  # one person: hidden

    client = client_for(world.ly_coordinator)
    page = client.get(reverse("partnerships:report", args=[world.partnership.pk]))
    content = page.content.decode()
    assert "Offered by Nexalis to Lycée Jean-Moulin" in content
    assert "Internship (stage): &lt; 5" in content
    pdf = client.get(
        reverse("partnerships:report_pdf", args=[world.partnership.pk]), {"year": year}
    )
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Nexalis" in text
    assert "Internship" in text


def test_outcome_needs_an_accepted_offer_and_a_pair(world):
    opportunity = world.publish(kind="job_shadowing")
    candidacy = services.express_interest(
        opportunity=opportunity, candidate=world.mentee, message="Oui"
    )
    services.decide_candidacy(candidacy=candidacy, decision="accept", actor=world.contact)
    with pytest.raises(DomainError, match="Only an accepted internship"):
        services.record_candidacy_outcome(candidacy=candidacy, actor=world.contact)
    lone = World.member("solo@lycee.example", world.lycee, Role.MENTEE)
    job = world.publish(kind="job", title="Poste")
    candidacy = services.express_interest(opportunity=job, candidate=lone, message="Oui")
    services.decide_candidacy(candidacy=candidacy, decision="accept", actor=world.contact)
    with pytest.raises(DomainError, match="no pair"):
        services.record_candidacy_outcome(candidacy=candidacy, actor=world.contact)


def test_board_and_candidates_queries_do_not_grow(world, client_for):
    def count(client, url) -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    opportunity = world.publish()
    board = reverse("opportunities:list")
    candidates = reverse("opportunities:candidates", args=[opportunity.pk])
    mentee, company = client_for(world.mentee), None
    before = count(mentee, board)
    company = client_for(world.contact)
    before_candidates = count(company, candidates)
    for n in range(3):
        world.publish(title=f"Offre {n}")
        person = World.member(f"p{n}@lycee.example", world.lycee, Role.MENTEE)
        services.express_interest(opportunity=opportunity, candidate=person, message="Oui")
    assert count(client_for(world.mentee), board) == before
    assert count(client_for(world.contact), candidates) == before_candidates
