"""People who leave: withdrawing an application ends the person's pairs of the edition,
so that their mentees are matched again by the next run."""

import pytest
from django.urls import reverse
from django.utils import translation

from mentorat.audit.models import AuditEntry
from mentorat.lib.errors import DomainError
from mentorat.matching.models import MentorRequest, RequestStatus
from mentorat.matching.services import requests as request_services
from mentorat.matching.services.withdrawal import withdraw_participant
from mentorat.mentorships.models import EndReason, Mentorship, MentorshipStatus
from mentorat.mentorships.services.pairs import create_mentorship
from mentorat.programs.models import MatchingSettings
from tests.matching.factories import cohort, person


def test_mentor_who_withdraws_leaves_their_mentees_to_the_next_run(cast, client_for, run_for):
    c = cohort(cast.org_a, mentees=2, mentors=1, capacity=2)
    leaving = person(c.edition, "mentor", c.company, user=cast.mentor, skills=("Python",))
    pair = create_mentorship(mentor=leaving, mentee=c.mentees[0])
    client = client_for(cast.mentor)
    detail = client.get(reverse("applications:my_detail", args=[leaving.pk])).content.decode()
    assert "Retirer votre candidature met aussi fin à votre binôme" in detail
    client.post(reverse("matching:withdraw", args=[leaving.pk]))
    pair.refresh_from_db()
    assert pair.status == MentorshipStatus.ENDED
    assert pair.end_reason == EndReason.MENTOR_LEFT
    run = run_for(c, default_capacity=2)
    again = run.proposals.get(mentee=c.mentees[0])
    assert again.mentor_id == c.mentors[0].pk, again.reason  # matched again, not with who left
    assert not run.proposals.filter(mentor=leaving).exists()


def test_mentee_who_withdraws_frees_the_mentor_place(cast, client_for):
    c = cohort(cast.org_a, mentees=0, mentors=1)
    mine = person(c.edition, "mentee", cast.org_a, user=cast.mentee)
    pair = create_mentorship(mentor=c.mentors[0], mentee=mine)
    client_for(cast.mentee).post(reverse("matching:withdraw", args=[mine.pk]))
    pair.refresh_from_db()
    assert (pair.status, pair.end_reason) == (MentorshipStatus.ENDED, EndReason.MENTEE_LEFT)
    assert not Mentorship.objects.filter(
        mentor_application=c.mentors[0], status=MentorshipStatus.ACTIVE
    ).exists()


def test_withdrawing_cancels_pending_requests_and_they_cannot_be_accepted(cast):
    c = cohort(cast.org_a, mentees=2, mentors=1, capacity=2)
    MatchingSettings.objects.filter(program=c.program).update(mode="self_matching")
    mentor = c.mentors[0]
    first, second = (
        request_services.request_mentor(application=m, mentor_id=mentor.pk, actor=m.user)
        for m in c.mentees
    )
    withdraw_participant(application=c.mentees[0], actor=c.mentees[0].user)
    assert MentorRequest.objects.get(pk=first.pk).status == RequestStatus.CANCELLED
    # A request whose mentor withdrew meanwhile cannot be accepted either.
    type(mentor).objects.filter(pk=mentor.pk).update(status="withdrawn")
    with translation.override("en"), pytest.raises(DomainError, match="no longer valid"):
        request_services.answer_request(mentor_request=second, accept=True, actor=mentor.user)
    assert not Mentorship.objects.filter(edition=c.edition).exists()


def test_the_requests_a_withdrawal_cancels_are_in_the_audit_log(cast, client_for):
    """A mentor who leaves: each pending request they received is cancelled with its own
    entry in the program's audit log, recorded as their doing."""
    c = cohort(cast.org_a, mentees=2, mentors=0, capacity=2)
    MatchingSettings.objects.filter(program=c.program).update(mode="self_matching")
    leaving = person(c.edition, "mentor", c.company, user=cast.mentor, skills=("Python",))
    received = [
        request_services.request_mentor(application=m, mentor_id=leaving.pk, actor=m.user)
        for m in c.mentees
    ]
    client_for(cast.mentor).post(reverse("matching:withdraw", args=[leaving.pk]))
    entries = AuditEntry.objects.filter(action="matching.request.cancelled")
    assert sorted(e.target_id for e in entries) == sorted(str(r.pk) for r in received)
    assert {e.actor_id for e in entries} == {cast.mentor.pk}
    assert {e.organization_id for e in entries} == {c.program.organization_id}
    assert all(
        r.status == RequestStatus.CANCELLED for r in MentorRequest.objects.filter(mentor=leaving)
    )
