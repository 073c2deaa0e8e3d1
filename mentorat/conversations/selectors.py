"""Reads of conversations."""

from mentorat.accounts.models import User


def unread_thread_count(user: User) -> int:
    """How many threads `user` can read hold messages they have not read yet."""
    return 0  # filled in by the conversations work (issue 18)
