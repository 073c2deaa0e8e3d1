"""Who may change a person's own data: names, language, profile and skills.

The record belongs to the person once they have claimed it (signed in once or set a
password): from then on only they change it (`is_claimed`).

Before that, the record was made by an organisation — an import creates it together with
an application in the row's organisation and, once accepted, a membership. The owner is
the organisation of the person's **first** application or membership, whichever was
created first (`owning_organization_ids`). Taking the first one, not any, is what keeps
the rule closed: another organisation that later enrols the person in its own program
gives them an application, an invitation and maybe a membership of its own, and none of
these ever makes it an owner. Invitations are not looked at: anyone may invite an address.
A record with no application nor membership, or whose first one has lost its
organisation (deleted), has no owner.

Only the staff (admins and coordinators) of the owning organisation and platform admins
change an unclaimed person's data (`can_change_person`). Everyone else — including staff
of a partner the program is shared with, and the program's own staff for people a
partner brought — may enrol the person in a program without touching their data, and
must not be told whether the address has a record elsewhere."""

from collections.abc import Collection, Iterable
from datetime import datetime

from mentorat.accounts.models import User
from mentorat.applications.models import Application
from mentorat.organizations.models import Membership
from mentorat.permissions.organizations import is_platform_admin
from mentorat.permissions.programs import staff_organization_ids

# Well under SQLite's limit on query parameters.
_IN_CHUNK = 900


def is_claimed(user: User) -> bool:
    """The person has signed in or chosen a password: their details are theirs alone."""
    return user.last_login is not None or user.has_usable_password()


def owning_organization_ids(user_ids: Collection[int]) -> dict[int, int | None]:
    """The owning organisation of each of these people (see the module docstring), in two
    queries a chunk whatever their number. Does not look at whether they claimed their
    record: callers check `is_claimed` first."""
    # (created at, kind, pk) orders a person's applications and memberships by age;
    # applications go first on a tie, as an import writes them before the membership.
    first: dict[int, tuple[datetime, int, int, int | None]] = {}
    ids = sorted(set(user_ids))
    for start in range(0, len(ids), _IN_CHUNK):
        chunk = ids[start : start + _IN_CHUNK]
        rows: list[tuple[int, datetime, int, int, int | None]] = [
            (user_id, at, 0, pk, organization_id)
            for user_id, at, pk, organization_id in Application.objects.filter(
                user_id__in=chunk
            ).values_list("user_id", "submitted_at", "pk", "organization_id")
        ]
        rows += [
            (user_id, at, 1, pk, organization_id)
            for user_id, at, pk, organization_id in Membership.objects.filter(
                user_id__in=chunk
            ).values_list("user_id", "created_at", "pk", "organization_id")
        ]
        for user_id, at, kind, pk, organization_id in rows:
            key = (at, kind, pk, organization_id)
            if user_id not in first or key[:3] < first[user_id][:3]:
                first[user_id] = key
    return {user_id: first[user_id][3] if user_id in first else None for user_id in ids}


def managed_person_ids(actor: User, people: Iterable[User]) -> set[int]:
    """Ids of those of `people` whose data `actor` may change (bulk `can_change_person`)."""
    people = list(people)
    mine = {p.pk for p in people if p.pk == actor.pk}
    unclaimed = [p.pk for p in people if p.pk != actor.pk and not is_claimed(p)]
    if not unclaimed:  # themselves or claimed records only (every self-edit): no query
        return mine
    if is_platform_admin(actor):
        return mine | set(unclaimed)
    staff_of = staff_organization_ids(actor)
    if not staff_of:
        return mine
    owners = owning_organization_ids(unclaimed)
    return mine | {pk for pk, owner in owners.items() if owner is not None and owner in staff_of}


def can_change_person(actor: User, person: User) -> bool:
    """May `actor` change `person`'s names, language and profile? Themselves always;
    an unclaimed record, the staff of its owning organisation and platform admins."""
    return person.pk in managed_person_ids(actor, [person])
