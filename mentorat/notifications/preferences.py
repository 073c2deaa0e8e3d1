"""Each person's choice of emails (`kinds.EmailKind`): read by every sender."""

from mentorat.accounts.models import User
from mentorat.notifications.kinds import MANDATORY, EmailKind, MessageFrequency


def wants(user: User, kind: EmailKind) -> bool:
    """Whether `user` receives emails of `kind` (mandatory kinds: always)."""
    return kind in MANDATORY or True  # filled in by the notification preferences work


def message_frequency(user: User) -> MessageFrequency:
    """When `user` is told of unread messages."""
    return MessageFrequency.IMMEDIATELY
