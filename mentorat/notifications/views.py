"""Coordinators' retry buttons for emails that were not sent."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from mentorat.accounts.models import User
from mentorat.applications.imports.tasks import INVITATION_EMAILS, send_import_invitations
from mentorat.applications.models import RecruitmentCall
from mentorat.applications.tasks import RECRUITMENT_CALL_EMAILS, send_recruitment_call_emails
from mentorat.lib.errors import DomainError
from mentorat.notifications import services
from mentorat.permissions import require
from mentorat.permissions.imports import access_import_batch, can_import_participants
from mentorat.permissions.programs import access_program, can_send_recruitment_call


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _retried(request: HttpRequest, count: int) -> None:
    messages.success(
        request,
        ngettext("%(n)s email will be sent again.", "%(n)s emails will be sent again.", count)
        % {"n": count},
    )


@login_required
@require_POST
def retry_import_invitations(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Send again the invitations of an import that failed or still wait: for whoever
    may see the import (its program's staff, or the partner coordinator who made it)."""
    user = _user(request)
    program = access_program(user, slug, request=request)
    require(can_import_participants(user, program))
    batch = access_import_batch(user, program, pk)
    try:
        count = services.retry_deliveries(
            purpose=INVITATION_EMAILS,
            key=batch.pk,
            enqueue=partial(send_import_invitations.enqueue, batch.pk),
            actor=user,
            organization=program.organization,
            target=batch,
            request=request,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        _retried(request, count)
    return redirect("imports:preview", slug=program.slug, pk=batch.pk)


@login_required
@require_POST
def retry_recruitment_call(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Send again the emails of a call for mentors that failed or still wait: for the
    staff who may send calls for the program."""
    user = _user(request)
    program = access_program(user, slug, request=request)
    require(can_send_recruitment_call(user, program))
    call = RecruitmentCall.objects.filter(program=program, pk=pk).first()
    if call is None:
        raise Http404
    try:
        count = services.retry_deliveries(
            purpose=RECRUITMENT_CALL_EMAILS,
            key=call.pk,
            enqueue=partial(send_recruitment_call_emails.enqueue, call.pk),
            actor=user,
            organization=program.organization,
            target=call,
            request=request,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        _retried(request, count)
    return redirect("applications:right_to_mentor", slug=program.slug)
