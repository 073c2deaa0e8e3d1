"""Signing in with OpenID Connect, end to end: django-oauth-toolkit's provider in a
second process, allauth's openid_connect provider in Mentorat's live server, the
authorization-code flow (with PKCE) followed over HTTP by `requests`."""

from urllib.parse import unquote

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.sessions.models import Session

from mentorat.accounts.middleware import PROVIDER_MFA_SESSION_KEY
from mentorat.accounts.models import User
from mentorat.audit.models import AuditEntry
from mentorat.organizations.models import Membership, Role
from mentorat.sso import services
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory, with_totp
from tests.sso.flows import (
    CLIENT_ID,
    CLIENT_SECRET,
    oidc_connection,
    sign_in_at_provider,
    start_with_email,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("in_english")]

PASSWORD = "provider-password-1"


@pytest.fixture
def acme(live_server, openid_provider):
    organization = OrganizationFactory(name="Acme", slug="acme")
    connection = oidc_connection(
        organization, openid_provider.issuer, domain="acme.test", default_role=Role.MENTOR
    )
    people = [
        {
            "username": "ada",
            "email": "ada@acme.test",
            "password": PASSWORD,
            "first_name": "Ada",
            "last_name": "Lovelace",
        },
        {"username": "bob", "email": "bob@acme.test", "password": PASSWORD},
        {"username": "cora", "email": "cora@acme.test", "password": PASSWORD},
        {"username": "cora-mfa", "email": "cora@acme.test", "password": PASSWORD, "mfa": True},
        {"username": "eve", "email": "eve@elsewhere.test", "password": PASSWORD},
        {
            "username": "bob-unchecked",
            "email": "bob@acme.test",
            "password": PASSWORD,
            "email_verified": False,
        },
    ]
    openid_provider.register(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        redirect_uri=f"{live_server.url}/accounts/oidc/{connection.key}/login/callback/",
        people=people,
    )
    return organization, connection


def _sign_in(live_server, email, username):
    browser, login_page = start_with_email(live_server.url, email)
    return browser, sign_in_at_provider(browser, login_page, username, PASSWORD)


def _session_data(browser) -> dict:
    return Session.objects.get(session_key=browser.cookies["sessionid"]).get_decoded()


def test_a_new_person_gets_an_account_and_joins_with_the_default_role(live_server, acme):
    organization, connection = acme
    browser, landed = _sign_in(live_server, "ada@acme.test", "ada")

    assert landed.status_code == 200
    assert landed.url == f"{live_server.url}/"
    ada = User.objects.get(email="ada@acme.test")
    assert (ada.first_name, ada.last_name) == ("Ada", "Lovelace")
    assert list(Membership.objects.filter(user=ada).values_list("organization", "role")) == [
        (organization.pk, Role.MENTOR)
    ]
    account = SocialAccount.objects.get(user=ada)
    assert account.provider == connection.key
    assert account.extra_data["id_token"]["amr"] == ["pwd"]
    # Signed in: the account pages answer instead of sending to the sign-in page.
    assert browser.get(f"{live_server.url}/accounts/email/", timeout=30).url.endswith(
        "/accounts/email/"
    )


def test_an_existing_account_is_linked_not_duplicated(live_server, acme):
    organization, connection = acme
    bob = UserFactory(email="bob@acme.test")
    assert EmailAddress.objects.filter(user=bob, verified=True).exists()
    MembershipFactory(user=bob, organization=organization, role=Role.MENTEE)

    _browser, landed = _sign_in(live_server, "bob@acme.test", "bob")

    assert landed.url == f"{live_server.url}/"
    assert User.objects.filter(email__iexact="bob@acme.test").count() == 1
    assert SocialAccount.objects.get(provider=connection.key).user == bob
    # Already a member: the role they had is kept, no second one given.
    assert list(Membership.objects.filter(user=bob).values_list("role", flat=True)) == [Role.MENTEE]
    assert AuditEntry.objects.filter(action="sso.account.linked", actor=bob).exists()
    # Their confirmed address was theirs: their password still works.
    bob.refresh_from_db()
    assert bob.has_usable_password()
    # The next time, the same account signs in.
    _sign_in(live_server, "bob@acme.test", "bob")
    assert SocialAccount.objects.filter(user=bob).count() == 1


def test_provider_mfa_stands_for_the_code_of_a_coordinator(live_server, acme):
    organization, _connection = acme
    cora = with_totp(UserFactory(email="cora@acme.test"))
    MembershipFactory(user=cora, organization=organization, role=Role.COORDINATOR)

    browser, landed = _sign_in(live_server, "cora@acme.test", "cora-mfa")

    assert landed.url == f"{live_server.url}/"
    assert _session_data(browser)[PROVIDER_MFA_SESSION_KEY] is True
    members = browser.get(
        f"{live_server.url}/organizations/{organization.slug}/members/", timeout=30
    )
    assert members.status_code == 200


def test_without_provider_mfa_a_coordinator_still_enters_their_code(live_server, acme):
    organization, _connection = acme
    cora = with_totp(UserFactory(email="cora@acme.test"))
    MembershipFactory(user=cora, organization=organization, role=Role.COORDINATOR)

    browser, landed = _sign_in(live_server, "cora@acme.test", "cora")

    assert landed.url == f"{live_server.url}/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in _session_data(browser)


