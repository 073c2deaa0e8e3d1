"""Messages in the program report: messages per pair and pairs with no contact at all in
the "Mentorships" section, messages per month in the activity table, the same figures
in the CSV exports, hidden for small groups."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from mentorat.conversations.models import Message, Thread
from mentorat.reports.indicators import Facts, compute
from mentorat.reports.scope import Scope
from mentorat.reports.tables import activity_table
from tests.mentorships.factories import MeetingFactory, MentorshipFactory, RunningEditionFactory
from tests.programs.factories import ProgramFactory

CODES = ["messages_per_pair", "pairs_without_contact"]


def _write(pair, author, *, removed: bool = False) -> None:
    thread, _created = Thread.objects.get_or_create(mentorship=pair)
    message = Message.objects.create(thread=thread, author=author, body="Bonjour")
    if removed:
        Message.objects.filter(pk=message.pk).update(removed_at=timezone.now())


def _program(cast, *, silent: int, writing: int, meeting_only: int):
    program = ProgramFactory(organization=cast.org_a, slug="messages-programme")
    edition = RunningEditionFactory(program=program)
    for _ in range(silent):
        MentorshipFactory(edition=edition)
    for _ in range(writing):  # three messages of the pair each; the others do not count
        pair = MentorshipFactory(edition=edition)
        _write(pair, pair.mentor)
        _write(pair, pair.mentee)
        _write(pair, pair.mentee)
        _write(pair, pair.mentor, removed=True)
        _write(pair, cast.coordinator_a)
    for _ in range(meeting_only):
        MeetingFactory(
            mentorship=MentorshipFactory(edition=edition),
            starts_at=timezone.now() - timedelta(minutes=1),
        )
    return program


def _figures(program) -> dict[str, str]:
    values = compute(Facts(Scope(program=program)), CODES)
    return {v.indicator.code: v.figure.display() for v in values}


def test_messages_per_pair_and_pairs_without_contact_everywhere(cast, client_for):
    program = _program(cast, silent=5, writing=4, meeting_only=1)
    assert _figures(program) == {"messages_per_pair": "1,2", "pairs_without_contact": "5"}
    table = activity_table(Facts(Scope(program=program)))
    assert table.columns[-1] == "Messages"
    assert [row[-1].display() for row in table.rows] == ["12"]
    client = client_for(cast.coordinator_a)
    page = client.get(reverse("reports:program", args=[program.slug])).content.decode()
    assert "Binômes sans aucun contact" in page
    indicators = client.get(
        reverse("reports:export", args=[program.slug, "indicators", "csv"])
    ).content.decode("utf-8-sig")
    assert any(line.endswith(";1,2") for line in indicators.splitlines())
    assert any(line.endswith(";5") for line in indicators.splitlines())
    activity = client.get(
        reverse("reports:export", args=[program.slug, "activity_by_month", "csv"])
    ).content.decode("utf-8-sig")
    assert activity.splitlines()[1].endswith(";12")


def test_small_groups_are_hidden(cast):
    program = _program(cast, silent=1, writing=2, meeting_only=1)
    assert _figures(program) == {"messages_per_pair": "< 5", "pairs_without_contact": "< 5"}
