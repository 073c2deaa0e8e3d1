from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentorat.applications.models import ApplicationStatus
from mentorat.audit.models import AuditEntry
from mentorat.organizations.models import Membership, PartnershipKind, Role
from mentorat.organizations.services import create_partnership
from tests.applications.factories import ApplicationFactory, ProfileFactory
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory, with_totp
from tests.programs.factories import EditionFactory


@pytest.fixture
def edition(cast):
    return EditionFactory(
        program__organization=cast.org_a, program__slug="insertion", program__name="Insertion"
    )


def review_url(application):
    return reverse(
        "applications:review",
        kwargs={"slug": application.edition.program.slug, "pk": application.pk},
    )


def list_url(edition):
    return reverse("applications:list", kwargs={"slug": edition.program.slug})


def test_accepting_emails_the_applicant_in_their_language_and_gives_the_role(
    cast, client_for, edition, mailoutbox, django_capture_on_commit_callbacks
):
    person = UserFactory(email="alex@example.org", language="en")
    application = ApplicationFactory(edition=edition, user=person, organization=None)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.coordinator_a).post(
            review_url(application), {"decision": "accept"}
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    assert application.decided_by == cast.coordinator_a
    assert application.accepted_at
    # Someone from outside joins the program's organisation as mentee.
    assert application.organization == cast.org_a
    assert Membership.objects.filter(
        user=person, organization=cast.org_a, role=Role.MENTEE
    ).exists()
    (mail,) = mailoutbox
    assert mail.to == ["alex@example.org"]
    assert "Welcome to Insertion!" in mail.subject
    assert "Hello," in mail.body
    assert 'lang="en"' in mail.alternatives[0][0]
    entry = AuditEntry.objects.get(action="applications.application.accepted")
    assert entry.actor == cast.coordinator_a
    assert entry.organization == cast.org_a


def test_declining_needs_a_reason_which_the_applicant_receives_in_french(
    cast, client_for, edition, mailoutbox, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(edition=edition, user=cast.mentee)
    client = client_for(cast.coordinator_a)
    response = client.post(review_url(application), {"decision": "decline", "reason": ""})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    with django_capture_on_commit_callbacks(execute=True):
        client.post(review_url(application), {"decision": "decline", "reason": "Programme complet"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECLINED
    (mail,) = mailoutbox
    assert "Bonjour," in mail.body
    assert "Programme complet" in mail.body
    assert AuditEntry.objects.filter(action="applications.application.declined").exists()


def test_asking_for_information_then_the_applicant_answers(
    cast, client_for, edition, mailoutbox, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(edition=edition, user=cast.mentee)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(cast.coordinator_a).post(
            review_url(application), {"decision": "request_info", "reason": "Quel master ?"}
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.INFO_REQUESTED
    assert "Quel master ?" in mailoutbox[0].body
    mine = reverse("applications:my_detail", kwargs={"pk": application.pk})
    client = client_for(cast.mentee)
    assert "Quel master ?" in client.get(mine).content.decode()
    client.post(mine, {"message": "Master MIAGE"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.answers["info_response"]["answer"] == "Master MIAGE"


def test_a_decided_application_cannot_be_decided_again(cast, client_for, edition):
    application = ApplicationFactory(edition=edition, status=ApplicationStatus.DECLINED)
    response = client_for(cast.coordinator_a).post(review_url(application), {"decision": "accept"})
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECLINED


def test_bulk_decision_skips_what_cannot_be_decided(
    cast, client_for, edition, mailoutbox, django_capture_on_commit_callbacks
):
    a, b = ApplicationFactory.create_batch(2, edition=edition)
    closed = ApplicationFactory(edition=edition, status=ApplicationStatus.WITHDRAWN)
    other_program = ApplicationFactory(edition=EditionFactory(program__organization=cast.org_a))
    client = client_for(cast.coordinator_a)
    client.cookies["django_language"] = "fr"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("applications:bulk_decide", kwargs={"slug": edition.program.slug}),
            {"decision": "waitlist", "applications": [a.pk, b.pk, closed.pk, other_program.pk]},
            follow=True,
        )
    statuses = {x.pk: x.status for x in type(a).objects.all()}
    assert statuses[a.pk] == statuses[b.pk] == ApplicationStatus.WAITLISTED
    assert statuses[closed.pk] == ApplicationStatus.WITHDRAWN
    assert statuses[other_program.pk] == ApplicationStatus.SUBMITTED
    page = response.content.decode()
    assert "2 candidatures traitées." in page
    assert closed.user.display_name in page
    assert len(mailoutbox) == 2


def test_bulk_decline_without_reason_is_refused(cast, client_for, edition):
    application = ApplicationFactory(edition=edition)
    client_for(cast.coordinator_a).post(
        reverse("applications:bulk_decide", kwargs={"slug": edition.program.slug}),
        {"decision": "decline", "applications": [application.pk]},
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_filters_by_status_role_organisation_field_and_date(cast, client_for, edition):
    old = ApplicationFactory(
        edition=edition, role="mentor", submitted_at=timezone.now() - timedelta(days=40)
    )
    ProfileFactory(user=old.user, rome_domain="C")
    new = ApplicationFactory(edition=edition, status=ApplicationStatus.WAITLISTED)
    ProfileFactory(user=new.user, rome_domain="M")
    client = client_for(cast.coordinator_a)

    def names(**params):
        response = client.get(list_url(edition), params)
        return {a["pk"] for a in response.context["page"]}

    assert names(status="waitlisted") == {new.pk}
    assert names(role="mentor") == {old.pk}
    assert names(rome_domain="C") == {old.pk}
    assert names(organization=cast.org_a.pk) == {old.pk, new.pk}
    since = (timezone.localdate() - timedelta(days=5)).isoformat()
    assert names(submitted_from=since) == {new.pk}
    assert names(q=new.user.email) == {new.pk}
    response = client.get(list_url(edition), {"submitted_from": "garbage"})
    assert response.status_code == 200


def test_application_list_query_count_is_constant(cast, client_for, edition):
    client = client_for(cast.coordinator_a)
    counts = []
    for n in (3, 30):
        for application in ApplicationFactory.create_batch(n, edition=edition):
            ProfileFactory(user=application.user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(list_url(edition))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 20


# Partner organisations -----------------------------------------------------------------------


@pytest.fixture
def partner_setup(cast, edition):
    partner = OrganizationFactory(name="Nexalis", slug="nexalis")
    create_partnership(
        organization=partner, partner=cast.org_a, kind=PartnershipKind.MENTOR_COMMITMENT
    )
    edition.program.shared_with.add(partner)
    coordinator_p = with_totp(UserFactory(email="coord-p@example.org"))
    MembershipFactory(user=coordinator_p, organization=partner, role=Role.COORDINATOR)
    partner_mentor = UserFactory(email="mentor-p@example.org")
    MembershipFactory(user=partner_mentor, organization=partner, role=Role.MENTOR)
    theirs = ApplicationFactory(
        edition=edition, user=partner_mentor, role="mentor", organization=partner
    )
    ours = ApplicationFactory(
        edition=edition,
        user=cast.mentee,
        organization=cast.org_a,
        is_minor=True,
        contact_through_platform_only=True,
    )
    return coordinator_p, theirs, ours


def test_partner_coordinator_sees_only_their_own_people(cast, client_for, edition, partner_setup):
    coordinator_p, theirs, ours = partner_setup
    client = client_for(coordinator_p)
    response = client.get(list_url(edition))
    assert response.status_code == 200
    assert {a["pk"] for a in response.context["page"]} == {theirs.pk}
    assert client.get(review_url(theirs)).status_code == 200
    assert client.get(review_url(ours)).status_code == 404
    # Partners follow; the owner decides.
    assert client.post(review_url(theirs), {"decision": "accept"}).status_code == 403
    assert (
        client.post(
            reverse("applications:bulk_decide", kwargs={"slug": edition.program.slug}),
            {"decision": "accept", "applications": [theirs.pk]},
        ).status_code
        == 403
    )
    # The owner's coordinator sees everyone.
    owner = client_for(cast.coordinator_a).get(list_url(edition))
    assert {a["pk"] for a in owner.context["page"]} == {theirs.pk, ours.pk}


def test_an_unrelated_coordinator_gets_404(cast, client_for, edition, partner_setup):
    _coordinator_p, theirs, _ours = partner_setup
    client = client_for(cast.coordinator_b)
    assert client.get(list_url(edition)).status_code == 404
    assert client.get(review_url(theirs)).status_code == 404


def test_a_minor_email_is_not_shown_to_partners(cast, client_for, edition):
    partner = OrganizationFactory(slug="partner")
    create_partnership(organization=partner, partner=cast.org_a, kind=PartnershipKind.JOINT_PROGRAM)
    edition.program.shared_with.add(partner)
    coordinator_p = with_totp(UserFactory())
    MembershipFactory(user=coordinator_p, organization=partner, role=Role.COORDINATOR)
    pupil = UserFactory(email="pupil@example.org")
    minor = ApplicationFactory(
        edition=edition,
        user=pupil,
        organization=partner,
        is_minor=True,
        contact_through_platform_only=True,
    )
    partner_page = client_for(coordinator_p).get(review_url(minor)).content.decode()
    assert "pupil@example.org" not in partner_page
    assert (
        "pupil@example.org" not in client_for(coordinator_p).get(list_url(edition)).content.decode()
    )
    assert (
        "pupil@example.org"
        in client_for(cast.coordinator_a).get(review_url(minor)).content.decode()
    )
