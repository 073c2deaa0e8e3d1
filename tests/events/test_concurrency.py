"""Issue 21 acceptance: 20 people registering at the same moment for the last 5 places,
each in their own thread and database connection: exactly 5 get a place, 15 go on the
waiting list in distinct positions, never an over-booking (the event's row lock)."""

import threading

import pytest
from django.db import close_old_connections, connection

from mentorat.events import services
from mentorat.events.models import Registration, RegistrationStatus
from mentorat.organizations.models import Role
from tests.events.factories import make_event
from tests.factories import MembershipFactory, UserFactory

THREADS = 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_people_registering_for_the_last_five_places(cast):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    event = make_event(cast.org_a, capacity=10)
    for i in range(5):  # five places taken already
        holder = UserFactory(email=f"holder{i}@example.org")
        services.register(event=event, user=holder)
    people = []
    for i in range(THREADS):
        person = UserFactory(email=f"racer{i}@example.org")
        MembershipFactory(user=person, organization=cast.org_a, role=Role.MENTEE)
        people.append(person)
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def run(person) -> None:
        try:
            barrier.wait(timeout=30)
            services.register(event=event, user=person)
        except BaseException as error:
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    racers = Registration.objects.filter(event=event, user__in=people)
    assert racers.filter(status=RegistrationStatus.REGISTERED).count() == 5
    waiting = racers.filter(status=RegistrationStatus.WAITLISTED)
    assert waiting.count() == 15
    assert (
        Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED).count() == 10
    )
    positions = list(Registration.objects.filter(event=event).values_list("position", flat=True))
    assert len(set(positions)) == len(positions) == 25
