"""Emails of the follow-up, sent in the background. Tasks take primary keys; times are
written in the recipient's time zone and language. Every email goes through the delivery
ledger (`mentorat.notifications.outbox`): a task run again after its worker died sends
nothing twice."""

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from mentorat.accounts.models import User
from mentorat.lib.timezones import user_zone
from mentorat.mentorships.calendar import meeting_invitation
from mentorat.mentorships.health import HealthState
from mentorat.mentorships.links import (
    CHECK_IN_LINK_VALID_DAYS,
    SCORES,
    STOP_LINK_VALID_DAYS,
    check_in_token,
    reminders_stop_token,
)
from mentorat.mentorships.models import CheckIn, Meeting, Mentorship, OutcomeStage, Reminder
from mentorat.mentorships.selectors import active_pairs_health, followed_mentorships
from mentorat.notifications import outbox
from mentorat.notifications.emails import send_templated_email
from mentorat.worker.recovery import resumable


def _send(
    task_context: Any,
    person: User,
    template: str,
    context: dict[str, Any],
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> None:
    def send() -> None:
        with timezone.override(user_zone(person)):
            send_templated_email(
                to=[person.email],
                template=f"mentorships/emails/{template}",
                context={"person": person, **context},
                language=person.language,
                attachments=attachments,
            )

    outbox.send_once(
        purpose=f"mentorships.{template}",
        key=outbox.task_key(task_context),
        to=person.email,
        send=send,
    )


@resumable
@task(takes_context=True)
def send_meeting_email(context: Any, meeting_id: int, event: str, recipient_id: int) -> None:
    """`event`: proposed, rescheduled, accepted or cancelled; carries the `.ics`."""
    meeting = Meeting.objects.select_related(
        "mentorship",
        "mentorship__mentor_application__user",
        "mentorship__mentee_application__user",
        "mentorship__edition__program",
        "proposed_by",
        "cancelled_by",
    ).get(pk=meeting_id)
    recipient = User.objects.get(pk=recipient_id)
    mentorship = meeting.mentorship
    other = mentorship.mentee if recipient.pk == mentorship.mentor_user_id else mentorship.mentor
    _send(
        context,
        recipient,
        "meeting",
        {
            "meeting": meeting,
            "event": event,
            "other": other,
            "program": mentorship.edition.program,
            "workspace_path": reverse("mentorships:workspace", kwargs={"pk": mentorship.pk}),
        },
        attachments=[
            ("invitation.ics", meeting_invitation(meeting, recipient=recipient), "text/calendar")
        ],
    )


@resumable
@task(takes_context=True)
def send_check_in_email(context: Any, check_in_id: int) -> None:
    check_in = (
        CheckIn.objects.select_related(
            "respondent",
            "mentorship__mentor_application__user",
            "mentorship__mentee_application__user",
            "mentorship__edition__program",
        )
        .filter(pk=check_in_id)
        .first()
    )
    if check_in is None:
        return  # dropped before its email went (the respondent's data was erased)

    def link(satisfaction: int | None = None) -> str:
        token = check_in_token(check_in, satisfaction=satisfaction)
        return reverse("mentorships:check_in_link", kwargs={"token": token})

    _send(
        context,
        check_in.respondent,
        "check_in",
        {
            "check_in": check_in,
            "program": check_in.mentorship.edition.program,
            "answer_path": link(),
            # One signed link per score: a click answers (see views.check_in_link).
            "scores": [(n, link(n)) for n in SCORES],
            "valid_days": CHECK_IN_LINK_VALID_DAYS,
        },
    )


@resumable
@task(takes_context=True)
def send_pair_reminder_email(context: Any, reminder_id: int) -> None:
    reminder = Reminder.objects.select_related(
        "recipient",
        "mentorship__mentor_application__user",
        "mentorship__mentee_application__user",
        "mentorship__edition__program",
    ).get(pk=reminder_id)
    mentorship = reminder.mentorship
    assert mentorship is not None
    other = (
        mentorship.mentee
        if reminder.recipient_id == mentorship.mentor_user_id
        else mentorship.mentor
    )
    _send(
        context,
        reminder.recipient,
        "reminder",
        {
            "reminder": reminder,
            "other": other,
            "program": mentorship.edition.program,
            "workspace_path": reverse("mentorships:workspace", kwargs={"pk": mentorship.pk}),
            "stop_path": reverse(
                "mentorships:reminders_stop_link",
                kwargs={
                    "token": reminders_stop_token(
                        mentorship=mentorship, user_id=reminder.recipient_id
                    )
                },
            ),
            "stop_valid_days": STOP_LINK_VALID_DAYS,
        },
    )


@resumable
@task(takes_context=True)
def send_digest_email(context: Any, reminder_id: int) -> None:
    reminder = Reminder.objects.select_related("recipient").get(pk=reminder_id)
    coordinator = reminder.recipient
    rows = [
        r
        for r in active_pairs_health(followed_mentorships(user=coordinator), now=reminder.sent_at)
        if r.state != HealthState.ON_TRACK
    ]
    programs: dict[int, tuple[Any, list[Any]]] = {}
    for row in rows:
        program = row.mentorship.edition.program
        programs.setdefault(program.pk, (program, []))[1].append(row)
    _send(
        context,
        coordinator,
        "digest",
        {
            "sections": [
                (
                    program,
                    reverse("mentorships:dashboard", kwargs={"slug": program.slug}),
                    program_rows,
                )
                for program, program_rows in programs.values()
            ],
            "count": len(rows),
        },
    )


@resumable
@task(takes_context=True)
def send_six_month_request_email(context: Any, mentorship_id: int) -> None:
    mentorship = Mentorship.objects.select_related(
        "mentee_application__user", "mentor_application__user", "edition__program"
    ).get(pk=mentorship_id)
    _send(
        context,
        mentorship.mentee,
        "six_month_request",
        {
            "mentorship": mentorship,
            "program": mentorship.edition.program,
            "outcome_path": reverse(
                "mentorships:outcome",
                kwargs={"pk": mentorship.pk, "stage": OutcomeStage.SIX_MONTHS},
            ),
        },
    )
