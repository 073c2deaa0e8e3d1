import pytest
import time_machine

from tests.mentorships.clock import START, T0
from tests.mentorships.permission_cases import pair_of_a


@pytest.fixture
def pair(cast):
    """The cast's mentor and mentee, paired since `clock.START`."""
    with time_machine.travel(T0, tick=False):
        mentorship = pair_of_a(cast)
        mentorship.started_on = START
        mentorship.save()
    return mentorship
