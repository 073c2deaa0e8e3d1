"""Every API operation × every persona's key × own and other organisation, and every
operation × the scopes its key lacks or holds. An operation without a case fails
`test_every_operation_has_cases`. The rules: tests/api/permission_cases.py."""

import pytest

from mentorat.api.models import Scope
from mentorat.api.v1 import api
from tests.api.helpers import call, key_for
from tests.api.permission_cases import OPERATIONS, key_organization, world
from tests.conftest import PERSONAS, Cast, make_cast, shared_scene
from tests.factories import MembershipFactory, UserFactory, with_totp
from tests.permissions import set_the_scene

pytestmark = pytest.mark.django_db


def _operation_ids() -> set[str]:
    schema = api.get_openapi_schema()
    return {op["operationId"] for path in schema["paths"].values() for op in path.values()}


def test_every_operation_has_cases():
    missing = _operation_ids() - OPERATIONS.keys()
    assert not missing, f"API operations without permission cases: {sorted(missing)}"
    assert not OPERATIONS.keys() - _operation_ids(), "cases for operations that do not exist"


def _send(client, cast, name, key, organization):
    operation = OPERATIONS[name]
    w = world(cast, organization)
    set_the_scene(cast)
    return call(
        client,
        operation.method,
        operation.path(w, organization),
        key=key,
        body=operation.body(w) if operation.method != "get" else None,
    )


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(OPERATIONS))
class TestOperationMatrix:
    """The cast, every persona and A's objects are made once for the whole matrix
    (`shared_scene`); each persona's key and call run in a savepoint rolled back after."""

    @pytest.fixture(scope="class")
    @classmethod
    def class_scene(cls, django_db_setup, django_db_blocker, tmp_path_factory):
        def build() -> Cast:
            cast = make_cast()
            for persona in PERSONAS:
                cast.persona(persona)
            world(cast, cast.org_a)
            set_the_scene(cast)
            return cast

        yield from shared_scene(build, django_db_blocker, tmp_path_factory)

    def test_operation_matrix(self, class_scene, db, client, name, persona):
        """Each persona's key (their own organisation, every scope) on A's objects."""
        cast = class_scene.value
        user = cast.persona(persona)
        key = None if user is None else key_for(user, key_organization(cast, persona))
        response = _send(client, cast, name, key, cast.org_a)
        expected = OPERATIONS[name].expected[persona]
        assert response.status_code == expected, (
            f"{persona} {name}: {response.status_code}, expected {expected}: "
            f"{response.content[:300]}"
        )
        if expected >= 400:
            assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_other_organisation_is_404_and_its_own_admin_gets_in(cast, client, name):
    """A's admin's key on B's objects: 404, as a page would answer; B's own admin's key
    on them gets what A's admin gets on A's."""
    if name in ("organization", "program_list", "event_list", "opportunity_list"):
        # The lists' contents: tests/api/test_events_and_opportunities.py.
        pytest.skip("about the key's own organisation: no other organisation's object")
    outsider_key = key_for(cast.admin_a, cast.org_a)
    assert _send(client, cast, name, outsider_key, cast.org_b).status_code == 404
    admin_b = with_totp(UserFactory(email="admin-b@example.org"))
    MembershipFactory(user=admin_b, organization=cast.org_b, role="admin")
    own = _send(client, cast, name, key_for(admin_b, cast.org_b), cast.org_b)
    assert own.status_code == OPERATIONS[name].expected["admin_a"], own.content[:300]


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_scopes(cast, client, name):
    """A key without the operation's scope gets 403; with only that scope, through."""
    needed = OPERATIONS[name].scope
    others = [s for s in Scope.values if s != needed]
    refused = _send(client, cast, name, key_for(cast.admin_a, cast.org_a, others), cast.org_a)
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"
    allowed = _send(client, cast, name, key_for(cast.admin_a, cast.org_a, [needed]), cast.org_a)
    assert allowed.status_code == OPERATIONS[name].expected["admin_a"], allowed.content[:300]
