"""Background tasks of the matching; they take primary keys and call one service.

Emails go through the delivery ledger (`mentorat.notifications.outbox`): a task run
again after its worker died sends nothing twice. A run is not resumed that way: its
worker's death fails it (`services.runs`), and the coordinator retries it."""

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from mentorat.applications.models import Application
from mentorat.matching.deadlines import answer_deadline
from mentorat.matching.introductions import introduction_recipients
from mentorat.matching.models import MentorRequest
from mentorat.mentorships.models import Mentorship
from mentorat.notifications import outbox
from mentorat.notifications.emails import send_templated_email
from mentorat.programs.selectors import current_charter
from mentorat.worker.recovery import resumable


@task()
def execute_match_run(run_id: int) -> None:
    # The one service a task imports: the run service enqueues this task, so it is
    # imported when the task runs (import-linter contract: .importlinter).
    from mentorat.matching.services import runs

    runs.execute_run(run_id=run_id)


@resumable
@task(takes_context=True)
def send_introduction_emails(context: Any, mentorship_id: int) -> None:
    """Introduce the two people of a published pair to each other, in each one's language:
    who the other is, why they were paired, the charter, and the next step."""
    mentorship = Mentorship.objects.select_related(
        "edition__program__organization",
        "mentor_application__organization",
        "mentor_application__user__profile",
        "mentee_application__organization",
        "mentee_application__user__profile",
    ).get(pk=mentorship_id)
    program = mentorship.edition.program
    charter = current_charter(program=program)
    parts = list((mentorship.explanation or {}).get("parts", []))
    mentor_app = mentorship.mentor_application
    mentee_app = mentorship.mentee_application
    others = {
        "mentor": (mentorship.mentee, mentee_app),
        "mentee": (mentorship.mentor, mentor_app),
    }
    # The publication's confirmation page counts the same recipients.
    sides = {
        address: (recipient, *others[role], role)
        for address, (recipient, role) in introduction_recipients(
            mentor=mentorship.mentor, mentee=mentorship.mentee
        ).items()
    }

    def send(address: str, side: tuple[Any, Any, Application | None, str]) -> None:
        recipient, other, other_app, role = side
        language = recipient.language
        key = "en" if language == "en" else "fr"
        profile = getattr(other, "profile", None)
        send_templated_email(
            to=[address],
            template="matching/emails/introduction",
            context={
                "recipient": recipient,
                "other": other,
                "other_organization": other_app.organization if other_app else None,
                "other_profile": profile,
                "role": role,
                "program": program,
                "edition": mentorship.edition,
                "mentorship": mentorship,
                "reasons": [str(p.get(key, "")) for p in parts if p.get("points")],
                "charter": charter,
                "answer_path": reverse("matching:pair_answer", kwargs={"pk": mentorship.pk}),
                "deadline": timezone.localtime(answer_deadline(mentorship)).date(),
            },
            language=language,
        )

    outbox.send_each(
        purpose="matching.introduction", key=outbox.task_key(context), recipients=sides, send=send
    )


@resumable
@task(takes_context=True)
def send_request_email(context: Any, request_id: int, event: str) -> None:
    """Self-matching emails: to the mentor (`received`, `reminder`) or to the mentee
    (`accepted`, `declined`, `expired`)."""
    found = MentorRequest.objects.select_related(
        "mentee__user", "mentor__user", "edition__program"
    ).get(pk=request_id)
    to_mentor = event in ("received", "reminder")
    recipient = found.mentor.user if to_mentor else found.mentee.user
    outbox.send_templated_once(
        purpose="matching.request",
        key=outbox.task_key(context),
        to=recipient.email,
        template="matching/emails/request",
        context={
            "event": event,
            "found": found,
            "recipient": recipient,
            "program": found.edition.program,
            "path": reverse("matching:my_requests")
            if to_mentor
            else reverse("matching:suggestions", kwargs={"pk": found.mentee_id}),
        },
        language=recipient.language,
    )
