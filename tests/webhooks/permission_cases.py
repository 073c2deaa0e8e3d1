"""Permission cases of webhooks: an organisation's admins (and platform admins) only;
A's other members are refused (403), everyone else cannot tell the pages exist (404)."""

from collections.abc import Callable

from mentorat.organizations.models import Role
from mentorat.webhooks.models import Delivery, Endpoint
from tests.conftest import Cast
from tests.factories import MembershipFactory, OrganizationFactory
from tests.permissions import ADMIN_OF_A, Case, org_a

DONE = ADMIN_OF_A | {"admin_a": 302, "platform_admin": 302}


def endpoint_kwargs(cast: Cast) -> dict[str, str]:
    endpoint = Endpoint.objects.create(
        organization=cast.org_a,
        url="https://hooks.example.org/mentorat",
        event_types=["pair.closed"],
        secret="whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0",
    )
    return {"slug": cast.org_a.slug, "pk": str(endpoint.pk)}


def delivery_kwargs(cast: Cast) -> dict[str, str]:
    kwargs = endpoint_kwargs(cast)
    delivery = Delivery.objects.create(
        endpoint_id=int(kwargs["pk"]),
        message_id="msg_permission_case",
        event_type="pair.closed",
        payload={"type": "pair.closed"},
        status="failed",
    )
    return kwargs | {"delivery_pk": str(delivery.pk)}


NEW_ENDPOINT = {
    "url": "https://hooks.example.org/new",
    "event_types": "pair.closed",
    "description": "",
}

CASES: dict[str, Case] = {
    "webhooks:list": Case(ADMIN_OF_A, kwargs=org_a),
    "webhooks:new": Case(ADMIN_OF_A, kwargs=org_a),
    "webhooks:detail": Case(ADMIN_OF_A, kwargs=endpoint_kwargs),
    "webhooks:edit": Case(ADMIN_OF_A, kwargs=endpoint_kwargs),
    "webhooks:delivery": Case(ADMIN_OF_A, kwargs=delivery_kwargs),
    "webhooks:delete": Case(DONE, kwargs=endpoint_kwargs, method="post"),
    "webhooks:rotate": Case(DONE, kwargs=endpoint_kwargs, method="post"),
    "webhooks:active": Case(DONE, kwargs=endpoint_kwargs, method="post", data={"active": "0"}),
    "webhooks:test": Case(DONE, kwargs=endpoint_kwargs, method="post"),
    "webhooks:replay": Case(DONE, kwargs=delivery_kwargs, method="post"),
}


# Mismatch worlds: an endpoint (and one of its deliveries) of organisation A, then of
# another organisation A's admin also runs.
def endpoint_world(cast: Cast, n: int) -> dict[str, str]:
    organization = cast.org_a
    if n > 1:
        organization = OrganizationFactory(name=f"Organisation {n}", slug=f"org-hooks-{n}")
        MembershipFactory(user=cast.admin_a, organization=organization, role=Role.ADMIN)
    endpoint = Endpoint.objects.create(
        organization=organization,
        url=f"https://hooks.example.org/{n}",
        event_types=["pair.closed"],
        secret="whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0",
    )
    return {"slug": organization.slug, "pk": str(endpoint.pk)}


def delivery_world(cast: Cast, n: int) -> dict[str, str]:
    kwargs = endpoint_world(cast, n)
    delivery = Delivery.objects.create(
        endpoint_id=int(kwargs["pk"]),
        message_id=f"msg_world_{n}",
        event_type="pair.closed",
        payload={"type": "pair.closed"},
        status="failed",
    )
    return kwargs | {"delivery_pk": str(delivery.pk)}


World = tuple[Callable[[Cast, int], dict[str, str]], str]
_ENDPOINT_PAGES = (
    "webhooks:detail",
    "webhooks:edit",
    "webhooks:delete",
    "webhooks:rotate",
    "webhooks:active",
    "webhooks:test",
)
MISMATCH_WORLDS: dict[str, World] = dict.fromkeys(_ENDPOINT_PAGES, (endpoint_world, "admin_a")) | {
    "webhooks:delivery": (delivery_world, "admin_a"),
    "webhooks:replay": (delivery_world, "admin_a"),
}