def test_without_provider_mfa_a_coordinator_without_a_code_must_set_one_up(live_server, acme):
    organization, _connection = acme
    cora = UserFactory(email="cora@acme.test")
    EmailAddress.objects.filter(user=cora).update(verified=False)
    MembershipFactory(user=cora, organization=organization, role=Role.COORDINATOR)

    browser, landed = _sign_in(live_server, "cora@acme.test", "cora")

    # Signed in, but every page sends them to set up their code (after confirming it
    # is them: allauth asks again before adding a second factor).
    assert "/accounts/2fa/totp/activate/" in unquote(landed.url)
    assert _session_data(browser)[PROVIDER_MFA_SESSION_KEY] is False
    # Her address had never been confirmed: whoever chose that password cannot use it.
    cora.refresh_from_db()
    assert not cora.has_usable_password()
    members = browser.get(
        f"{live_server.url}/organizations/{organization.slug}/members/",
        allow_redirects=False,
        timeout=30,
    )
    assert members.headers["Location"] == "/accounts/2fa/totp/activate/"


def test_with_provider_mfa_a_coordinator_without_a_code_goes_on(live_server, acme):
    organization, _connection = acme
    cora = UserFactory(email="cora@acme.test")
    MembershipFactory(user=cora, organization=organization, role=Role.COORDINATOR)

    browser, landed = _sign_in(live_server, "cora@acme.test", "cora-mfa")

    assert landed.url == f"{live_server.url}/"
    members = browser.get(
        f"{live_server.url}/organizations/{organization.slug}/members/",
        allow_redirects=False,
        timeout=30,
    )
    assert members.status_code == 200


def test_an_address_outside_the_organisations_domains_is_refused(
    live_server, acme, openid_provider
):
    # The typed address is Acme's, but the provider signs in someone of another domain.
    browser, login_page = start_with_email(live_server.url, "someone@acme.test")
    refused = sign_in_at_provider(browser, login_page, "eve", PASSWORD)

    assert refused.status_code == 403
    assert "not one of Acme" in refused.text
    assert not User.objects.filter(email="eve@elsewhere.test").exists()


def test_an_address_without_a_provider_is_sent_back_to_the_password(live_server, acme):
    _browser, response = start_with_email(live_server.url, "someone@nowhere.test")

    assert response.url == f"{live_server.url}/accounts/login/"
    assert "use your password" in response.text


def test_an_address_the_provider_did_not_verify_links_no_existing_account(live_server, acme):
    organization, _connection = acme
    bob = UserFactory(email="bob@acme.test")
    MembershipFactory(user=bob, organization=organization, role=Role.COORDINATOR)

    _browser, refused = _sign_in(live_server, "bob@acme.test", "bob-unchecked")

    assert refused.status_code == 403
    assert "did not confirm that this address is verified" in refused.text
    assert not SocialAccount.objects.filter(user=bob).exists()
    assert not AuditEntry.objects.filter(action="sso.account.linked").exists()
    bob.refresh_from_db()
    assert bob.has_usable_password()


def test_a_provider_whose_domain_claim_is_unproven_cannot_take_over_an_account(
    live_server, openid_provider
):
    """The attack the DNS proof closes: B's admin claims A's domain for B's own provider
    (which will say anything B wants, email_verified included) and signs in as A's
    coordinator. The claim is not verified: no routing, no link, no session."""
    acme = OrganizationFactory(name="Acme", slug="acme")
    coordinator = UserFactory(email="boss@acme.test")
    MembershipFactory(user=coordinator, organization=acme, role=Role.COORDINATOR)
    intruder = OrganizationFactory(name="Intruder", slug="intruder")
    connection = oidc_connection(intruder, openid_provider.issuer, domain="intruder.test")
    services.add_domain(connection=connection, domain="acme.test")
    openid_provider.register(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        redirect_uri=f"{live_server.url}/accounts/oidc/{connection.key}/login/callback/",
        people=[{"username": "fake-boss", "email": "boss@acme.test", "password": PASSWORD}],
    )

    # Typing the address does not send it to the intruder's provider...
    _browser, response = start_with_email(live_server.url, "boss@acme.test")
    assert response.url == f"{live_server.url}/accounts/login/"
    # ...and starting from the intruder's own connection is refused on return.
    browser = requests.Session()
    login_page = browser.post(
        f"{live_server.url}/accounts/oidc/{connection.key}/login/",
        data={"csrfmiddlewaretoken": _csrf(browser, live_server.url)},
        headers={"Referer": f"{live_server.url}/accounts/login/"},
        timeout=30,
    )
    refused = sign_in_at_provider(browser, login_page, "fake-boss", PASSWORD)

    assert refused.status_code == 403
    assert "whose domain is not one of Intruder" in refused.text
    assert not SocialAccount.objects.filter(user=coordinator).exists()
    assert not User.objects.filter(email__iexact="boss@acme.test").exclude(pk=coordinator.pk)
    session = browser.cookies.get("sessionid")
    assert (
        session is None
        or "_auth_user_id" not in Session.objects.get(session_key=session).get_decoded()
    )


def _csrf(browser, base_url: str) -> str:
    browser.get(f"{base_url}/accounts/login/", timeout=30)
    return browser.cookies["csrftoken"]
