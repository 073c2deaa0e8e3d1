"""The daily follow-up under time travel: health changing with time, reminders (and their
throttle and stop), the coordinators' digest, monthly check-ins, automatic closure and the
six-month request."""

from datetime import UTC, datetime, timedelta

import time_machine
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from mentorat.mentorships.health import HealthState
from mentorat.mentorships.models import (
    CheckIn,
    CheckInOccasion,
    EndReason,
    MentorshipStatus,
    Reminder,
)
from mentorat.mentorships.selectors import health_of
from mentorat.mentorships.services.followup import (
    run_followup,
    send_coordinator_digests,
    send_due_check_ins,
    send_pair_reminders,
    send_six_month_requests,
)
from mentorat.mentorships.services.pairs import end_mentorship
from tests.mentorships.clock import START, at, run
from tests.mentorships.factories import MeetingFactory, MentorshipFactory, RunningEditionFactory
from tests.programs.factories import ProgramFactory


def test_health_changes_with_time_and_meetings(pair):
    MeetingFactory(mentorship=pair, starts_at=at(3))  # accepted, held on day 3
    for day, state in [
        (10, HealthState.ON_TRACK),
        (20, HealthState.TO_WATCH),
        (35, HealthState.AT_RISK),
    ]:
        with time_machine.travel(at(day), tick=False):
            assert health_of(mentorship=pair, now=at(day)).state == state, day
    # A new meeting held brings the pair back on track.
    MeetingFactory(mentorship=pair, starts_at=at(36))
    with time_machine.travel(at(37), tick=False):
        assert health_of(mentorship=pair, now=at(37)).state == HealthState.ON_TRACK


def test_reminders_go_to_both_before_risk_then_weekly_at_most(cast, pair, mailoutbox):
    assert run(send_pair_reminders, at(10)) == 0  # on track: nothing
    assert run(send_pair_reminders, at(16)) == 2  # 16 days without meeting: to watch
    assert sorted(m.to[0] for m in mailoutbox) == sorted([cast.mentor.email, cast.mentee.email])
    path = reverse("mentorships:workspace", kwargs={"pk": pair.pk})
    assert all(path in m.body for m in mailoutbox)
    assert run(send_pair_reminders, at(16)) == 0  # same day: idempotent
    assert run(send_pair_reminders, at(22)) == 0  # six days later: throttled
    assert run(send_pair_reminders, at(23)) == 2  # a week later, still no meeting
    assert Reminder.objects.filter(kind="pair").count() == 4


def test_a_person_can_stop_reminders(cast, client_for, pair, mailoutbox):
    client_for(cast.mentee).post(
        reverse("mentorships:reminders", kwargs={"pk": pair.pk}), {"enabled": "0"}
    )
    assert run(send_pair_reminders, at(16)) == 1
    assert [m.to for m in mailoutbox] == [[cast.mentor.email]]


def test_throttle_is_per_person_across_pairs(cast, pair, mailoutbox):
    second = MentorshipFactory(edition=pair.edition, mentor=cast.mentor, started_on=START)
    assert run(send_pair_reminders, at(16)) == 3  # mentor once, both mentees once
    assert sum(1 for m in mailoutbox if m.to == [cast.mentor.email]) == 1
    assert second.mentee.email in [m.to[0] for m in mailoutbox]


def test_no_meeting_reminder_for_pairs_at_risk_for_other_reasons(pair, mailoutbox):
    MeetingFactory(mentorship=pair, starts_at=at(14))
    CheckIn.objects.create(
        mentorship=pair,
        respondent=pair.mentee,
        role="mentee",
        occasion=CheckInOccasion.MONTHLY,
        period=1,
        sent_at=at(14),
        answered_at=at(15),
        satisfaction=1,
    )
    assert health_of(mentorship=pair, now=at(16)).state == HealthState.AT_RISK
    assert run(send_pair_reminders, at(16)) == 0


def test_coordinators_get_one_weekly_digest_not_one_email_per_pair(cast, pair, mailoutbox):
    for _ in range(3):
        MentorshipFactory(edition=pair.edition, started_on=START)
    assert run(send_coordinator_digests, at(5)) == 0  # all on track: no email
    assert run(send_coordinator_digests, at(40)) == 1
    [digest] = mailoutbox
    assert digest.to == [cast.coordinator_a.email]
    assert digest.body.count(pair.mentor.display_name) == 1
    assert reverse("mentorships:dashboard", kwargs={"slug": pair.edition.program.slug}) in (
        digest.body
    )
    assert run(send_coordinator_digests, at(41)) == 0
    assert run(send_coordinator_digests, at(47)) == 1


def test_monthly_check_ins_are_sent_once_per_month(cast, pair, mailoutbox):
    assert run(send_due_check_ins, at(20)) == 0
    assert run(send_due_check_ins, at(31)) == 2  # 2 April: one month after 2 March
    assert run(send_due_check_ins, at(32)) == 0
    assert {m.to[0] for m in mailoutbox} == {cast.mentor.email, cast.mentee.email}
    assert run(send_due_check_ins, at(61)) == 2
    assert CheckIn.objects.filter(occasion="monthly").count() == 4


def test_pairs_end_with_the_edition_and_get_the_final_check_in(cast, pair, mailoutbox):
    ends_on = pair.edition.ends_on
    after = datetime.combine(ends_on + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    with time_machine.travel(after, tick=False), TestCase.captureOnCommitCallbacks(execute=True):
        report = run_followup(now=after)
    assert report.ended == 1
    pair.refresh_from_db()
    assert pair.status == MentorshipStatus.ENDED
    assert pair.end_reason == EndReason.PROGRAM_ENDED
    assert pair.ended_on == ends_on
    finals = CheckIn.objects.filter(mentorship=pair, occasion=CheckInOccasion.FINAL)
    assert {c.respondent for c in finals} == {cast.mentor, cast.mentee}
    assert len([m for m in mailoutbox if "check-in" in m.body]) >= 2


def test_six_month_request_goes_once_to_the_mentee(cast, pair, mailoutbox):
    with time_machine.travel(at(60), tick=False):
        end_mentorship(mentorship=pair, reason=EndReason.GOALS_REACHED, actor=cast.mentee)
    mailoutbox.clear()
    assert run(send_six_month_requests, at(60 + 181)) == 0
    assert run(send_six_month_requests, at(60 + 182)) == 1
    [request] = mailoutbox
    assert request.to == [cast.mentee.email]
    assert reverse("mentorships:outcome", kwargs={"pk": pair.pk, "stage": "six_months"}) in (
        request.body
    )
    assert run(send_six_month_requests, at(60 + 190)) == 0


def test_run_followup_command_is_idempotent(cast, pair, mailoutbox):
    with time_machine.travel(at(16), tick=False):
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("run_followup")
        sent = len(mailoutbox)
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("run_followup")
    assert sent == 3  # the pair's two reminders and the coordinator's digest
    assert len(mailoutbox) == sent


def test_each_coordinator_digest_lists_only_their_organisation_pairs(cast, pair, mailoutbox):
    program_b = ProgramFactory(organization=cast.org_b)
    other = MentorshipFactory(edition=RunningEditionFactory(program=program_b), started_on=START)
    assert run(send_coordinator_digests, at(40)) == 2
    digests = {m.to[0]: m.body for m in mailoutbox}
    assert pair.mentee.display_name in digests[cast.coordinator_a.email]
    assert other.mentee.display_name not in digests[cast.coordinator_a.email]
    assert other.mentee.display_name in digests[cast.coordinator_b.email]
    assert pair.mentee.display_name not in digests[cast.coordinator_b.email]
