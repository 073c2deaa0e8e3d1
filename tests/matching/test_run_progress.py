"""A running match shows its step and a progress bar that updates by itself, and the time it
took when done (issue 24 point 3). The progress lives on the run's row, written by the
worker (`services.runs.RunProgress`), so that any web process shows it."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentorat.matching.models import MatchRun, RunPhase, RunStatus
from mentorat.matching.parameters import RunParameters
from mentorat.matching.services import runs
from mentorat.matching.templatetags.matching_tags import duration
from tests.matching.factories import cohort

pytestmark = pytest.mark.usefixtures("in_english")


def _running(cast, **progress) -> tuple:
    c = cohort(cast.org_a)
    run, _created = runs.start_run(
        edition=c.edition, parameters=RunParameters(), actor=cast.coordinator_a
    )
    now = timezone.now()
    MatchRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, started_at=now, heartbeat_at=now, **progress
    )
    return c, run


def _urls(c, run) -> tuple[str, str]:
    return (
        reverse("matching:run", args=[c.program.slug, run.pk]),
        reverse("matching:run_status", args=[c.program.slug, run.pk]),
    )


def test_the_run_page_shows_the_step_and_its_progress_from_the_database(cast, client_for):
    c, run = _running(cast, phase=RunPhase.EXPLAINING, progress_done=50_000, progress_total=200_000)
    page_url, _status_url = _urls(c, run)
    html = client_for(cast.coordinator_a).get(page_url).content.decode()
    stage = re.search(r'<p id="run-stage" role="status" aria-live="polite">(.*?)</p>', html, re.S)
    assert stage is not None
    assert "Explaining each pair…" in stage.group(1)
    assert '<label for="run-progress-bar">Progress of this step</label>' in html
    assert '<progress id="run-progress-bar" max="200000" value="50000">' in html
    assert "25% of this step" in html
    assert 'hx-trigger="every 2s"' in html
    # Without JavaScript the page still offers to look again.
    assert f'<a href="{page_url}">Reload</a>' in html


def test_a_step_without_a_known_size_shows_a_bar_without_value(cast, client_for):
    c, run = _running(cast, phase=RunPhase.SOLVING, progress_note="round 3")
    page_url, _status_url = _urls(c, run)
    html = client_for(cast.coordinator_a).get(page_url).content.decode()
    assert "Computing the best pairs…" in html
    assert '<progress id="run-progress-bar"></progress>' in html
    assert "% of this step" not in html
    assert "round 3" in html


def test_polling_sends_the_bar_and_the_step_text_only_when_the_step_changed(cast, client_for):
    c, run = _running(cast, phase=RunPhase.SOLVING)
    _page_url, status_url = _urls(c, run)
    client = client_for(cast.coordinator_a)
    htmx = {"HX-Request": "true"}
    same = client.get(status_url, {"phase": "solving"}, headers=htmx).content.decode()
    assert 'hx-trigger="every 2s"' in same
    assert f"{status_url}?phase=solving" in same
    assert "hx-swap-oob" not in same  # the live region is not rewritten: nothing re-read
    MatchRun.objects.filter(pk=run.pk).update(
        phase=RunPhase.SAVING, progress_done=3, progress_total=4
    )
    changed = client.get(status_url, {"phase": "solving"}, headers=htmx).content.decode()
    assert '<p id="run-stage" hx-swap-oob="innerHTML">' in changed
    assert "Saving the proposals…" in changed
    assert "75% of this step" in changed
    assert f"{status_url}?phase=saving" in changed


def test_a_finished_run_shows_how_long_it_took_and_stops_polling(cast, client_for):
    c, run = _running(cast, phase=RunPhase.SAVING, progress_done=10, progress_total=10)
    MatchRun.objects.filter(pk=run.pk).update(
        status=RunStatus.SUCCEEDED, phase=RunPhase.WAITING, duration_seconds=72.4
    )
    page_url, status_url = _urls(c, run)
    client = client_for(cast.coordinator_a)
    html = client.get(page_url).content.decode()
    assert "computed in 1 min 12 s" in html
    assert "every 2s" not in html
    assert "<progress" not in html
    polled = client.get(status_url, {"phase": "saving"}, headers={"HX-Request": "true"})
    assert polled["HX-Refresh"] == "true"
    assert "every 2s" not in polled.content.decode()
    # Without JavaScript: the whole status block.
    plain = client.get(status_url).content.decode()
    assert 'id="run-stage"' in plain
    assert "computed in 1 min 12 s" in plain


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(0.42, "0.4 s"), (4.25, "4.3 s"), (42.4, "42 s"), (72.4, "1 min 12 s"), (3725, "1 h 2 min")],
)
def test_durations_read_as_people_say_them(seconds, shown):
    assert duration(seconds) == shown


def test_progress_is_written_at_most_once_a_second_and_each_new_step_at_once(cast):
    _c, run = _running(cast, phase=RunPhase.READING)
    now = [100.0]
    progress = runs.RunProgress(run.pk, clock=lambda: now[0])
    progress.stage("solving")
    assert progress.writes == 1
    for done in range(1, 500):
        progress.advance(done)
        progress.note(f"round {done}")
    assert progress.writes == 1  # within the second: nothing more written
    now[0] += 1.01
    progress.advance(500)
    assert progress.writes == 2
    run.refresh_from_db()
    assert (run.phase, run.progress_done, run.progress_note) == ("solving", 500, "round 499")
    progress.stage("writing", total=1000)  # a new step: written at once
    assert progress.writes == 3
    run.refresh_from_db()
    assert (run.phase, run.progress_done, run.progress_total) == ("saving", 0, 1000)
    assert run.progress_percent == 0
    progress.stage("encoding")  # reading and encoding are one step of the page
    assert progress.writes == 4  # saving -> reading is a new step


def test_progress_of_a_run_no_longer_running_is_not_written(cast):
    _c, run = _running(cast, phase=RunPhase.SOLVING)
    MatchRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED)
    runs.RunProgress(run.pk).stage("explaining", total=5)
    run.refresh_from_db()
    assert (run.status, run.phase) == (RunStatus.FAILED, RunPhase.SOLVING)


def test_a_real_run_writes_each_step_on_its_row_in_order(cast):
    c = cohort(cast.org_a, mentees=4, mentors=2, capacity=2)
    run, _created = runs.start_run(
        edition=c.edition, parameters=RunParameters(), actor=cast.coordinator_a
    )
    with CaptureQueriesContext(connection) as queries:
        runs.execute_run(run_id=run.pk)
    table = MatchRun._meta.db_table
    phases = []
    for query in queries:
        sql = query["sql"]
        found = re.search(r"""SET "phase" = '?(\w+)'?""", sql)
        if sql.startswith(f'UPDATE "{table}"') and "progress_done" in sql and found:
            phases.append(found.group(1))
    assert [p for k, p in enumerate(phases) if k == 0 or phases[k - 1] != p] == [
        "reading",
        "solving",
        "explaining",
        "saving",
    ]
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED
    assert run.duration_seconds is not None


def test_the_engine_note_is_shown_in_the_reader_language(cast, client_for):
    from matching_engine.progress import Note

    c, run = _running(cast, phase=RunPhase.SOLVING)
    progress = runs.RunProgress(run.pk, interval=0.0)
    progress.stage("solving")
    progress.note(Note("round 2 · 1,234 matched", "tour 2 · 1\u202f234 appariés"))
    page_url, _status_url = _urls(c, run)
    client = client_for(cast.coordinator_a)

    english = client.get(page_url).content.decode()
    french = client.get(page_url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "round 2 · 1,234 matched" in english
    assert "tour 2" not in english
    assert "tour 2 · 1\u202f234 appariés" in french
    assert "round 2" not in french
