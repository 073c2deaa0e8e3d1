"""Self-matching: suggestions, requests, answers, capacity, reminders and expiry."""

import threading
import time
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from mentorat.lib.errors import DomainError
from mentorat.matching.models import MentorRequest, RequestStatus
from mentorat.matching.services import requests as request_services
from mentorat.mentorships.models import Mentorship, MentorshipStatus
from mentorat.programs.models import MatchingSettings
from tests.matching.factories import cohort


@pytest.fixture
def self_cohort(cast):
    c = cohort(cast.org_a, mentees=3, mentors=2)
    MatchingSettings.objects.filter(program=c.program).update(mode="self_matching")
    return c


def ask(c, mentee, mentor, client_for):
    client = client_for(mentee.user)
    client.cookies["django_language"] = "fr"
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("matching:request_mentor", args=[mentee.pk]), {"mentor": mentor.pk}
        )


def test_mentee_sees_suggestions_and_requests_a_mentor(self_cohort, client_for, mailoutbox):
    c = self_cohort
    mentee = c.mentees[1]
    page = client_for(mentee.user).get(reverse("matching:suggestions", args=[mentee.pk]))
    html = page.content.decode()
    for mentor in c.mentors:
        assert mentor.user.display_name in html
    assert "Même domaine (Informatique)" in html
    ask(c, mentee, c.mentors[0], client_for)
    found = MentorRequest.objects.get()
    assert found.status == RequestStatus.PENDING
    assert found.score is not None
    assert mailoutbox[-1].to == [c.mentors[0].user.email]
    assert mentee.user.display_name in mailoutbox[-1].subject


def test_requests_are_limited_to_n_at_a_time(self_cohort, client_for, settings):
    settings.MATCHING_MAX_PENDING_REQUESTS = 1
    c = self_cohort
    ask(c, c.mentees[0], c.mentors[0], client_for)
    response = ask(c, c.mentees[0], c.mentors[1], client_for)
    assert response.status_code == 302
    assert MentorRequest.objects.count() == 1
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Vous pouvez attendre au maximum 1 réponse à la fois."]


def test_coordinator_run_mode_has_no_self_matching(cast, client_for):
    c = cohort(cast.org_a, mentees=1, mentors=1)
    client = client_for(c.mentees[0].user)
    client.cookies["django_language"] = "fr"
    page = client.get(reverse("matching:suggestions", args=[c.mentees[0].pk]))
    assert "Dans ce programme, ce sont les coordinateur·rices qui constituent les binômes." in (
        page.content.decode()
    )
    with pytest.raises(DomainError):
        request_services.request_mentor(
            application=c.mentees[0], mentor_id=c.mentors[0].pk, actor=c.mentees[0].user
        )


def test_mentor_accepts_within_capacity_and_declines_with_a_reason(
    self_cohort, client_for, mailoutbox
):
    c = self_cohort
    mentor = c.mentors[0]
    for mentee in c.mentees[:2]:
        ask(c, mentee, mentor, client_for)
    first, second = MentorRequest.objects.order_by("pk")
    client = client_for(mentor.user)
    client.cookies["django_language"] = "fr"
    requests_page = client.get(reverse("matching:my_requests")).content.decode()
    assert all(mentee.user.display_name in requests_page for mentee in c.mentees[:2])
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("matching:request_answer", args=[first.pk]), {"decision": "accept"})
    first.refresh_from_db()
    assert first.status == RequestStatus.ACCEPTED
    assert (
        Mentorship.objects.filter(mentor_application=mentor, status=MentorshipStatus.ACTIVE).count()
        == 1
    )
    assert mailoutbox[-1].to == [c.mentees[0].user.email]
    # Capacity 1: the second acceptance is refused, the request stays pending.
    response = client.post(
        reverse("matching:request_answer", args=[second.pk]), {"decision": "accept"}
    )
    second.refresh_from_db()
    assert second.status == RequestStatus.PENDING
    assert "Vous accompagnez déjà 1 personne dans ce programme, votre maximum." in [
        str(m) for m in response.wsgi_request._messages
    ]
    # Declining needs a reason from the list.
    client.post(reverse("matching:request_answer", args=[second.pk]), {"decision": "decline"})
    second.refresh_from_db()
    assert second.status == RequestStatus.PENDING
    client.post(
        reverse("matching:request_answer", args=[second.pk]),
        {"decision": "decline", "reason": "full"},
    )
    second.refresh_from_db()
    assert second.status == RequestStatus.DECLINED


