"""What the matching needs to know about existing mentorships (the `mentorships` app).

Mentorships link people (users); the matching works on applications of one edition.
Kept in one place so that runs, self-matching and publication agree on what "an active
pair" is: a mentorship of the edition that has not ended."""

from collections import Counter

from mentorat.applications.models import Application
from mentorat.mentorships.models import Mentorship, MentorshipStatus
from mentorat.programs.models import Edition, ParticipantRole


def application_ids(*, edition: Edition, role: str) -> dict[int, int]:
    """user id -> application id of `role` in `edition`."""
    return dict(Application.objects.filter(edition=edition, role=role).values_list("user_id", "pk"))


def active_load(*, edition: Edition) -> tuple[set[int], dict[int, int]]:
    """Mentee application ids that have an active mentorship, and the number of active
    mentorships per mentor application id."""
    rows = list(
        Mentorship.objects.filter(edition=edition, status=MentorshipStatus.ACTIVE).values_list(
            "mentee_id", "mentor_id"
        )
    )
    if not rows:
        return set(), {}
    mentees = application_ids(edition=edition, role=ParticipantRole.MENTEE)
    mentors = application_ids(edition=edition, role=ParticipantRole.MENTOR)
    paired = {mentees[m] for m, _j in rows if m in mentees}
    load = Counter(mentors[j] for _m, j in rows if j in mentors)
    return paired, dict(load)


def ended_pairs(*, edition: Edition) -> list[tuple[int, int]]:
    """(mentee, mentor) application ids of the pairs of the edition that ended (for
    example answered "not a good fit"): they are never proposed again."""
    rows = list(
        Mentorship.objects.filter(edition=edition, status=MentorshipStatus.ENDED).values_list(
            "mentee_id", "mentor_id"
        )
    )
    if not rows:
        return []
    mentees = application_ids(edition=edition, role=ParticipantRole.MENTEE)
    mentors = application_ids(edition=edition, role=ParticipantRole.MENTOR)
    return [(mentees[m], mentors[j]) for m, j in rows if m in mentees and j in mentors]


def active_mentees_of(*, edition: Edition, mentor_user_id: int) -> int:
    """Active pairs of this mentor in the edition (call while holding the capacity lock)."""
    return Mentorship.objects.filter(
        edition=edition, mentor_id=mentor_user_id, status=MentorshipStatus.ACTIVE
    ).count()
