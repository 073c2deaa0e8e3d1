"""Permission cases of single sign-on: the configuration pages are for organisation A's
admins (and platform admins, as A's audit log); A's other members see A exists (403);
to everyone else they do not exist (404). The first step of signing in with an
organisation's provider is public."""

from django.utils import timezone

from mentorat.sso.models import Connection, DomainStatus, EmailDomain
from tests.conftest import Cast
from tests.permissions import ADMIN_OF_A, Case, everyone, org_a

# POST buttons: the allowed go back to the settings page (302).
ADMIN_OF_A_POST = ADMIN_OF_A | {"admin_a": 302, "platform_admin": 302}


def connection_of_a(cast: Cast) -> Connection:
    return Connection.objects.get_or_create(
        organization=cast.org_a,
        key="org-a-test",
        defaults={
            "protocol": "oidc",
            "name": "A's provider",
            "server_url": "https://id.org-a.test",
            "client_id": "mentorat",
            "client_secret": "secret-of-a",
        },
    )[0]


def connection_kwargs(cast: Cast) -> dict[str, str]:
    return {"pk": str(connection_of_a(cast).pk)}


def domain_kwargs(cast: Cast) -> dict[str, str]:
    # Verified already: checking it again asks no DNS server (and changes nothing).
    domain = EmailDomain.objects.get_or_create(
        connection=connection_of_a(cast),
        domain="org-a.test",
        defaults={"status": DomainStatus.VERIFIED, "verified_at": timezone.now(), "token": "t"},
    )[0]
    return {"pk": str(domain.pk)}


CASES: dict[str, Case] = {
    "sso:start": Case(everyone(200)),
    "sso:settings": Case(ADMIN_OF_A, kwargs=org_a),
    "sso:connection_new": Case(ADMIN_OF_A, kwargs=org_a, data={"protocol": "saml"}),
    "sso:connection_edit": Case(ADMIN_OF_A, kwargs=connection_kwargs),
    "sso:connection_delete": Case(ADMIN_OF_A, kwargs=connection_kwargs),
    "sso:domain_add": Case(ADMIN_OF_A, kwargs=connection_kwargs),
    "sso:domain_remove": Case(ADMIN_OF_A, kwargs=domain_kwargs),
    "sso:domain_check": Case(ADMIN_OF_A_POST, kwargs=domain_kwargs, method="post"),
    # Only a platform admin vouches for a domain; A's own admin proves it by DNS (403).
    "sso:domain_approve": Case(
        ADMIN_OF_A_POST | {"admin_a": 403}, kwargs=domain_kwargs, method="post"
    ),
}
