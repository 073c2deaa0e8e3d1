"""Every URL of the platform against every persona of the fixed cast.

`test_every_url_has_permission_cases` walks the URL configuration: a view added without a
case makes the suite fail. Each app lists its cases in `tests/<app>/permission_cases.py`
(a `CASES` dict); the generic ones are below. Cross-organisation requests must answer
404 (nothing leaks), same-organisation requests without the right role 403, anonymous
ones a redirect to the sign-in page.
"""

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from mentorat.organizations.models import Invitation, Role
from mentorat.organizations.services import invitation_token
from tests.conftest import PERSONAS, Cast
from tests.permissions import (
    ADMIN_OF_A,
    LOGIN,
    MEMBERS_OF_A_ONLY,
    STAFF_OF_A,
    Case,
    everyone,
    org_a,
)


def invitation_kwargs(cast: Cast) -> dict[str, str]:
    invitation = Invitation.objects.create(
        organization=cast.org_a,
        email="new@example.org",
        role=Role.MENTOR,
        invited_by=cast.coordinator_a,
        expires_at="2099-01-01T00:00:00Z",
    )
    return {"token": invitation_token(invitation)}


MATRIX: dict[str, Case] = {
    "web:home": Case(everyone(200)),
    "web:healthz": Case(everyone(200)),
    "web:set_language": Case(everyone(302), method="post", data={"language": "en", "next": "/"}),
    "legal:page": Case(everyone(200), kwargs=lambda cast: {"kind": "privacy"}),
    "organizations:list": Case(everyone(200) | {"anonymous": LOGIN}),
    "organizations:detail": Case(MEMBERS_OF_A_ONLY, kwargs=org_a),
    "organizations:members": Case(STAFF_OF_A, kwargs=org_a),
    "organizations:invite": Case(STAFF_OF_A, kwargs=org_a),
    "organizations:invitation": Case(everyone(200), kwargs=invitation_kwargs),
    "audit:organization_log": Case(ADMIN_OF_A, kwargs=org_a),
    "admin:index": Case(everyone(LOGIN) | {"platform_admin": 200}),
    "account_login": Case(everyone(200) | {p: 302 for p in PERSONAS if p != "anonymous"}),
    "account_signup": Case(everyone(200) | {p: 302 for p in PERSONAS if p != "anonymous"}),
    "account_email": Case(everyone(200) | {"anonymous": LOGIN}),
    "mfa_index": Case(everyone(200) | {"anonymous": LOGIN}),
}


def _app_cases() -> dict[str, Case]:
    cases: dict[str, Case] = {}
    for module in pkgutil.iter_modules(tests.__path__):
        if module.ispkg:
            try:
                found = importlib.import_module(f"tests.{module.name}.permission_cases")
            except ModuleNotFoundError:
                continue
            cases.update(found.CASES)
    return cases


MATRIX.update(_app_cases())

# Third-party views: allauth's account and two-factor pages are public or guard themselves
# (a sample is in MATRIX above); Django's admin checks `is_staff` on every page.
THIRD_PARTY_MODULES = (
    "allauth.",
    "django.contrib.admin.",
    "django.contrib.auth.admin.",
    "django.contrib.contenttypes.",
    "django.views.static",
)


def _walk(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", p.lookup_str


def test_every_url_has_permission_cases():
    ours = {
        name
        for name, module in _walk(get_resolver().url_patterns)
        if not module.startswith(THIRD_PARTY_MODULES)
    }
    missing = ours - MATRIX.keys()
    assert not missing, f"URLs without permission tests: {sorted(missing)}"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_permission_matrix(cast, client_for, url_name, persona):
    case = MATRIX[url_name]
    url = reverse(url_name, kwargs=case.kwargs(cast))
    client = client_for(cast.persona(persona))
    response = getattr(client, case.method)(url, case.data)
    expected = case.expected[persona]
    assert response.status_code == expected, (
        f"{persona} {case.method.upper()} {url}: {response.status_code}, expected {expected}"
    )
    if expected == LOGIN and persona == "anonymous" and url_name != "web:set_language":
        assert "login" in response["Location"]


def test_cross_organisation_404_goes_to_the_security_log(cast, client_for):
    from django.core.cache import cache

    from mentorat.audit.models import AuditEntry, SecurityEvent
    from mentorat.audit.pseudonyms import pseudonym_for

    cache.clear()
    client_for(cast.coordinator_b).get(reverse("organizations:detail", kwargs=org_a(cast)))
    event = SecurityEvent.objects.get(kind="access.organization.denied")
    assert event.user_pseudonym == pseudonym_for(cast.coordinator_b.pk)
    assert not AuditEntry.objects.filter(action__startswith="access.").exists()


def test_unknown_organisation_is_404_like_a_forbidden_one(cast, client_for):
    client = client_for(cast.coordinator_b)
    missing = client.get(reverse("organizations:detail", kwargs={"slug": "does-not-exist"}))
    forbidden = client.get(reverse("organizations:detail", kwargs=org_a(cast)))
    assert missing.status_code == forbidden.status_code == 404
