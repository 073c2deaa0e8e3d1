"""Every page can be reached from the interface.

Walks the URL configuration like tests/test_permissions.py: each named URL must be linked
from at least one template (`{% url 'name' ... %}`, ours or allauth's, which the site
renders), or reversed in Python code that builds a link or a redirect, or be listed in
`NOT_LINKED` below with the reason it needs no link (reached from an email, an htmx or API
endpoint, the POST target of a form...). A new page nobody links to fails this test.
"""

import re
from pathlib import Path

import allauth
from django.urls import URLPattern, URLResolver, get_resolver

import mentorat

ROOT = Path(mentorat.__file__).parent
ALLAUTH_TEMPLATES = Path(allauth.__file__).parent / "templates"

EMAIL = "reachable only from a link in an email"

# Named URLs no template links to by name, and why that is fine.
NOT_LINKED: dict[str, str] = {
    "web:healthz": "health check for the load balancer and monitoring",
    "account_confirm_email": EMAIL,
    "account_reset_password_from_key": EMAIL,
    "account_reset_password_from_key_done": "allauth shows it after the password reset form",
    "account_reset_password_done": "allauth shows it after the reset request",
    "account_email_verification_sent": "allauth shows it after sign-up",
    "account_inactive": "allauth shows it when an inactive account signs in",
    "account_confirm_login_code": "allauth shows it during sign-in by code",
    "account_confirm_reauthentication_code": "allauth shows it during re-authentication",
    "account_request_reauthentication_code": "allauth shows it during re-authentication",
    "account_reauthenticate": "allauth sends there before a sensitive change",
    "mfa_authenticate": "allauth sends there during sign-in, after the password",
    "mfa_reauthenticate": "allauth sends there before a sensitive change",
    "mfa_download_recovery_codes": "allauth links it from the recovery codes page",
    "organizations:invitation": EMAIL,
    # Single sign-on (mentorat.sso): the sign-in page's "Sign in with your organisation"
    # form (sso:start) sends to the provider of the address typed, never by a link.
    "openid_connect_login": "sso:start redirects to the provider without a link",
    "saml_login": "sso:start redirects to the identity provider without a link",
    "saml_finish_acs": "allauth redirects there from the assertion consumer service",
    "saml_sls": "the identity provider's single logout calls it",
    "socialaccount_login_cancelled": "allauth shows it when a provider sign-in is cancelled",
    "socialaccount_login_error": "allauth shows it when a provider sign-in fails",
}
# Prefixes of names handled as a whole.
NOT_LINKED_PREFIXES: dict[str, str] = {
    "admin:": "Django admin: its index (menu 'Administration') links every page",
    "api:v1:": "REST API operations: called by programs, listed in the API's documentation "
    "page (linked from the API keys page) and its OpenAPI schema",
}

_URL_TAG = re.compile(r"""{%\s*url\s+['"]([\w:.-]+)['"]""")
_REVERSED = re.compile(
    r"""(?:reverse|reverse_lazy|redirect|resolve_url|absolute_url|build_absolute_uri)\(\s*['"]([\w:.-]+)['"]"""
)


def _walk(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}"


def _linked_names() -> set[str]:
    names: set[str] = set()
    for folder in (ROOT, ALLAUTH_TEMPLATES):
        for template in folder.rglob("*.html"):
            names |= set(_URL_TAG.findall(template.read_text(encoding="utf-8")))
        for template in folder.rglob("*.txt"):
            names |= set(_URL_TAG.findall(template.read_text(encoding="utf-8")))
    for module in ROOT.rglob("*.py"):
        if "migrations" in module.parts:
            continue
        source = module.read_text(encoding="utf-8")
        names |= set(_REVERSED.findall(source))
    return names


def test_every_named_url_is_linked_or_explained() -> None:
    names = set(_walk(get_resolver().url_patterns))
    linked = _linked_names()
    missing = sorted(
        name
        for name in names - linked - NOT_LINKED.keys()
        if not name.startswith(tuple(NOT_LINKED_PREFIXES))
    )
    assert not missing, (
        "Pages no template links to: link them, or list them in NOT_LINKED with a reason: "
        f"{missing}"
    )


def test_the_exceptions_are_still_urls() -> None:
    names = set(_walk(get_resolver().url_patterns))
    assert not NOT_LINKED.keys() - names, "NOT_LINKED lists URLs that no longer exist"