def test_accepting_cancels_the_mentees_other_requests(self_cohort, client_for):
    c = self_cohort
    mentee = c.mentees[0]
    ask(c, mentee, c.mentors[0], client_for)
    ask(c, mentee, c.mentors[1], client_for)
    first = MentorRequest.objects.get(mentor=c.mentors[0])
    request_services.answer_request(mentor_request=first, accept=True, actor=c.mentors[0].user)
    assert MentorRequest.objects.get(mentor=c.mentors[1]).status == RequestStatus.CANCELLED


def test_reminders_after_3_and_10_days_then_expiry(self_cohort, client_for, mailoutbox):
    c = self_cohort
    ask(c, c.mentees[0], c.mentors[0], client_for)
    found = MentorRequest.objects.get()
    start = timezone.now()
    mailoutbox.clear()
    for days, reminded, expired in ((2, 0, 0), (3, 1, 0), (4, 0, 0), (10, 1, 0), (15, 0, 1)):
        with (
            time_machine.travel(start + timedelta(days=days, hours=1)),
            TestCase.captureOnCommitCallbacks(execute=True),
        ):
            result = request_services.process_pending_requests()
        assert (result.reminded, result.expired) == (reminded, expired), days
    found.refresh_from_db()
    assert found.status == RequestStatus.EXPIRED
    assert [m.to for m in mailoutbox] == [
        [c.mentors[0].user.email],
        [c.mentors[0].user.email],
        [c.mentees[0].user.email],
    ]


def test_coordinator_sees_pending_and_expired_requests(cast, self_cohort, client_for):
    c = self_cohort
    ask(c, c.mentees[0], c.mentors[0], client_for)
    ask(c, c.mentees[1], c.mentors[1], client_for)
    MentorRequest.objects.filter(mentor=c.mentors[1]).update(status=RequestStatus.EXPIRED)
    url = reverse("matching:requests", args=[c.program.slug])
    html = client_for(cast.coordinator_a).get(url, {"status": "expired"}).content.decode()
    assert c.mentees[1].user.display_name in html
    assert c.mentees[0].user.display_name not in html


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_acceptances_never_exceed_capacity(cast, monkeypatch):
    """Two mentors of capacity 1, four requests each; eight threads accept at once."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises whole-database writes)")
    real_count = request_services.pairs.active_mentees_of

    def slow_count(**kwargs):
        # Widen the window between counting and creating the pair, so that without the
        # capacity lock the threads would all see a free place.
        taken = real_count(**kwargs)
        time.sleep(0.2)
        return taken

    monkeypatch.setattr(request_services.pairs, "active_mentees_of", slow_count)
    c = cohort(cast.org_a, mentees=8, mentors=2)
    MatchingSettings.objects.filter(program=c.program).update(mode="self_matching")
    requests = []
    for k, mentee in enumerate(c.mentees):
        requests.append(
            MentorRequest.objects.create(
                edition=c.edition,
                mentee=mentee,
                mentor=c.mentors[k % 2],
                expires_at=timezone.now() + timedelta(days=14),
            )
        )
    barrier = threading.Barrier(len(requests))
    outcomes: list[str] = []

    def accept(found: MentorRequest) -> None:
        try:
            barrier.wait()
            request_services.answer_request(
                mentor_request=found, accept=True, actor=found.mentor.user
            )
            outcomes.append("accepted")
        except DomainError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(r,)) for r in requests]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["accepted"] * 2 + ["refused"] * 6
    for mentor in c.mentors:
        assert Mentorship.objects.filter(mentor_application=mentor, status="active").count() == 1
