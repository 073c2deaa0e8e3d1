"""The erasure request flow: the person asks, organisation admins see it with its
deadline and any reason to keep data, and confirm (the person is erased and told) or
refuse with a reason (the person is told why)."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentorat.accounts.models import User
from mentorat.mentorships.models import Mentorship, MentorshipStatus
from mentorat.organizations.models import Role
from mentorat.privacy.erasure.models import ErasureRequest, ErasureStatus
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
    with_totp,
)
from tests.mentorships.factories import MentorshipFactory
from tests.privacy_erasure.scenario import build_world

PAGE = reverse("privacy:erasure_request")


def english(client):
    client.cookies["django_language"] = "en"
    return client


def detail_url(erasure_request: ErasureRequest, slug: str) -> str:
    return reverse(
        "privacy:erasure_request_detail", kwargs={"slug": slug, "pk": erasure_request.pk}
    )


@pytest.mark.django_db
def test_a_request_needs_the_box_and_the_password(cast, client_for):
    client = english(client_for(cast.mentee))

    page = client.get(PAGE)
    assert "What erasure does" in page.content.decode()
    assert cast.org_a.name in page.content.decode()

    response = client.post(PAGE, {"password": "wrong"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Confirmation: tick the box" in text
    assert "Password: this is not your password." in text
    assert not ErasureRequest.objects.exists()


@pytest.mark.django_db
def test_the_person_asks_and_the_admins_are_told(
    cast, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    client = english(client_for(cast.mentee))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PAGE, {"understood": "on", "password": PASSWORD})

    assert response.status_code == 302
    erasure_request = ErasureRequest.objects.get(person=cast.mentee)
    assert erasure_request.status == ErasureStatus.PENDING
    assert list(erasure_request.organizations.all()) == [cast.org_a]
    assert erasure_request.deadline.date() >= (timezone.now() + timedelta(days=28)).date()
    assert [m.to for m in mailoutbox] == [[cast.admin_a.email]]
    assert detail_url(erasure_request, cast.org_a.slug) in mailoutbox[0].body
    # Pending: the page offers to cancel, and a second request is refused.
    assert "Cancel my request" in client.get(PAGE).content.decode()
    client.post(PAGE, {"cancel": "1"})
    erasure_request.refresh_from_db()
    assert erasure_request.status == ErasureStatus.CANCELLED


@pytest.mark.django_db
def test_the_admin_sees_the_reasons_and_confirms(
    cast, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    pair = MentorshipFactory(mentee=cast.mentee, mentor=cast.mentor)
    pair.edition.program.organization = cast.org_a
    pair.edition.program.save()
    erasure_request = ErasureRequest.objects.create(
        person=cast.mentee, deadline=timezone.now() - timedelta(days=1)
    )
    erasure_request.organizations.add(cast.org_a)
    User.objects.filter(pk=cast.mentee.pk).update(language="en")  # the email's language
    admin = english(client_for(cast.admin_a))

    listing = admin.get(reverse("privacy:erasure_requests", kwargs={"slug": cast.org_a.slug}))
    assert "Overdue" in listing.content.decode()
    page = admin.get(detail_url(erasure_request, cast.org_a.slug)).content.decode()
    assert "1 mentoring pair is still running" in page

    address = cast.mentee.email
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(detail_url(erasure_request, cast.org_a.slug), {"decision": "confirm"})

    assert response.status_code == 302
    erasure_request.refresh_from_db()
    assert (erasure_request.status, erasure_request.decided_by) == (
        ErasureStatus.CONFIRMED,
        cast.admin_a,
    )
    person = User.objects.get(pk=cast.mentee.pk)
    assert not person.is_active
    assert person.email.endswith("@invalid")
    assert Mentorship.objects.get(pk=pair.pk).status == MentorshipStatus.ENDED
    assert [m.to for m in mailoutbox if "erased" in m.subject] == [[address]]
    # The person can no longer sign in.
    login = english(client_for(None)).post(
        reverse("account_login"), {"login": address, "password": PASSWORD}
    )
    assert login.status_code == 200
    assert "_auth_user_id" not in login.client.session


@pytest.mark.django_db
def test_a_refusal_needs_a_reason_and_tells_the_person(
    cast, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    erasure_request = ErasureRequest.objects.create(
        person=cast.mentee, deadline=timezone.now() + timedelta(days=30)
    )
    erasure_request.organizations.add(cast.org_a)
    User.objects.filter(pk=cast.mentee.pk).update(language="en")  # the email's language
    admin = english(client_for(cast.admin_a))
    url = detail_url(erasure_request, cast.org_a.slug)

    empty = admin.post(url, {"decision": "refuse", "reason": "  "})
    assert "Reason: explain why the data must be kept." in empty.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(url, {"decision": "refuse", "reason": "Litige en cours"})

    erasure_request.refresh_from_db()
    assert erasure_request.status == ErasureStatus.REFUSED
    (message,) = mailoutbox
    assert message.to == [cast.mentee.email]
    assert "Litige en cours" in message.body
    assert User.objects.get(pk=cast.mentee.pk).is_active
    assert "Litige en cours" in english(client_for(cast.mentee)).get(PAGE).content.decode()


@pytest.mark.django_db
def test_forbidden_people_cannot_confirm(cast, client_for):
    erasure_request = ErasureRequest.objects.create(
        person=cast.mentee, deadline=timezone.now() + timedelta(days=30)
    )
    erasure_request.organizations.add(cast.org_a)
    other = OrganizationFactory()
    MembershipFactory(user=cast.coordinator_b, organization=other, role=Role.ADMIN)

    url = detail_url(erasure_request, cast.org_a.slug)
    assert client_for(cast.coordinator_a).post(url, {"decision": "confirm"}).status_code == 403
    # An admin of another organisation, through their own organisation's address: 404.
    elsewhere = detail_url(erasure_request, other.slug)
    assert (
        client_for(cast.coordinator_b).post(elsewhere, {"decision": "confirm"}).status_code == 404
    )
    erasure_request.refresh_from_db()
    assert erasure_request.status == ErasureStatus.PENDING
    assert User.objects.get(pk=cast.mentee.pk).is_active


@pytest.mark.django_db
def test_without_any_organisation_the_erasure_is_immediate(client_for):
    person = UserFactory()
    client = client_for(person)

    response = client.post(PAGE, {"understood": "on", "password": PASSWORD})

    assert response.status_code == 302
    assert not User.objects.get(pk=person.pk).is_active
    assert ErasureRequest.objects.get(person=person).status == ErasureStatus.CONFIRMED
    assert client.get(PAGE).status_code == 302  # signed out


@pytest.mark.django_db
def test_admin_delete_of_a_paired_person_erases_them(client_for):
    world = build_world()
    pending = ErasureRequest.objects.create(
        person=world.person, deadline=timezone.now() + timedelta(days=30)
    )
    platform_admin = with_totp(UserFactory(is_staff=True, is_superuser=True))
    client = english(client_for(platform_admin))
    url = reverse("admin:accounts_user_delete", args=[world.person.pk])

    confirmation = client.get(url)
    assert confirmation.status_code == 200
    assert "pseudonymous record" in confirmation.content.decode()
    response = client.post(url, {"post": "yes"})

    assert response.status_code == 302
    person = User.objects.get(pk=world.person.pk)
    assert not person.is_active
    assert person.email == f"erased-{person.pk}@invalid"
    assert Mentorship.objects.filter(pk=world.mentorship.pk).exists()
    assert LogEntry.objects.filter(object_repr=f"erased-{person.pk}").exists()
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == (ErasureStatus.CONFIRMED, platform_admin)


@pytest.mark.django_db
def test_admin_bulk_delete_erases_each_person(client_for):
    world = build_world()
    platform_admin = with_totp(UserFactory(is_staff=True, is_superuser=True))
    client = client_for(platform_admin)
    url = reverse("admin:accounts_user_changelist")
    people = [world.person.pk, world.mentor.pk]

    confirmation = client.post(url, {"action": "delete_selected", "_selected_action": people})
    assert confirmation.status_code == 200
    assert "Cannot delete" not in confirmation.content.decode()
    client.post(url, {"action": "delete_selected", "_selected_action": people, "post": "yes"})

    assert not User.objects.filter(pk__in=people, is_active=True).exists()
    assert Mentorship.objects.filter(pk=world.mentorship.pk).exists()


@pytest.mark.django_db
def test_the_list_reads_a_fixed_number_of_queries(cast, client_for, django_assert_max_num_queries):
    def add_requests(count: int) -> None:
        for _ in range(count):
            person = UserFactory()
            MembershipFactory(user=person, organization=cast.org_a, role=Role.MENTEE)
            erasure_request = ErasureRequest.objects.create(
                person=person, deadline=timezone.now() + timedelta(days=30)
            )
            erasure_request.organizations.add(cast.org_a)

    url = reverse("privacy:erasure_requests", kwargs={"slug": cast.org_a.slug})
    client = client_for(cast.admin_a)
    add_requests(2)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add_requests(10)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert response.content.decode().count("/privacy/erasure/") >= 12
