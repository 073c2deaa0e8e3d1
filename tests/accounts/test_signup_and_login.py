import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from mentorat.accounts.models import User
from mentorat.audit.models import AuditEntry
from mentorat.legal.selectors import current_version
from mentorat.legal.services import publish_legal_page
from tests.factories import PASSWORD, TOTP_SECRET, UserFactory, with_totp

pytestmark = pytest.mark.django_db


def _signup(client, **overrides):
    data = {
        "email": "lea.martin@example.org",
        "password1": "un-mot-de-passe-solide",
        "password2": "un-mot-de-passe-solide",
        "first_name": "Léa",
        "last_name": "Martin",
        "accept_privacy": "on",
    } | overrides
    return client.post(reverse("account_signup"), data)


def test_signup_records_the_privacy_notice_version_and_asks_to_verify_email(client, mailoutbox):
    publish_legal_page(
        kind="privacy", title_fr="Confidentialité", title_en="Privacy", body_fr="v2", body_en="v2"
    )
    response = _signup(client)
    assert response.status_code == 302
    user = User.objects.get(email="lea.martin@example.org")
    assert user.first_name == "Léa"
    assert user.privacy_notice_version == current_version(kind="privacy")
    assert user.privacy_notice_version.version == 2
    assert user.privacy_notice_accepted_at is not None
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["lea.martin@example.org"]
    # The verification link in the email confirms the address.
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", mailoutbox[0].body)
    assert link
    path = link.group(0).split("://", 1)[1].split("/", 1)[1]
    client.post("/" + path)
    assert EmailAddress.objects.get(user=user).verified


def test_signup_refuses_without_privacy_acceptance(client):
    response = _signup(client, accept_privacy="")
    assert response.status_code == 200
    assert not User.objects.filter(email="lea.martin@example.org").exists()
    assert "accept_privacy" in response.context["form"].errors


def test_passwords_need_twelve_characters(client):
    response = _signup(client, password1="Court-123", password2="Court-123")
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["password1"])
    assert "12" in errors
    assert not User.objects.filter(email="lea.martin@example.org").exists()


def test_unverified_email_cannot_sign_in(client):
    user = UserFactory(email="new@example.org")
    EmailAddress.objects.filter(user=user).update(verified=False)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "confirm-email" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_login_and_failure_are_audited(client):
    user = UserFactory(email="mentee@example.org")
    client.post(reverse("account_login"), {"login": user.email, "password": "wrong-password-1"})
    failed = AuditEntry.objects.get(action="accounts.login.failed")
    assert failed.actor_label == "mentee@example.org"
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="accounts.login.succeeded", actor=user).exists()


def test_repeated_failures_lock_the_account_with_429(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = UserFactory(email="target@example.org")
    for _ in range(3):
        client.post(reverse("account_login"), {"login": user.email, "password": "bad-password-99"})
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="accounts.login.locked_out").exists()


def test_coordinator_without_two_factor_is_sent_to_set_it_up(client_for, cast):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.filter(user=cast.coordinator_a).delete()
    client = client_for(cast.coordinator_a)
    response = client.get(reverse("organizations:list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # Mentors and mentees are not forced.
    assert client_for(cast.mentee).get(reverse("organizations:list")).status_code == 200


def test_coordinator_signs_in_with_a_totp_code(client, cast):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    response = client.post(
        reverse("account_login"), {"login": cast.coordinator_a.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session
    import time

    code = format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == cast.coordinator_a.pk


def test_sessions_end_after_thirty_idle_minutes_but_not_while_active(client_for, cast):
    import datetime as dt

    import time_machine

    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        client = client_for(cast.mentee)
        for _ in range(3):  # active every 20 minutes: still signed in after an hour
            traveller.shift(dt.timedelta(minutes=20))
            assert client.get(reverse("organizations:list")).status_code == 200
        traveller.shift(dt.timedelta(minutes=31))
        response = client.get(reverse("organizations:list"))
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_password_reset_sends_a_link(client, mailoutbox):
    user = with_totp(UserFactory(email="forgetful@example.org"))
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/accounts/password/reset/key/" in mailoutbox[0].body
