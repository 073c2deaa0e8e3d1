"""What the preferences page says about the reminders stopped pair by pair (the
"stop these reminders" link of a reminder email, or the pair's workspace).

Apart from `selectors` on purpose: apps below `mentorships` in the import layers read
`selectors` (delivery summaries), and must not reach the pairs through it."""

from django.db.models import Q

from mentorat.accounts.models import User
from mentorat.mentorships.models import Mentorship, MentorshipStatus


def pairs_with_reminders_stopped(user: User) -> int:
    """How many active pairs of `user` had their reminders stopped."""
    return (
        Mentorship.objects.filter(status=MentorshipStatus.ACTIVE)
        .filter(
            Q(mentor_application__user=user, mentor_reminders_off=True)
            | Q(mentee_application__user=user, mentee_reminders_off=True)
        )
        .count()
    )
