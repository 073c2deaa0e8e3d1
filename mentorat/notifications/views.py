"""Coordinators' retry buttons for emails that were not sent."""

from collections.abc import Callable
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from mentorat.applications.imports.models import ImportBatch
from mentorat.applications.imports.tasks import INVITATION_EMAILS, send_import_invitations
from mentorat.applications.models import RecruitmentCall
from mentorat.applications.tasks import RECRUITMENT_CALL_EMAILS, send_recruitment_call_emails
from mentorat.lib.views import AuthenticatedHttpRequest, flashed_errors
from mentorat.notifications import services
from mentorat.permissions import require
from mentorat.permissions.imports import access_import_batch, can_import_participants
from mentorat.permissions.programs import access_program, can_send_recruitment_call
from mentorat.programs.models import Program


def _retry(
    request: AuthenticatedHttpRequest,
    *,
    purpose: str,
    program: Program,
    target: ImportBatch | RecruitmentCall,
    enqueue: Callable[[], object],
) -> None:
    """Queue the unsent emails of `target` again and say how many."""
    with flashed_errors(request):
        count = services.retry_deliveries(
            purpose=purpose,
            key=target.pk,
            enqueue=enqueue,
            actor=request.user,
            organization=program.organization,
            target=target,
            request=request,
        )
        messages.success(
            request,
            ngettext("%(n)s email will be sent again.", "%(n)s emails will be sent again.", count)
            % {"n": count},
        )


@login_required
@require_POST
def retry_import_invitations(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Send again the invitations of an import that failed or still wait: for whoever
    may see the import (its program's staff, or the partner coordinator who made it)."""
    user = request.user
    program = access_program(user, slug, request=request)
    require(can_import_participants(user, program))
    batch = access_import_batch(user, program, pk)
    _retry(
        request,
        purpose=INVITATION_EMAILS,
        program=program,
        target=batch,
        enqueue=partial(send_import_invitations.enqueue, batch.pk),
    )
    return redirect("imports:preview", slug=program.slug, pk=batch.pk)


@login_required
@require_POST
def retry_recruitment_call(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Send again the emails of a call for mentors that failed or still wait: for the
    staff who may send calls for the program."""
    user = request.user
    program = access_program(user, slug, request=request)
    require(can_send_recruitment_call(user, program))
    call = RecruitmentCall.objects.filter(program=program, pk=pk).first()
    if call is None:
        raise Http404
    _retry(
        request,
        purpose=RECRUITMENT_CALL_EMAILS,
        program=program,
        target=call,
        enqueue=partial(send_recruitment_call_emails.enqueue, call.pk),
    )
    return redirect("applications:right_to_mentor", slug=program.slug)
