import pytest

from mentorat.matching.models import MatchRun
from mentorat.matching.parameters import RunParameters
from mentorat.matching.services import runs
from tests.matching.factories import cohort


@pytest.fixture
def run_for(cast):
    """`run_for(cohort)` executes a real run (engine included) and returns it."""

    def _run(c, **parameters) -> MatchRun:
        params = RunParameters(**({"hard_rules": ("different_organizations",)} | parameters))
        run, _created = runs.start_run(
            edition=c.edition, parameters=params, actor=cast.coordinator_a
        )
        runs.execute_run(run_id=run.pk)
        run.refresh_from_db()
        return run

    return _run


@pytest.fixture
def small(cast):
    return cohort(cast.org_a, mentees=3, mentors=2)
