"""Permission cases of single sign-on: the configuration pages are for organisation A's
admins (and platform admins, as A's audit log); A's other members see A exists (403);
to everyone else they do not exist (404). The first step of signing in with an
organisation's provider is public."""

from django.utils import timezone

from mentorat.sso.models import Connection, EmailDomain
from tests.conftest import Cast
from tests.permissions import ADMIN_OF_A, Case, everyone, org_a


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
    domain = EmailDomain.objects.get_or_create(
        connection=connection_of_a(cast),
        domain="org-a.test",
        defaults={"verified_at": timezone.now()},
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
}
