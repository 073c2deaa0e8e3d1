"""The answer deadline of a published pair is stored when the pair is introduced: later
changes of the number of days move no existing deadline; both sides and the coordinator
see it, and the coordinator sees the answers that are overdue."""

import importlib
from datetime import timedelta

import time_machine
from django.apps import apps
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from mentorat.matching.models import MentorRequest, PairIntroduction
from mentorat.matching.services import publication
from mentorat.matching.services import requests as request_services
from mentorat.mentorships.models import Mentorship, PairAnswer
from mentorat.mentorships.services.pairs import create_mentorship
from mentorat.programs.models import MatchingSettings
from tests.matching.factories import cohort, person


def publish(client, c, run):
    """Open the confirmation page, then confirm with the token it shows."""
    url = reverse("matching:publish", args=[c.program.slug, run.pk])
    plan = client.get(url).context["plan"]
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, {"token": plan.token if plan else "none"})


def test_deadline_is_stored_at_publication_and_does_not_move(
    cast, client_for, small, run_for, settings
):
    MatchingSettings.objects.filter(program=small.program).update(answer_days=7)
    run = run_for(small)
    publish(client_for(cast.coordinator_a), small, run)
    run.refresh_from_db()
    pairs = list(Mentorship.objects.filter(edition=small.edition).select_related("introduction"))
    assert len(pairs) == 2
    for pair in pairs:
        assert pair.introduction.run_id == run.pk
        assert pair.introduction.answer_by == run.published_at + timedelta(days=7)
    # The program shortens the delay afterwards.
    MatchingSettings.objects.filter(program=small.program).update(answer_days=2)
    pair = Mentorship.objects.get(pk=pairs[0].pk)
    assert publication.answer_deadline(pair) == run.published_at + timedelta(days=7)
    # Day 5: still open under the stored deadline, although 5 > 2.
    with time_machine.travel(run.published_at + timedelta(days=5)):
        page = client_for(pair.mentee).get(reverse("matching:pair_answer", args=[pair.pk]))
        assert page.status_code == 200
        shown = date_format(timezone.localtime(pair.introduction.answer_by), "DATE_FORMAT")
        assert shown in page.content.decode()
        assert 'name="answer"' in page.content.decode()
        response = client_for(pair.mentee).post(
            reverse("matching:pair_answer", args=[pair.pk]), {"answer": "confirmed"}
        )
        assert response.status_code == 302
    # Day 8: the other side is too late; the page says so instead of showing the form.
    with time_machine.travel(run.published_at + timedelta(days=8)):
        page = client_for(pair.mentor).get(reverse("matching:pair_answer", args=[pair.pk]))
        content = page.content.decode()
        assert 'name="answer"' not in content
        assert "Le délai pour répondre" in content
        assert "Confirmé" in content  # the mentee's answer, shown to the mentor


def test_coordinator_sees_deadlines_and_overdue_answers(cast, client_for, small, run_for):
    run = run_for(small)
    publish(client_for(cast.coordinator_a), small, run)
    run.refresh_from_db()
    answered, silent = Mentorship.objects.filter(edition=small.edition).order_by("pk")
    for user in (answered.mentee, answered.mentor):
        publication.answer_pair(mentorship=answered, user=user, answer=PairAnswer.CONFIRMED)
    url = reverse("matching:answers", args=[small.program.slug])
    coordinator = client_for(cast.coordinator_a)
    page = coordinator.get(url).content.decode()
    deadline = date_format(timezone.localtime(silent.introduction.answer_by), "SHORT_DATE_FORMAT")
    assert deadline in page
    assert "status-overdue" not in page
    assert "Réponse en retard (0)" in page
    with time_machine.travel(run.published_at + timedelta(days=publication.answer_days() + 1)):
        coordinator = client_for(cast.coordinator_a)  # a fresh session at that date
        page = coordinator.get(url).content.decode()
        assert "1 binôme n'a pas répondu à temps" in page
        assert "Réponse en retard (1)" in page
        overdue = coordinator.get(url, {"state": "overdue"}).content.decode()
        assert silent.mentee.display_name in overdue
        # From there, the pair's page, where the coordinator can end it.
        assert reverse("mentorships:workspace", args=[silent.pk]) in overdue
        assert answered.mentee.display_name not in overdue
        confirmed = coordinator.get(url, {"state": "confirmed"}).content.decode()
        assert answered.mentee.display_name in confirmed
        pending = coordinator.get(url, {"state": "pending"}).content.decode()
        assert silent.mentee.display_name not in pending


def test_self_matched_pairs_are_confirmed_by_both_sides(cast):
    c = cohort(cast.org_a, mentees=1, mentors=1)
    MatchingSettings.objects.filter(program=c.program).update(mode="self_matching")
    found = request_services.request_mentor(
        application=c.mentees[0], mentor_id=c.mentors[0].pk, actor=c.mentees[0].user
    )
    request_services.answer_request(mentor_request=found, accept=True, actor=c.mentors[0].user)
    pair = Mentorship.objects.select_related("introduction").get(edition=c.edition)
    assert (pair.mentee_answer, pair.mentor_answer) == (PairAnswer.CONFIRMED, PairAnswer.CONFIRMED)
    assert pair.introduction.request == MentorRequest.objects.get(pk=found.pk)


def test_migration_backfills_existing_pairs_from_their_creation(cast, settings):
    settings.MATCHING_ANSWER_DAYS = 10
    c = cohort(cast.org_a, mentees=1, mentors=1)
    extra = person(c.edition, "mentee", cast.org_a)
    pair = create_mentorship(mentor=c.mentors[0], mentee=c.mentees[0])
    other = create_mentorship(mentor=c.mentors[0], mentee=extra)
    Mentorship.objects.filter(pk=other.pk).update(explanation={"run": 999_999})  # deleted run
    migration = importlib.import_module("mentorat.matching.migrations.0003_pair_introduction")
    migration.backfill(apps, None)
    for mentorship in (pair, other):
        introduction = PairIntroduction.objects.get(mentorship=mentorship)
        assert introduction.answer_by == mentorship.created_at + timedelta(days=10)
        assert introduction.run_id is None


def test_pair_workspace_asks_each_side_for_their_answer(cast, client_for, small, run_for):
    run = run_for(small)
    publish(client_for(cast.coordinator_a), small, run)
    pair = Mentorship.objects.filter(edition=small.edition).select_related("introduction")[0]
    workspace = reverse("mentorships:workspace", args=[pair.pk])
    answer_url = reverse("matching:pair_answer", args=[pair.pk])
    deadline = date_format(timezone.localtime(pair.introduction.answer_by), "DATE_FORMAT")
    page = client_for(pair.mentee).get(workspace).content.decode()
    assert "Votre réponse à ce binôme est attendue" in page
    assert deadline in page
    assert answer_url in page
    client_for(pair.mentee).post(answer_url, {"answer": "confirmed"})
    page = client_for(pair.mentee).get(workspace).content.decode()
    assert "Votre réponse à ce binôme est attendue" not in page
    answers = "Réponses à la mise en relation : mentor En attente de réponse, mentoré·e Confirmé"
    assert answers in page
    # The mentor has not answered; once the deadline has passed the link gives way to a notice.
    with time_machine.travel(pair.introduction.answer_by + timedelta(days=1)):
        page = client_for(pair.mentor).get(workspace).content.decode()
    assert "Le délai pour répondre a pris fin" in page
    assert answer_url not in page
