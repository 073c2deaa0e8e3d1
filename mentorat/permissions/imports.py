"""Who may import participants into a program, for which organisations.

Staff of the program's organisation import people of the owner or of any partner the
program is shared with, with any importable status. Staff of a partner import their own
organisation's people only, as submitted applications (deciding stays with the owner),
and see only the imports made for their organisation."""

from typing import TYPE_CHECKING

from django.http import Http404

from mentorat.accounts.models import User
from mentorat.applications.imports.models import ImportBatch
from mentorat.permissions.programs import (
    can_decide_applications,
    is_program_staff,
    partner_scope,
    shared_organization_ids,
)

if TYPE_CHECKING:
    from mentorat.applications.imports.models import ImportBatch
    from mentorat.programs.models import Program


def can_import_participants(user: User, program: "Program") -> bool:
    return is_program_staff(user, program) or bool(partner_scope(user, program))


def import_organization_ids(user: User, program: "Program") -> frozenset[int]:
    """Organisations whose people `user` may import into `program`."""
    if is_program_staff(user, program):
        return frozenset({program.organization_id} | shared_organization_ids(program))
    return frozenset(partner_scope(user, program))


def import_scope(user: User, program: "Program") -> frozenset[int] | None:
    """Organisations whose existing applications an import by `user` may update (None:
    all of them)."""
    if is_program_staff(user, program):
        return None
    return frozenset(partner_scope(user, program))


def can_import_decided_statuses(user: User, program: "Program") -> bool:
    return can_decide_applications(user, program)


def access_import_batch(user: User, program: "Program", pk: int) -> "ImportBatch":
    """An import of `program` that `user` may see; 404 for the others (including the
    imports other organisations' coordinators made)."""
    batches = ImportBatch.objects.filter(program=program, pk=pk)
    scope = import_scope(user, program)
    if scope is not None:
        batches = batches.filter(organization_id__in=scope)
    batch = batches.select_related("edition", "organization", "created_by").first()
    if batch is None:
        raise Http404
    return batch
