"""A browser's part of signing in through an organisation's provider, over real HTTP:
`requests` follows the redirects between Mentorat (live_server) and the provider."""

import re
from urllib.parse import parse_qs, urlsplit

import requests

from mentorat.organizations.models import Organization
from mentorat.sso import services
from mentorat.sso.models import Connection, EmailDomain
from tests.factories import UserFactory

CLIENT_ID = "mentorat-test"
CLIENT_SECRET = "a-client-secret-of-the-test"


def oidc_connection(
    organization: Organization, issuer: str, *, domain: str, default_role: str = "mentee"
) -> Connection:
    connection = services.save_connection(
        organization=organization,
        protocol="oidc",
        values={
            "name": "Acme ID",
            "enabled": True,
            "default_role": default_role,
            "trust_provider_mfa": True,
            "preset": "generic",
            "server_url": issuer,
            "client_id": CLIENT_ID,
        },
        client_secret=CLIENT_SECRET,
    )
    verified_domain(connection, domain)
    return connection


def verified_domain(connection: Connection, domain: str) -> EmailDomain:
    """Claim `domain` for `connection` and have a platform admin approve it (the DNS
    proof has tests of its own, tests/sso/test_domain_verification.py)."""
    claim = services.add_domain(connection=connection, domain=domain)
    platform_admin = UserFactory(is_staff=True)
    return services.approve_domain(email_domain=claim, actor=platform_admin)


def start_with_email(
    base_url: str, email: str, *, follow: bool = True
) -> tuple[requests.Session, requests.Response]:
    """Type `email` in "Sign in with your organisation" on the sign-in page."""
    browser = requests.Session()
    sign_in_page = browser.get(f"{base_url}/accounts/login/", timeout=30)
    assert 'href="/accounts/sso/"' in sign_in_page.text
    browser.get(f"{base_url}/accounts/sso/", timeout=30)
    response = browser.post(
        f"{base_url}/accounts/sso/",
        data={"email": email, "csrfmiddlewaretoken": browser.cookies["csrftoken"]},
        headers={"Referer": f"{base_url}/accounts/sso/"},
        timeout=30,
        allow_redirects=follow,
    )
    return browser, response


def sign_in_at_provider(
    browser: requests.Session, login_page: requests.Response, username: str, password: str
) -> requests.Response:
    """Fill in the provider's sign-in form; the redirects lead back to Mentorat."""
    assert urlsplit(login_page.url).path == "/login/", login_page.url
    next_url = parse_qs(urlsplit(login_page.url).query)["next"][0]
    return browser.post(
        login_page.url,
        data={
            "username": username,
            "password": password,
            "next": next_url,
            "csrfmiddlewaretoken": browser.cookies["idp_csrftoken"],
        },
        headers={"Referer": login_page.url},
        timeout=60,
    )


def csrf_of(page: requests.Response) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert found, page.text[:500]
    return found.group(1)
