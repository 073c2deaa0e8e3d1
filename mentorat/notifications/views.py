"""Coordinators' retry buttons for emails that were not sent; each person's notification
preferences and the one-click unsubscribe link of the emails."""

from collections.abc import Callable
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from mentorat.applications.imports.models import ImportBatch
from mentorat.applications.imports.tasks import INVITATION_EMAILS, send_import_invitations
from mentorat.applications.models import RecruitmentCall
from mentorat.applications.tasks import RECRUITMENT_CALL_EMAILS, send_recruitment_call_emails
from mentorat.lib.errors import DomainError
from mentorat.lib.views import AuthenticatedHttpRequest, flashed_errors, form_page
from mentorat.notifications import preferences as choices
from mentorat.notifications import reminders, selectors, services
from mentorat.notifications.forms import PreferencesForm, initial_for
from mentorat.notifications.kinds import DESCRIPTIONS, MANDATORY, MANDATORY_REASON
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


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Which emails the signed-in person receives; mandatory kinds shown as such."""
    user = request.user
    form = PreferencesForm(request.POST or None, initial=initial_for(*choices.choices_of(user)))
    return form_page(
        request,
        form=form,
        save=lambda: services.set_preferences(
            user=user,
            turned_off=form.turned_off(),
            message_frequency=form.frequency(),
            request=request,
        ),
        success=_("Your notification preferences are saved."),
        next_url=lambda _changed: reverse("notifications:preferences"),
        template="notifications/preferences.html",
        context={
            "mandatory": [(kind, DESCRIPTIONS[kind]) for kind in sorted(MANDATORY)],
            "mandatory_reason": MANDATORY_REASON,
            "reminders_stopped": reminders.pairs_with_reminders_stopped(user),
        },
    )


# The link names the person; mail clients post it without cookies nor CSRF token
# (RFC 8058), and the signature is what proves it came from the email.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The unsubscribe link of an email: GET shows what it turns off and a button, and
    writes nothing (mail scanners open every link); POST, from that button or from the
    mail client's one-click unsubscribe (`List-Unsubscribe=One-Click`), turns it off."""
    try:
        person, kind = selectors.unsubscribe_target(token)
    except DomainError as error:
        return render(
            request, "notifications/unsubscribe_invalid.html", {"error": error.message}, status=404
        )
    # In the language of the email the link comes from.
    with translation.override(person.language):
        done = request.method == "POST"
        if done:
            services.unsubscribe(user=person, kind=kind, request=request)
        return render(
            request,
            "notifications/unsubscribe.html",
            {
                "kind": kind,
                "description": DESCRIPTIONS[kind],
                "done": done,
                "already_off": not done and not choices.wants(person, kind),
                "signed_in_as_them": request.user.pk == person.pk,
            },
        )
