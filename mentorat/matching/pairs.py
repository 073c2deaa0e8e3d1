"""What the matching needs to know about existing mentorships (the `mentorships` app).

A mentorship links the two applications of its edition, the identity the matching works
on. Kept in one place so that runs, self-matching and publication agree on what "an
active pair" is: a mentorship of the edition that has not ended."""

from collections import Counter

from mentorat.mentorships.models import Mentorship, MentorshipStatus
from mentorat.programs.models import Edition


def active_load(*, edition: Edition) -> tuple[set[int], dict[int, int]]:
    """Mentee application ids that have an active mentorship, and the number of active
    mentorships per mentor application id."""
    rows = list(
        Mentorship.objects.filter(edition=edition, status=MentorshipStatus.ACTIVE).values_list(
            "mentee_application_id", "mentor_application_id"
        )
    )
    return {m for m, _j in rows}, dict(Counter(j for _m, j in rows))


def ended_pairs(*, edition: Edition) -> list[tuple[int, int]]:
    """(mentee, mentor) application ids of the pairs of the edition that ended (for
    example answered "not a good fit"): they are never proposed again."""
    return list(
        Mentorship.objects.filter(edition=edition, status=MentorshipStatus.ENDED).values_list(
            "mentee_application_id", "mentor_application_id"
        )
    )


def active_mentees_of(*, mentor_application_id: int) -> int:
    """Active pairs of this mentor application (call while holding the capacity lock)."""
    return Mentorship.objects.filter(
        mentor_application_id=mentor_application_id, status=MentorshipStatus.ACTIVE
    ).count()


def active_mentees_per_mentor(*, mentor_application_ids: list[int]) -> dict[int, int]:
    """The number of active mentorships of each of these mentor applications (one query)."""
    return dict(
        Counter(
            Mentorship.objects.filter(
                mentor_application_id__in=mentor_application_ids,
                status=MentorshipStatus.ACTIVE,
            ).values_list("mentor_application_id", flat=True)
        )
    )
