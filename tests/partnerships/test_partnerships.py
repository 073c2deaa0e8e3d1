"""Partnerships from proposal to end, agreements and their signatures and PDF, and the
commitments against what happened (with the reports' small-group rule)."""

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from mentorat.applications.models import ApplicationStatus
from mentorat.lib.errors import DomainError
from mentorat.mentorships.models import Mentorship
from mentorat.organizations.models import (
    ApprovalStatus,
    OrganizationKind,
    PartnershipStatus,
    Role,
)
from mentorat.partnerships import selectors, services
from mentorat.partnerships.models import Agreement, CommitmentKind
from mentorat.programs.services import partner_organizations
from tests.applications.factories import ApplicationFactory
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory, with_totp
from tests.programs.factories import EditionFactory, ProgramFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


@pytest.fixture
def world():
    """Nexalis (a company) and a lycée, each with an admin and a coordinator."""
    nexalis = OrganizationFactory(name="Nexalis", kind=OrganizationKind.COMPANY)
    lycee = OrganizationFactory(name="Lycée Jean-Moulin", kind=OrganizationKind.VOCATIONAL_SCHOOL)
    people = {}
    for org, prefix in ((nexalis, "nx"), (lycee, "ly")):
        for role in (Role.ADMIN, Role.COORDINATOR):
            user = with_totp(UserFactory(email=f"{prefix}-{role}@example.org"))
            MembershipFactory(user=user, organization=org, role=role)
            people[f"{prefix}_{role}"] = user
    return nexalis, lycee, people


def _propose(nexalis, lycee, people):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.propose_partnership(
            organization=nexalis,
            partner=lycee,
            kind="mentor_commitment",
            message="Nos ingénieur·es mentorent vos élèves",
            actor=people["nx_admin"],
        )


def test_propose_accept_share_and_end(world, mailoutbox):
    nexalis, lycee, people = world
    partnership = _propose(nexalis, lycee, people)
    assert partnership.status == PartnershipStatus.PROPOSED
    assert [m.to for m in mailoutbox] == [["ly-admin@example.org"]]
    assert partner_organizations(organization=lycee) == []  # not before it is accepted
    with pytest.raises(DomainError, match="already proposed or active"):
        _propose(lycee, nexalis, people)

    with TestCase.captureOnCommitCallbacks(execute=True):
        services.accept_partnership(partnership=partnership, actor=people["ly_admin"])
    assert mailoutbox[-1].to == ["nx-admin@example.org"]
    assert partner_organizations(organization=lycee) == [nexalis]
    program = ProgramFactory(organization=lycee)
    program.shared_with.add(nexalis)
    with pytest.raises(DomainError, match="already been answered"):
        services.decline_partnership(partnership=partnership, reason="x", actor=people["ly_admin"])

    services.end_partnership(partnership=partnership, actor=people["nx_admin"], reason="Fin")
    partnership.refresh_from_db()
    assert (partnership.status, partnership.ended_on) == ("ended", timezone.localdate())
    assert not program.shared_with.exists()  # sharing needs a current partnership
    assert partner_organizations(organization=lycee) == []
    with pytest.raises(DomainError):
        services.end_partnership(partnership=partnership, actor=people["nx_admin"])


