"""Each person's choice of emails (`kinds.EmailKind`): read by every sender.

Only choices that differ from the default are stored (`NotificationPreference`), so each
reader below is one query on a small table, and none for a mandatory kind."""

from collections.abc import Iterable

from django.db.models import QuerySet

from mentorat.accounts.models import User
from mentorat.notifications.kinds import MANDATORY, EmailKind, MessageFrequency
from mentorat.notifications.models import NotificationPreference


def wants(user: User, kind: EmailKind) -> bool:
    """Whether `user` receives emails of `kind` (mandatory kinds: always)."""
    if kind in MANDATORY:
        return True
    return not NotificationPreference.objects.filter(user=user, kind=kind, enabled=False).exists()


def message_frequency(user: User) -> MessageFrequency:
    """When `user` is told of unread messages."""
    return message_frequencies([user.pk]).get(user.pk, MessageFrequency.IMMEDIATELY)


def message_frequencies(user_ids: Iterable[int]) -> dict[int, MessageFrequency]:
    """`message_frequency` of each of `user_ids`, in one query."""
    ids = list(user_ids)
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=ids, kind=EmailKind.MESSAGES).values_list(
            "user_id", "message_frequency"
        )
    )
    return {pk: MessageFrequency(chosen.get(pk) or MessageFrequency.IMMEDIATELY) for pk in ids}


def users_with_frequency(frequency: MessageFrequency) -> QuerySet[User]:
    """The active people who chose `frequency` for messages (not the default one)."""
    return User.objects.filter(
        is_active=True,
        notification_preferences__kind=EmailKind.MESSAGES,
        notification_preferences__message_frequency=frequency,
    )


def recipients_wanting(users: Iterable[User], kind: EmailKind) -> list[User]:
    """Those of `users` who receive emails of `kind`, in their order: one query for a
    list of people or a queryset, whatever their number (cohort sends)."""
    if kind in MANDATORY:
        return list(users)
    turned_off = NotificationPreference.objects.filter(kind=kind, enabled=False)
    if isinstance(users, QuerySet):
        return list(users.exclude(pk__in=turned_off.values("user_id")))
    people = list(users)
    off = set(
        turned_off.filter(user_id__in=[p.pk for p in people]).values_list("user_id", flat=True)
    )
    return [person for person in people if person.pk not in off]


def choices_of(user: User) -> tuple[set[EmailKind], MessageFrequency]:
    """(the kinds `user` turned off, their message frequency), for the preferences page."""
    rows = NotificationPreference.objects.filter(user=user).values_list(
        "kind", "enabled", "message_frequency"
    )
    off: set[EmailKind] = set()
    frequency = MessageFrequency.IMMEDIATELY
    for kind, enabled, chosen in rows:
        if not enabled:
            off.add(EmailKind(kind))
        if kind == EmailKind.MESSAGES:
            frequency = MessageFrequency(chosen)
    return off, frequency
