"""Sign-in limits behind a reverse proxy: every limit keys on the client's address taken
from X-Forwarded-For as far as the proxies we trust wrote it, never on the proxy's own
address, and never on what the client wrote itself."""

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.urls import reverse

from mentorat.accounts.devices import COOKIE_NAME
from mentorat.audit.models import AuditEntry
from mentorat.lib.client_ip import client_ip
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"  # every request reaches the app from the proxy


@pytest.fixture
def behind_proxy(settings):
    """Production limits, one trusted reverse proxy."""
    settings.ACCOUNT_RATE_LIMITS = settings.LOGIN_RATE_LIMITS
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 5


def _browser(forwarded_for: str) -> Client:
    """A browser at `forwarded_for`, seen through the proxy (the client may prepend its
    own entries; the proxy appends the address it saw)."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"203.0.113.250, {forwarded_for}")


def _sign_in(client: Client, email: str, password: str):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_failures_from_many_addresses_do_not_block_anyone_else(behind_proxy):
    owner = UserFactory(email="owner@example.org")
    for i in range(90):
        response = _sign_in(_browser(f"10.1.0.{i}"), f"nobody{i}@example.org", "wrong-password-1")
        assert response.status_code == 200
    someone = _browser("198.51.100.7")
    response = _sign_in(someone, owner.email, PASSWORD)
    assert response.status_code == 302
    assert _signed_in(someone)


def test_five_bad_passwords_lock_only_that_address_out_of_that_account(behind_proxy):
    admin = UserFactory(email="admin@example.org", is_staff=True)
    other = UserFactory(email="other@example.org")
    attacker = _browser("192.0.2.66")
    logins = ["ADMIN@example.org", " Admin@Example.org"] + [admin.email] * 3  # one account
    statuses = [_sign_in(attacker, login, "bad-password-99").status_code for login in logins]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address) == ("admin@example.org", "192.0.2.66")
    audited = AuditEntry.objects.filter(action="accounts.login.failed")
    assert set(audited.values_list("ip_address", flat=True)) == {"192.0.2.66"}

    # The attacker's address is locked out of that account, even with the password…
    assert _sign_in(attacker, admin.email, PASSWORD).status_code == 429
    assert not _signed_in(attacker)
    # …but the owner, elsewhere, signs in, and the address may still use other accounts.
    owner = _browser("198.51.100.20")
    assert _sign_in(owner, admin.email, PASSWORD).status_code == 302
    assert _signed_in(owner)
    assert _sign_in(_browser("192.0.2.66"), other.email, PASSWORD).status_code == 302


def test_forwarded_header_is_ignored_without_a_trusted_proxy(settings):
    settings.ACCOUNT_RATE_LIMITS = settings.LOGIN_RATE_LIMITS
    settings.TRUSTED_PROXY_COUNT = 0
    user = UserFactory(email="target@example.org")
    # Direct clients forging a new X-Forwarded-For each time still share their address.
    for i in range(5):
        client = Client(REMOTE_ADDR="192.0.2.9", HTTP_X_FORWARDED_FOR=f"10.9.9.{i}")
        _sign_in(client, user.email, "bad-password-99")
    forged = Client(REMOTE_ADDR="192.0.2.9", HTTP_X_FORWARDED_FOR="10.9.9.200")
    assert _sign_in(forged, user.email, PASSWORD).status_code == 429
    assert AccessAttempt.objects.get().ip_address == "192.0.2.9"
    # Another address is not concerned.
    assert _sign_in(Client(REMOTE_ADDR="198.51.100.1"), user.email, PASSWORD).status_code == 302


def test_account_wide_ceiling_slows_a_spray_but_lets_the_owners_browser_in(behind_proxy):
    user = UserFactory(email="sprayed@example.org")
    usual = _browser("198.51.100.30")
    assert _sign_in(usual, user.email, PASSWORD).status_code == 302
    assert usual.cookies[COOKIE_NAME]["httponly"]
    device_cookie = usual.cookies[COOKIE_NAME].value

    # Ten failures from ten addresses: no address is locked, the account's budget is spent.
    for i in range(10):
        _sign_in(_browser(f"10.2.0.{i}"), user.email, "bad-password-99")
    stranger = _browser("10.2.0.77")
    response = _sign_in(stranger, user.email, PASSWORD)
    assert response.status_code == 200
    assert not _signed_in(stranger)
    errors = response.context["form"].non_field_errors().as_data()
    assert "too_many_login_attempts" in {error.code for error in errors}

    # The owner's usual browser (signed out since) counts apart and gets in.
    back = _browser("198.51.100.31")
    back.cookies[COOKIE_NAME] = device_cookie
    assert _sign_in(back, user.email, PASSWORD).status_code == 302
    assert _signed_in(back)

    # A device cookie names one account: it gives nothing for another.
    other = UserFactory(email="other@example.org")
    for i in range(10):
        _sign_in(_browser(f"10.3.0.{i}"), other.email, "bad-password-99")
    borrowed = _browser("198.51.100.32")
    borrowed.cookies[COOKIE_NAME] = device_cookie
    assert _sign_in(borrowed, other.email, PASSWORD).status_code == 200
    assert not _signed_in(borrowed)


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "10.0.0.1", "192.0.2.1"),  # no trusted proxy: the header is ignored
        (1, "10.0.0.1", "10.0.0.1"),
        (1, "6.6.6.6, 10.0.0.1", "10.0.0.1"),  # the client's own entry is skipped
        (2, "6.6.6.6, 10.0.0.1, 172.16.0.2", "10.0.0.1"),
        (2, "10.0.0.1", "10.0.0.1"),  # fewer entries than proxies: the first of ours
        (1, "", "192.0.2.1"),  # no header: a direct request
        (1, "not-an-address", "192.0.2.1"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_ip(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
