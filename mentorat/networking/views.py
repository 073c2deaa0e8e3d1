"""Pages of speed networking: the organisers' plan (settings, grid with each seat's
explanation, swap, lock, plan again, printed schedules) and each person's schedule for
the evening (a phone page). Each view checks access (`mentorat.permissions.networking`),
calls one service and presents the result."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from weasyprint import HTML

from mentorat.events.models import EventKind
from mentorat.lib.timezones import in_user_time_zone
from mentorat.lib.views import (
    AuthenticatedHttpRequest,
    action,
    flashed_errors,
    stored_text_language,
)
from mentorat.networking import selectors, services
from mentorat.networking.forms import PlanForm
from mentorat.networking.models import NetworkingPlan, PlanStatus
from mentorat.permissions.events import access_event
from mentorat.permissions.networking import access_managed_event, access_seat


def _plan_url(pk: int) -> str:
    return reverse("networking:plan", args=[pk])


@login_required
@in_user_time_zone
@require_http_methods(["GET", "POST"])
def plan(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The evening's settings and, once planned, its tables round by round."""
    event = access_managed_event(request.user, pk)
    current = selectors.plan_of(event)
    form = PlanForm(
        request.POST or None,
        instance=current or NetworkingPlan(event=event),
        registered=selectors.registered_people(event),
    )
    if request.method == "POST" and form.is_valid():
        with flashed_errors(request):
            services.request_plan(
                actor=request.user, event=event, request=request,
                rounds=form.cleaned_data["rounds"], table_size=form.cleaned_data["table_size"],
                favour_fewest=form.cleaned_data["favour_fewest"], left_out=form.left_out(),
            )  # fmt: skip
            messages.success(request, _("The rounds are being planned."))
        return redirect(_plan_url(event.pk))
    ready = current is not None and current.status == PlanStatus.READY
    return render(
        request,
        "networking/plan.html",
        {
            "event": event,
            "plan": current,
            "form": form,
            "is_job_dating": event.kind == EventKind.JOB_DATING,
            "tables": selectors.tables(current) if current is not None and ready else [],
            "lang": stored_text_language(),
            "statuses": PlanStatus,
        },
    )


def _managed_plan(request: AuthenticatedHttpRequest, pk: int) -> NetworkingPlan:
    event = access_managed_event(request.user, pk)
    current = selectors.plan_of(event)
    if current is None:
        raise Http404
    return current


@login_required
@require_POST
def replan(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    current = _managed_plan(request, pk)
    return action(
        request,
        run=lambda: services.replan(actor=request.user, plan=current, request=request),
        success=_("The rounds are being planned again around the locked seats."),
        next_url=_plan_url(pk),
    )


@login_required
@require_POST
def swap(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Swap the tables of two mentees of one round (`first`, `second`: seat ids)."""
    current = _managed_plan(request, pk)
    first = access_seat(current, request.POST.get("first"))
    second = access_seat(current, request.POST.get("second"))
    if first is None or second is None:
        messages.error(request, _("Choose two seats of this plan."))
        return redirect(_plan_url(pk))
    return action(
        request,
        run=lambda: services.swap_mentees(
            actor=request.user, plan=current, first=first, second=second, request=request
        ),
        success=_("The two mentees swapped tables."),
        next_url=_plan_url(pk),
    )


@login_required
@require_POST
def lock(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Lock (`locked=1`) or unlock a seat."""
    current = _managed_plan(request, pk)
    seat = access_seat(current, request.POST.get("seat"))
    if seat is None:
        messages.error(request, _("This seat is no longer in the plan."))
        return redirect(_plan_url(pk))
    locked = request.POST.get("locked") == "1"
    return action(
        request,
        run=lambda: services.set_locked(
            actor=request.user, seat=seat, locked=locked, request=request
        ),
        success=_("Seat locked.") if locked else _("Seat unlocked."),
        next_url=_plan_url(pk),
    )


@login_required
@in_user_time_zone
@require_GET
def schedules_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The schedules to print: one page per table, then one per mentee."""
    current = _managed_plan(request, pk)
    html = render_to_string(
        "networking/schedules_pdf.html",
        {
            "event": current.event,
            "plan": current,
            "tables": selectors.tables(current),
            "people": selectors.people_schedules(current),
        },
        request=request,
    )
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="rounds-{current.event_id}.pdf"'
    return response


@login_required
@in_user_time_zone
@require_GET
def mine(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The person's evening, round by round, on a phone."""
    event = access_event(request.user, pk)
    current = selectors.plan_of(event)
    role, slots = "", list[selectors.Slot]()
    if current is not None and current.status == PlanStatus.READY:
        role, slots = selectors.schedule_of(current, request.user)
    return render(
        request,
        "networking/mine.html",
        {"event": event, "plan": current, "role": role, "slots": slots,
         "lang": stored_text_language()},
    )  # fmt: skip
