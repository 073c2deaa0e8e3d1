"""Signing in with SAML 2.0, end to end: an identity provider built with pysaml2 (key
and certificate generated in the test) answers the AuthnRequest Mentorat sends; its
signed assertion is POSTed to allauth's assertion consumer service on the live server."""

import os
import shutil
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.contrib.sessions.models import Session

from mentorat.accounts.middleware import PROVIDER_MFA_SESSION_KEY
from mentorat.accounts.models import User
from mentorat.organizations.models import Membership, Role
from mentorat.sso import services
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory, with_totp
from tests.sso.flows import start_with_email, verified_domain
from tests.sso.saml_idp import MFA_CONTEXT, SSO_URL, SAMLIdentityProvider, encode

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("in_english")]


@pytest.fixture
def idp(tmp_path):
    # pysaml2 signs and checks XML with the xmlsec1 program.
    if shutil.which("xmlsec1") is None:
        reason = "xmlsec1 is not installed (apt-get install xmlsec1)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason}, and CI (REQUIRE_BROWSER=1) forbids skipping", pytrace=False)
        pytest.skip(reason)
    return SAMLIdentityProvider(tmp_path)


@pytest.fixture
def acme(idp):
    organization = OrganizationFactory(name="Acme", slug="acme")
    connection = services.save_connection(
        organization=organization,
        protocol="saml",
        values={
            "name": "Acme SAML",
            "enabled": True,
            "default_role": Role.MENTEE,
            "trust_provider_mfa": True,
        },
        metadata_xml=idp.metadata(),
    )
    verified_domain(connection, "acme.test")
    return organization, connection


def _sign_in(live_server, idp, email, **answer):
    browser, redirect = start_with_email(live_server.url, email, follow=False)
    assert redirect.status_code == 302
    location = urlsplit(redirect.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == SSO_URL
    query = parse_qs(location.query)
    acs_metadata = browser.get(
        f"{live_server.url}/accounts/saml/{answer.pop('key')}/metadata/", timeout=30
    )
    xml, acs_url = idp.answer(
        sp_metadata=acs_metadata.text,
        saml_request=query["SAMLRequest"][0],
        email=answer.pop("as_email", email),
        uid=answer.pop("uid", "grace-1"),
        **answer,
    )
    xml = answer_filter(xml)
    posted = browser.post(
        acs_url,
        data={"SAMLResponse": encode(xml), "RelayState": query.get("RelayState", [""])[0]},
        timeout=30,
    )
    return browser, posted


def answer_filter(xml):
    return xml


def _signed_in(browser) -> bool:
    key = browser.cookies.get("sessionid")
    session = Session.objects.filter(session_key=key).first() if key else None
    return bool(session and "_auth_user_id" in session.get_decoded())


def test_a_signed_assertion_signs_in_and_joins_the_organisation(live_server, idp, acme):
    organization, connection = acme
    browser, landed = _sign_in(live_server, idp, "grace@acme.test", key=connection.key)

    assert landed.url == f"{live_server.url}/"
    grace = User.objects.get(email="grace@acme.test")
    assert (grace.first_name, grace.last_name) == ("Grace", "Hopper")
    assert SocialAccount.objects.get(user=grace).provider == connection.key
    assert Membership.objects.get(user=grace, organization=organization).role == Role.MENTEE
    assert _signed_in(browser)


def test_the_metadata_page_is_our_service_provider(live_server, acme):
    _organization, connection = acme
    metadata = requests.get(
        f"{live_server.url}/accounts/saml/{connection.key}/metadata/", timeout=30
    )
    assert metadata.status_code == 200
    assert f"/accounts/saml/{connection.key}/acs/" in metadata.text
    assert 'WantAssertionsSigned="true"' in metadata.text


def test_a_multi_factor_context_stands_for_the_code(live_server, idp, acme):
    organization, connection = acme
    grace = with_totp(UserFactory(email="grace@acme.test"))
    MembershipFactory(user=grace, organization=organization, role=Role.COORDINATOR)

    browser, landed = _sign_in(
        live_server, idp, "grace@acme.test", key=connection.key, context=MFA_CONTEXT
    )

    assert landed.url == f"{live_server.url}/"
    session = Session.objects.get(session_key=browser.cookies["sessionid"]).get_decoded()
    assert session[PROVIDER_MFA_SESSION_KEY] is True
    # Linked to the existing account, not a second one.
    assert SocialAccount.objects.get(provider=connection.key).user == grace


def test_a_password_context_still_asks_a_coordinator_for_the_code(live_server, idp, acme):
    organization, connection = acme
    grace = with_totp(UserFactory(email="grace@acme.test"))
    MembershipFactory(user=grace, organization=organization, role=Role.COORDINATOR)

    browser, landed = _sign_in(live_server, idp, "grace@acme.test", key=connection.key)

    assert landed.url == f"{live_server.url}/accounts/2fa/authenticate/"
    assert not _signed_in(browser)


def test_an_unsigned_assertion_is_refused(live_server, idp, acme):
    _organization, connection = acme
    browser, answered = _sign_in(
        live_server, idp, "grace@acme.test", key=connection.key, signed=False
    )

    assert not _signed_in(browser)
    assert not User.objects.filter(email="grace@acme.test").exists()
    assert "Third-Party Login Failure" in answered.text or answered.status_code >= 400


def test_a_tampered_assertion_is_refused(live_server, idp, acme, monkeypatch):
    _organization, connection = acme
    # After signing, someone changes the address in the assertion.
    monkeypatch.setattr(
        "tests.sso.test_saml.answer_filter",
        lambda xml: xml.replace("grace@acme.test", "mallory@acme.test"),
    )
    browser, answered = _sign_in(live_server, idp, "grace@acme.test", key=connection.key)

    assert "mallory@acme.test" not in answered.text
    assert not _signed_in(browser)
    assert not User.objects.filter(email__in=["grace@acme.test", "mallory@acme.test"]).exists()
