"""The engagement page and the report do not query more with more history."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentorat.programs.models import Program
from mentorat.recognition.models import ThankYouNote
from mentorat.recognition.selectors import recognition_report
from tests.mentorships.factories import MentorshipFactory
from tests.recognition.factories import end_pair, log_session, mentor_world

pytestmark = pytest.mark.django_db


def _more_history(world) -> None:
    for _ in range(3):
        pair = MentorshipFactory(edition=world.pair.edition, mentor=world.mentor)
        log_session(pair, 45, 10)
        end_pair(pair)
        ThankYouNote.objects.create(
            mentorship=pair, author=pair.mentee_application.user, text="Merci", shown=True
        )


def _count(action) -> int:
    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries)


def test_the_engagement_page_does_not_grow_with_pairs_and_notes(client_for):
    world = mentor_world()
    ThankYouNote.objects.create(mentorship=world.pair, author=world.mentee, text="Merci")
    coordinator = client_for(world.coordinator)
    url = reverse("recognition:engagement", args=[world.mentor.pk])
    coordinator.get(url)
    before = _count(lambda: coordinator.get(url))
    _more_history(world)
    assert _count(lambda: coordinator.get(url)) == before


def test_the_report_does_not_grow_with_pairs():
    world = mentor_world()

    def report() -> None:
        recognition_report(Program.objects.filter(pk=world.program.pk))

    before = _count(report)
    _more_history(world)
    assert _count(report) == before
