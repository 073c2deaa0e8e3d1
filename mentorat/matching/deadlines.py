"""How long the two people of an introduced pair have to answer. Read by the publication
service and by the introduction email task, which imports no service."""

from datetime import datetime, timedelta

from django.conf import settings

from mentorat.mentorships.models import Mentorship
from mentorat.programs.models import MatchingSettings


def answer_days(program_id: int | None = None) -> int:
    """The program's number of days to answer an introduction (the site default when the
    program has no matching settings)."""
    if program_id is not None:
        days = (
            MatchingSettings.objects.filter(program_id=program_id)
            .values_list("answer_days", flat=True)
            .first()
        )
        if days is not None:
            return int(days)
    return int(settings.MATCHING_ANSWER_DAYS)


def answer_deadline(mentorship: Mentorship) -> datetime:
    """The date stored when the pair was introduced. Pairs the matching did not create
    (written directly by fixtures) fall back to their creation + today's number of days."""
    introduction = getattr(mentorship, "introduction", None)
    if introduction is not None:
        answer_by: datetime = introduction.answer_by
        return answer_by
    return mentorship.created_at + timedelta(days=answer_days())
