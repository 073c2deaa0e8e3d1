"""Reads of messages to a cohort."""

from mentorat.accounts.models import User


def unread_count(user: User) -> int:
    """How many messages to a cohort `user` received and has not opened yet."""
    return 0  # filled in by the announcements work (issue 18)
