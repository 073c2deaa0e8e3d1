"""What the matching needs to know about existing mentorships (the `mentorships` app).

Kept in one place so that runs, self-matching and publication agree on what "an active
pair" is: a mentorship not ended and not answered "not a good fit" by either side."""

from mentorat.programs.models import Edition


def active_load(*, edition: Edition) -> tuple[set[int], dict[int, int]]:
    """Mentee application ids that have an active mentorship, and the number of active
    mentorships per mentor application id."""
    return set(), {}


def ended_pairs(*, edition: Edition) -> list[tuple[int, int]]:
    """(mentee, mentor) application ids of pairs that ended or were "not a good fit":
    never proposed again."""
    return []
