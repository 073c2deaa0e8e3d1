import pytest
import time_machine

from tests.reports.dataset import NOW, Dataset, build


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def dataset(cast, frozen) -> Dataset:
    return build(cast.org_a)
