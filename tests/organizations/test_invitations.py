import datetime as dt
import re

import pytest
import time_machine
from django.test import TestCase
from django.urls import reverse

from mentorat.audit.models import AuditEntry
from mentorat.organizations.models import Invitation, Membership, Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _invite(client, cast, email="nouvelle.mentore@example.org", role=Role.MENTOR):
    # The email is enqueued once the transaction commits: run those callbacks.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("organizations:invite", kwargs={"slug": cast.org_a.slug}),
            {"email": email, "role": role},
        )


def _link_path(mail) -> str:
    match = re.search(r"https?://[^/\s]+(/invitations/[^\s]+/)", mail.body)
    assert match, mail.body
    return match.group(1)


def test_coordinator_invites_a_mentor_who_signs_up_and_joins(client_for, cast, mailoutbox):
    client = client_for(cast.coordinator_a)
    response = _invite(client, cast)
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["nouvelle.mentore@example.org"]
    assert "Université A" in mail.subject
    path = _link_path(mail)
    assert AuditEntry.objects.filter(
        action="organizations.invitation.sent", organization=cast.org_a
    ).exists()

    client.logout()
    client.cookies["django_language"] = "fr"
    landing = client.get(path)
    assert landing.status_code == 200
    assert "Université A" in landing.content.decode()
    # Signing up with the invited address needs no second email check: the link proves it.
    client.post(
        reverse("account_signup"),
        {
            "email": "nouvelle.mentore@example.org",
            "password1": "un-mot-de-passe-solide",
            "password2": "un-mot-de-passe-solide",
            "first_name": "Nadia",
            "last_name": "Roussel",
            "accept_privacy": "on",
        },
    )
    assert "_auth_user_id" in client.session
    response = client.post(path)
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="nouvelle.mentore@example.org")
    assert (membership.organization, membership.role) == (cast.org_a, Role.MENTOR)
    # A second use of the same link is refused.
    again = client.get(path)
    assert again.status_code == 410
    assert "Cette invitation a déjà été utilisée." in again.content.decode()


def test_invitation_link_expires(client_for, cast, mailoutbox, settings):
    settings.INVITATION_VALID_DAYS = 14
    with time_machine.travel(dt.datetime(2026, 9, 1, 8, tzinfo=dt.UTC), tick=False) as t:
        _invite(client_for(cast.coordinator_a), cast)
        path = _link_path(mailoutbox[0])
        t.shift(dt.timedelta(days=15))
        response = client_for(None).get(path)
    assert response.status_code == 410


def test_tampered_link_is_refused(client_for, cast, mailoutbox):
    _invite(client_for(cast.coordinator_a), cast)
    path = _link_path(mailoutbox[0])
    response = client_for(None).get(path[:-3] + "xx/")
    assert response.status_code == 410


def test_invitation_must_be_accepted_by_the_invited_address(client_for, cast, mailoutbox):
    _invite(client_for(cast.coordinator_a), cast)
    path = _link_path(mailoutbox[0])
    intruder = UserFactory(email="someone.else@example.org")
    response = client_for(intruder).post(path, follow=True)
    assert not Membership.objects.filter(user=intruder).exists()
    assert "nouvelle.mentore@example.org" in response.content.decode()
    assert Invitation.objects.get().accepted_at is None


def test_coordinators_cannot_invite_admins_but_admins_can(client_for, cast, mailoutbox):
    response = _invite(client_for(cast.coordinator_a), cast, role=Role.ADMIN)
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert not Invitation.objects.exists()
    response = _invite(client_for(cast.admin_a), cast, role=Role.ADMIN)
    assert response.status_code == 302
    assert Invitation.objects.get().role == Role.ADMIN


def test_bad_email_is_reported_on_the_field(client_for, cast):
    response = _invite(client_for(cast.coordinator_a), cast, email="pas-un-email")
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert not Invitation.objects.exists()


def test_inviting_someone_who_already_has_the_role_is_refused(client_for, cast):
    response = _invite(client_for(cast.coordinator_a), cast, email=cast.mentor.email)
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not Invitation.objects.exists()


def test_invitation_email_follows_the_invitees_language(client_for, cast, mailoutbox):
    cast.outsider.language = "en"
    cast.outsider.save()
    _invite(client_for(cast.coordinator_a), cast, email=cast.outsider.email)
    assert "Invitation to join" in mailoutbox[0].subject
