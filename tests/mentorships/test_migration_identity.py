"""Migrations 0002–0004: pairs move from two users to the two applications of their edition.

Demo-shaped data is written at the state before (pairs naming users), the migrations run,
and every pair must keep its two people and point at the application of each one in the
pair's own edition: a person taking part in two editions or two programs keeps separate
pairs, each tied to the right application."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from mentorat.applications.models import Application
from mentorat.mentorships.models import Mentorship
from tests.applications.factories import ApplicationFactory
from tests.factories import UserFactory
from tests.programs.factories import EditionFactory, ProgramFactory

BEFORE = [("mentorships", "0001_initial")]
AFTER = [("mentorships", "0004_mentorship_drop_user_columns")]


def migrate(targets: list[tuple[str, str]]):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def before_identity(transactional_db):
    """The database at the state before, given back at the latest state afterwards."""
    apps = migrate(BEFORE)
    yield apps
    latest()


def test_every_pair_keeps_its_two_people_and_points_at_their_applications(before_identity):
    apps = before_identity
    today = timezone.localdate()
    program = ProgramFactory()
    past = EditionFactory(
        program=program,
        applications_open_on=today - timedelta(days=400),
        applications_close_on=today - timedelta(days=380),
        matching_on=today - timedelta(days=370),
        starts_on=today - timedelta(days=360),
        ends_on=today - timedelta(days=180),
    )
    running = EditionFactory(program=program)
    other_program = EditionFactory()
    ines, thomas, lea, karim, sam = (UserFactory() for _ in range(5))

    def apply(edition, user, role):
        return ApplicationFactory(edition=edition, user=user, role=role, status="accepted")

    # Inès is a mentee in two editions of the program, with Thomas as mentor both times;
    # in another program she mentors Sam. Léa was Inès's first mentor in the running
    # edition ("not a good fit"), then Karim's.
    applications = {
        ("ines", "past"): apply(past, ines, "mentee"),
        ("thomas", "past"): apply(past, thomas, "mentor"),
        ("ines", "running"): apply(running, ines, "mentee"),
        ("thomas", "running"): apply(running, thomas, "mentor"),
        ("lea", "running"): apply(running, lea, "mentor"),
        ("karim", "running"): apply(running, karim, "mentee"),
        ("ines", "other"): apply(other_program, ines, "mentor"),
        ("sam", "other"): apply(other_program, sam, "mentee"),
    }
    Pair = apps.get_model("mentorships", "Mentorship")

    def pair(edition, mentor, mentee, **fields):
        return Pair.objects.create(
            edition_id=edition.pk,
            mentor_id=mentor.pk,
            mentee_id=mentee.pk,
            started_on=edition.starts_on,
            **fields,
        ).pk

    ended = {"status": "ended", "ended_on": today - timedelta(days=200)}
    expected = {
        pair(past, thomas, ines, **ended): ("thomas", "ines", "past"),
        pair(running, lea, ines, status="ended", end_reason="not_a_fit"): (
            "lea",
            "ines",
            "running",
        ),
        pair(running, thomas, ines): ("thomas", "ines", "running"),
        pair(running, lea, karim): ("lea", "karim", "running"),
        pair(other_program, ines, sam): ("ines", "sam", "other"),
    }
    # A pair written by hand, without applications (shell, admin): not lost.
    orphan_mentor, orphan_mentee = UserFactory(), UserFactory()
    orphan = pair(running, orphan_mentor, orphan_mentee)
    people = {"ines": ines, "thomas": thomas, "lea": lea, "karim": karim, "sam": sam}

    migrate(AFTER)

    for pk, (mentor, mentee, edition) in expected.items():
        found = Mentorship.objects.select_related(
            "mentor_application__user", "mentee_application__user"
        ).get(pk=pk)
        assert (found.mentor, found.mentee) == (people[mentor], people[mentee])
        assert found.mentor_application == applications[(mentor, edition)]
        assert found.mentee_application == applications[(mentee, edition)]
        assert found.mentor_application.edition_id == found.edition_id
    found = Mentorship.objects.get(pk=orphan)
    assert (found.mentor, found.mentee) == (orphan_mentor, orphan_mentee)
    assert found.mentee_application.edition_id == running.pk
    assert (found.mentee_application.role, found.mentee_application.source) == (
        "mentee",
        "migration",
    )
    assert Application.objects.filter(source="migration").count() == 2
    # The constraint moved with the same meaning: one active pair per mentee and edition.
    with pytest.raises(IntegrityError), transaction.atomic():
        Mentorship.objects.create(
            edition=running,
            mentor_application=applications[("lea", "running")],
            mentee_application=applications[("ines", "running")],
            started_on=today,
        )

    # And back: the pairs name their two people again.
    apps = migrate(BEFORE)
    Pair = apps.get_model("mentorships", "Mentorship")
    for pk, (mentor, mentee, _edition) in expected.items():
        found = Pair.objects.get(pk=pk)
        assert (found.mentor_id, found.mentee_id) == (people[mentor].pk, people[mentee].pk)
