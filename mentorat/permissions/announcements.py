"""Who may write to a cohort and read its messages.

A program's staff (its owner's admins and coordinators) write to any segment of its
editions. The coordinators of a partner organisation the program is shared with write
too, but their messages reach only the people their organisation brought (applications
of that organisation), and they see only their organisation's messages. A message a
person received is theirs alone: anyone else gets 404."""

from django.http import Http404

from mentorat.accounts.models import User
from mentorat.announcements.models import Announcement, AnnouncementRecipient
from mentorat.organizations.models import Organization
from mentorat.permissions.programs import is_program_staff, partner_scope
from mentorat.programs.models import Program


def can_write_announcements(user: User, program: Program) -> bool:
    return is_program_staff(user, program) or bool(partner_scope(user, program))


def announcement_scope(user: User, program: Program) -> set[int] | None:
    """Organisations whose messages (and people) `user` may reach; None: all of them."""
    if is_program_staff(user, program):
        return None
    return partner_scope(user, program)


def writing_organization(user: User, program: Program) -> Organization:
    """On whose behalf `user` writes: the program's owner for its staff, else their
    partner organisation (the first, should they be staff of several partners)."""
    scope = announcement_scope(user, program)
    if scope is None:
        return program.organization
    return Organization.objects.get(pk=min(scope))


def access_announcement(user: User, program: Program, pk: int) -> Announcement:
    """A message of `program` that `user` may see (call after `can_write_announcements`);
    404 for the others (for a partner's coordinator: messages of other organisations)."""
    announcements = Announcement.objects.filter(program=program, pk=pk)
    scope = announcement_scope(user, program)
    if scope is not None:
        announcements = announcements.filter(organization_id__in=scope)
    found = announcements.select_related(
        "program__organization", "edition", "organization", "author"
    ).first()
    if found is None:
        raise Http404
    return found


def access_received_announcement(user: User, pk: int) -> AnnouncementRecipient:
    """`user`'s copy of a message they received; 404 for everyone else."""
    found = (
        AnnouncementRecipient.objects.filter(user_id=user.pk, announcement_id=pk)
        .select_related("announcement__program", "announcement__organization")
        .first()
    )
    if found is None:
        raise Http404
    return found
