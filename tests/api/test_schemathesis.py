"""Schemathesis against the live schema served by a real HTTP server (pytest-django's
live server): at least 2,000 generated requests across every operation with a valid key
(all scopes), and not one server error, undocumented status, wrong content type or
response outside the schema.

Half of each operation's cases use the identifiers of real objects (the program, its
run, an application, a pair, an event, an opportunity), so that the generated requests
reach the code behind the 404s and exercise the pages' services with generated
parameters and bodies."""

from collections import Counter

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.helpers import key_for
from tests.api.permission_cases import world
from tests.permissions import set_the_scene

pytestmark = pytest.mark.django_db(transaction=True)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
MIN_REQUESTS = 2_000
# Per operation; operations without parameters are exhausted after a handful.
EXAMPLES = 110


def _fuzz(strategy, session, label, sent, statuses):
    """One operation's Hypothesis test: each case sent over HTTP and checked."""

    @given(case=strategy)
    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        response = case.call(session=session)
        statuses[response.status_code] += 1
        sent[label] += 1
        case.validate_response(response, checks=CHECKS)

    return run


# About 1.5 minutes of CPU; on a machine shared with other jobs, several times that.
@pytest.mark.timeout(900)
def test_generated_requests_find_no_error(live_server, cast, settings):
    settings.API_RATE_LIMIT = "1000000/m"
    # Runs are queued in the database, not run in the request (no worker here).
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    w = world(cast, cast.org_a)
    set_the_scene(cast)
    real = {
        "slug": w.slug,
        "pk": w.run.pk,
    }
    by_path = {
        "/programs/{slug}/applications/{pk}": {"slug": w.slug, "pk": w.mentee_id},
        "/programs/{slug}/applications/{pk}/profile": {"slug": w.slug, "pk": w.mentee_id},
        "/programs/{slug}/pairs/{pk}": {"slug": w.slug, "pk": w.pair.pk},
        "/programs/{slug}/editions/{pk}/runs": {"slug": w.slug, "pk": w.edition_id},
        "/organizations/{slug}": {"slug": cast.org_a.slug},
        "/events/{pk}": {"pk": w.event.pk},
        "/opportunities/{pk}": {"pk": w.opportunity.pk},
    }
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {key_for(cast.admin_a, cast.org_a)}"
    # The server's first answer imports and warms up a lot (seconds on a busy machine).
    assert requests.get(f"{live_server.url}/healthz", timeout=120).status_code == 200
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json", timeout=120)

    sent: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 23
    assert {"GET /api/v1/events/{pk}", "GET /api/v1/opportunities"} <= {
        op.label for op in operations
    }
    for operation in operations:
        names = {p.name for p in operation.path_parameters}
        strategies = [operation.as_strategy()]
        if names:
            fixed = by_path.get(operation.path.removeprefix("/api/v1"), real)
            strategies.append(
                operation.as_strategy(
                    path_parameters={k: v for k, v in fixed.items() if k in names}
                )
            )

        _fuzz(st.one_of(*strategies), session, operation.label, sent, statuses)()

    assert set(sent) == {op.label for op in operations}
    total = sum(sent.values())
    assert total >= MIN_REQUESTS, f"{total} requests: {sent}"
    # Real identifiers led somewhere: successes, not only refusals.
    assert statuses[200] > 100