def test_decline_needs_a_reason_and_pending_organisations_cannot_propose(world, mailoutbox):
    nexalis, lycee, people = world
    partnership = _propose(nexalis, lycee, people)
    with pytest.raises(DomainError, match="Reason"):
        services.decline_partnership(partnership=partnership, reason=" ", actor=people["ly_admin"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.decline_partnership(
            partnership=partnership, reason="Pas cette année", actor=people["ly_admin"]
        )
    assert "Pas cette année" in mailoutbox[-1].body
    # Declined: a new proposal is possible, but not from an organisation waiting.
    nexalis.approval_status = ApprovalStatus.PENDING
    nexalis.save()
    with pytest.raises(DomainError, match="waiting for the platform's approval"):
        _propose(nexalis, lycee, people)


def _agreement(partnership, nexalis, lycee, people, edition=None, **commitments):
    return services.save_agreement(
        partnership=partnership,
        school_year=None if edition else 2026,
        edition=edition,
        terms="Trois rencontres par trimestre.",
        commitments={
            (nexalis.pk, CommitmentKind.MENTORS): commitments.get("mentors", 12),
            (nexalis.pk, CommitmentKind.INTERNSHIPS): 4,
            (lycee.pk, CommitmentKind.MENTEES): commitments.get("mentees", 12),
        },
        actor=people["nx_admin"],
    )


def test_signing_withdrawal_and_pdf(world, client_for):
    nexalis, lycee, people = world
    partnership = _propose(nexalis, lycee, people)
    services.accept_partnership(partnership=partnership, actor=people["ly_admin"])
    agreement = _agreement(partnership, nexalis, lycee, people)
    sign = {"signatory_name": "Claire Martin", "signatory_role": "Proviseure"}
    services.sign_agreement(
        agreement=agreement, organization=lycee, actor=people["ly_admin"], **sign
    )
    # A change withdraws the signature given.
    agreement = services.save_agreement(
        partnership=partnership,
        agreement=agreement,
        school_year=2026,
        edition=None,
        terms="Trois rencontres par trimestre.",
        commitments={(nexalis.pk, CommitmentKind.MENTORS): 20, (lycee.pk, "mentees"): 20},
        actor=people["nx_admin"],
    )
    assert not agreement.signatures.exists()
    client = client_for(people["ly_admin"])
    response = client.post(reverse("partnerships:agreement_sign", args=[agreement.pk]), sign)
    assert response.status_code == 302
    client_for(people["nx_admin"]).post(
        reverse("partnerships:agreement_sign", args=[agreement.pk]),
        {"signatory_name": "Marc Dubois", "signatory_role": "DRH"},
    )
    with pytest.raises(DomainError, match="cannot change"):
        services.save_agreement(
            partnership=partnership,
            agreement=agreement,
            school_year=2026,
            edition=None,
            terms="",
            commitments={},
            actor=people["nx_admin"],
        )
    pdf = client_for(people["ly_coordinator"]).get(
        reverse("partnerships:agreement_pdf", args=[agreement.pk])
    )
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    for expected in ("Nexalis", "Lycée Jean-Moulin", "2026", "Claire Martin", "Marc Dubois", "20"):
        assert expected in text


def test_commitments_against_what_happened(world, client_for):
    nexalis, lycee, people = world
    partnership = _propose(nexalis, lycee, people)
    services.accept_partnership(partnership=partnership, actor=people["ly_admin"])
    program = ProgramFactory(organization=lycee)
    program.shared_with.add(nexalis)
    edition = EditionFactory(program=program)
    _agreement(partnership, nexalis, lycee, people, edition=edition)

    def enrol(organization, role, n, *, status=ApplicationStatus.ACCEPTED):
        return [
            ApplicationFactory(edition=edition, organization=organization, role=role, status=status)
            for _ in range(n)
        ]

    mentors = enrol(nexalis, "mentor", 6)
    enrol(nexalis, "mentor", 3, status=ApplicationStatus.SUBMITTED)  # not enrolled
    mentees = enrol(lycee, "mentee", 3)
    for mentor, mentee in zip(mentors, mentees, strict=False):
        Mentorship.objects.create(
            edition=edition,
            mentor_application=mentor,
            mentee_application=mentee,
            started_on=timezone.localdate(),
        )

    [progress] = selectors.agreements_progress(agreements=Agreement.objects.all())
    nx, ly = progress.sides
    mentors_line, internships = nx.lines
    assert (mentors_line.pledged, mentors_line.enrolled, mentors_line.matched) == (12, 6, 3)
    assert mentors_line.enrolled_display == "6"
    assert mentors_line.matched_display == "< 5"  # 3 people: hidden as in the reports
    # Internships are counted from the opportunities board: none offered yet.
    assert internships.tracked
    assert (internships.enrolled_display, internships.matched_display) == ("0", "0")
    [mentees_line] = ly.lines
    assert mentees_line.enrolled_display == "< 5"
    assert mentees_line.share is None
    # Behind schedule: the matching date (in 25 days) is not yet within the reminder window.
    today = timezone.localdate()
    assert progress.behind(today=today) == []
    soon = edition.matching_on - timedelta(days=3)
    assert {line.kind for _org, line in progress.behind(today=soon)} == {
        "mentors",
        "mentees",
        "internships",
    }

    page = client_for(people["ly_coordinator"]).get(
        reverse("partnerships:detail", args=[partnership.pk])
    )
    content = page.content.decode()
    assert "Enrolled or offered" in content
    assert "&lt; 5" in content


def test_reminders_go_to_both_sides_coordinators_once_a_week(world, mailoutbox):
    nexalis, lycee, people = world
    partnership = _propose(nexalis, lycee, people)
    services.accept_partnership(partnership=partnership, actor=people["ly_admin"])
    edition = EditionFactory(program=ProgramFactory(organization=lycee))
    _agreement(partnership, nexalis, lycee, people, edition=edition)
    mailoutbox.clear()
    before = edition.matching_on - timedelta(days=10)
    soon = before - timedelta(days=before.weekday())  # a Monday, 10 to 16 days before
    assert services.send_commitment_reminders(today=soon) == 1
    assert sorted(m.to[0] for m in mailoutbox) == [
        "ly-coordinator@example.org",
        "nx-coordinator@example.org",
    ]
    services.send_commitment_reminders(today=soon + timedelta(days=1))
    assert len(mailoutbox) == 2  # the same week: nothing again
    assert services.send_commitment_reminders(today=edition.matching_on + timedelta(days=1)) == 0


def test_detail_page_queries_do_not_grow_with_agreements(world, client_for):
    nexalis, lycee, people = world
    partnership = _propose(nexalis, lycee, people)
    services.accept_partnership(partnership=partnership, actor=people["ly_admin"])
    client = client_for(people["nx_coordinator"])
    url = reverse("partnerships:detail", args=[partnership.pk])

    def count() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def add_agreement() -> None:
        edition = EditionFactory(program=ProgramFactory(organization=lycee))
        _agreement(partnership, nexalis, lycee, people, edition=edition)
        ApplicationFactory(edition=edition, organization=nexalis, role="mentor", status="accepted")

    add_agreement()
    one = count()
    for _ in range(3):
        add_agreement()
    assert count() == one


def test_directory_lists_approved_organisations_only(world, client_for):
    nexalis, lycee, people = world
    OrganizationFactory(name="Lycée en attente", approval_status=ApprovalStatus.PENDING)
    response = client_for(people["nx_admin"]).get(
        reverse("partnerships:directory", args=[nexalis.slug]), {"q": "lycée"}
    )
    content = response.content.decode()
    assert "Lycée Jean-Moulin" in content
    assert "en attente" not in content
    propose = reverse("partnerships:propose", args=[nexalis.slug])
    assert f"{propose}?partner={lycee.slug}" in content
    page = client_for(people["nx_admin"]).get(propose, {"partner": lycee.slug})
    assert "Lycée Jean-Moulin" in page.content.decode()
