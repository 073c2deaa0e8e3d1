"""Pages of events: the list, one event (register, cancel, confirm an offered place),
the ticket with its QR code, the organisers' pages (create, edit, attendees, exports,
the door page and its check-in endpoint), and the after-event survey and contacts.
Each view checks access (`mentorat.permissions.events`), calls one service and presents
the result. Times are shown and read in the reader's time zone."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorat.accounts.models import User
from mentorat.events import exports, selectors, services
from mentorat.events.forms import (
    CheckInForm,
    ContactForm,
    EventForm,
    FeedbackForm,
    IntroductionForm,
    RegisterPersonForm,
)
from mentorat.events.links import check_in_token
from mentorat.events.models import (
    Contact,
    Event,
    EventFormat,
    Registration,
    RegistrationStatus,
)
from mentorat.events.qr import qr_svg
from mentorat.lib.csv_export import csv_response
from mentorat.lib.errors import DomainError
from mentorat.lib.timezones import in_user_time_zone
from mentorat.lib.views import AuthenticatedHttpRequest, action, flashed_errors, form_page
from mentorat.organizations.models import Organization
from mentorat.permissions import require
from mentorat.permissions.events import (
    access_event,
    access_own_registration,
    can_create_event,
    can_manage_event,
    can_see_online_link,
    is_in_audience,
    registration_of,
    staff_organization_ids,
    visible_events,
)
from mentorat.permissions.organizations import access_organization


@login_required
@in_user_time_zone
def list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The events the person may see: coming ones first, then past ones."""
    user = request.user
    events = visible_events(user)
    coming = [*selectors.upcoming(events)]
    gone = [*selectors.past(events)[:20]]
    mine = selectors.registrations_by_event(user=user, event_ids=[e.pk for e in coming + gone])
    staff_of = staff_organization_ids(user)
    return render(
        request,
        "events/list.html",
        {
            "coming": [(event, mine.get(event.pk)) for event in coming],
            "past": [(event, mine.get(event.pk)) for event in gone],
            "organizations": Organization.objects.filter(pk__in=staff_of).order_by("name"),
        },
    )


@login_required
@in_user_time_zone
@require_http_methods(["GET", "POST"])
def new(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organization = access_organization(request.user, slug, request=request)
    require(can_create_event(request.user, organization))
    form = EventForm(request.POST or None, organization=organization)

    def save() -> Event:
        data = dict(form.cleaned_data)
        co_hosts = data.pop("co_hosts")
        return services.create_event(
            organization=organization,
            actor=request.user,
            co_hosts=co_hosts,
            request=request,
            **data,
        )

    return form_page(
        request,
        form=form,
        save=save,
        success=_("Event created."),
        next_url=lambda event: reverse("events:detail", args=[event.pk]),
        template="events/event_form.html",
        context={"organization": organization, "event": None},
    )


def _managed(request: AuthenticatedHttpRequest, pk: int) -> Event:
    event = access_event(request.user, pk)
    require(can_manage_event(request.user, event))
    return event


@login_required
@in_user_time_zone
@require_http_methods(["GET", "POST"])
def edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = _managed(request, pk)
    form = EventForm(request.POST or None, instance=event, organization=event.organization)

    def save() -> Event:
        data = dict(form.cleaned_data)
        co_hosts = data.pop("co_hosts")
        # A co-host's coordinator edits the event but does not choose its co-hosts.
        keep_hosts = event.organization_id in staff_organization_ids(request.user)
        return services.update_event(
            event=event,
            actor=request.user,
            co_hosts=co_hosts if keep_hosts else None,
            request=request,
            **data,
        )

    return form_page(
        request,
        form=form,
        save=save,
        success=_("Event saved."),
        next_url=lambda saved: reverse("events:detail", args=[saved.pk]),
        template="events/event_form.html",
        context={"organization": event.organization, "event": event},
    )


@login_required
@in_user_time_zone
@require_GET
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    event = access_event(user, pk)
    registration = registration_of(user, event)
    held = services.free_places(event)
    now = timezone.now()
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "registration": registration,
            "free_places": held,
            "can_manage": can_manage_event(user, event),
            "can_register": is_in_audience(user, event)
            and event.cancelled_at is None
            and event.ends_at > now
            and (event.registration_deadline is None or event.registration_deadline >= now),
            "show_link": event.format == EventFormat.ONLINE and can_see_online_link(user, event),
            "is_over": event.ends_at < now,
            "statuses": RegistrationStatus,
        },
    )


@login_required
@require_POST
def register(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = access_event(request.user, pk)
    require(is_in_audience(request.user, event) or can_manage_event(request.user, event))
    with flashed_errors(request):
        registration = services.register(event=event, user=request.user, request=request)
        if registration.status == RegistrationStatus.REGISTERED:
            messages.success(request, _("You are registered; a confirmation is emailed to you."))
        else:
            messages.success(
                request,
                _(
                    "The event is full: you are on the waiting list. You will be emailed if a "
                    "place frees up."
                ),
            )
    return redirect("events:detail", pk=pk)


def _own(request: AuthenticatedHttpRequest, pk: int) -> tuple[Event, Registration]:
    event = access_event(request.user, pk)
    registration = registration_of(request.user, event)
    if registration is None:
        raise DomainError(_("You are not registered for this event."))
    return event, registration


@login_required
@require_POST
def cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access_event(request.user, pk)
    with flashed_errors(request):
        _event, registration = _own(request, pk)
        services.cancel_registration(registration=registration, actor=request.user, request=request)
        messages.success(request, _("Your registration is cancelled."))
    return redirect("events:detail", pk=pk)


@login_required
@require_POST
def confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access_event(request.user, pk)
    with flashed_errors(request):
        _event, registration = _own(request, pk)
        services.confirm_offer(registration=registration, user=request.user, request=request)
        messages.success(request, _("Your place is confirmed; a confirmation is emailed to you."))
    return redirect("events:detail", pk=pk)


@login_required
@in_user_time_zone
@require_GET
def ticket(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The person's registration with the QR code shown at the door."""
    registration = access_own_registration(request.user, pk)
    event = registration.event
    confirmed = registration.status == RegistrationStatus.REGISTERED
    token = check_in_token(registration_id=registration.pk, event_id=event.pk)
    return render(
        request,
        "events/ticket.html",
        {
            "registration": registration,
            "event": event,
            "qr": qr_svg(token) if confirmed else "",
            "token": token if confirmed else "",
        },
    )


@login_required
@in_user_time_zone
@require_GET
def attendees(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = _managed(request, pk)
    return render(
        request,
        "events/attendees.html",
        {
            "event": event,
            "registrations": selectors.attendees(event=event),
            "form": RegisterPersonForm(),
            "statuses": RegistrationStatus,
            "free_places": services.free_places(event),
        },
    )


@login_required
@require_POST
def register_person(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = _managed(request, pk)
    form = RegisterPersonForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("events:attendees", pk=pk)
    person: User = form.cleaned_data["email"]
    return action(
        request,
        run=lambda: services.register(
            event=event, user=person, actor=request.user, request=request
        ),
        success=_("%(name)s is registered.") % {"name": person.display_name},
        next_url=reverse("events:attendees", args=[pk]),
    )


def _registration_id(request: AuthenticatedHttpRequest) -> int:
    try:
        return int(request.POST.get("registration", ""))
    except ValueError:
        return 0


@login_required
@require_POST
def attendance(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = _managed(request, pk)
    attended = request.POST.get("attended") == "1"
    return action(
        request,
        run=lambda: services.set_attendance(
            event=event,
            registration_id=_registration_id(request),
            attended=attended,
            actor=request.user,
            request=request,
        ),
        success=_("Attendance saved."),
        next_url=reverse("events:attendees", args=[pk]),
    )


@login_required
@require_POST
def cancel_person(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = _managed(request, pk)

    def run() -> None:
        registration = Registration.objects.filter(
            pk=_registration_id(request), event=event
        ).first()
        if registration is None:
            raise DomainError(_("This registration is not for this event."))
        services.cancel_registration(registration=registration, actor=request.user, request=request)

    return action(
        request,
        run=run,
        success=_("Registration cancelled."),
        next_url=reverse("events:attendees", args=[pk]),
    )


@login_required
@in_user_time_zone
@require_GET
def export_csv(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = _managed(request, pk)
    return csv_response(exports.attendees_csv(event), filename=f"event-{event.pk}.csv")


@login_required
@in_user_time_zone
@require_GET
def export_xlsx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = _managed(request, pk)
    response = HttpResponse(exports.attendees_xlsx(event), content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.xlsx"'
    return response


@login_required
@in_user_time_zone
@require_GET
def export_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The sign-in sheet to print for the door."""
    event = _managed(request, pk)
    response = HttpResponse(exports.sign_in_sheet(event), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="sign-in-{event.pk}.pdf"'
    return response


@login_required
@in_user_time_zone
@require_GET
def door(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The phone page at the door: scan a QR code or type a name. Check-ins wait in the
    page (localStorage) until the server confirms them (`door.js`)."""
    event = _managed(request, pk)
    return render(request, "events/door.html", {"event": event})


@never_cache
@login_required
@require_GET
def door_search(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The registrations matching `?q=` (name or email), as JSON for the door page."""
    event = _managed(request, pk)
    query = request.GET.get("q", "").strip()[:100]
    found = selectors.search_attendees(event=event, query=query) if len(query) >= 2 else []
    return JsonResponse(
        {
            "results": [
                {
                    "id": registration.pk,
                    "name": registration.user.display_name,
                    "status": registration.get_status_display(),
                    "attended": registration.attended,
                }
                for registration in found
            ]
        }
    )


@never_cache
@login_required
@require_POST
def check_in(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Check one person in (a QR token or a registration id). Idempotent: the door page
    retries until it gets an answer, and a second check-in of the same person succeeds
    without changing anything."""
    event = _managed(request, pk)
    form = CheckInForm(request.POST)
    if not form.is_valid() or not (form.cleaned_data["token"] or form.cleaned_data["registration"]):
        return JsonResponse({"ok": False, "error": _("Nothing to check in.")}, status=400)
    try:
        if form.cleaned_data["token"]:
            registration = services.check_in_by_token(
                event=event, token=form.cleaned_data["token"], actor=request.user, request=request
            )
        else:
            registration = services.check_in(
                event=event,
                registration_id=form.cleaned_data["registration"],
                actor=request.user,
                request=request,
            )
    except DomainError as error:
        # A refusal is final: the page stops retrying and shows why.
        return JsonResponse({"ok": False, "error": error.message}, status=422)
    return JsonResponse(
        {
            "ok": True,
            "id": registration.pk,
            "name": registration.user.display_name,
            "message": _("%(name)s is checked in.") % {"name": registration.user.display_name},
        }
    )


def _attended(request: AuthenticatedHttpRequest, pk: int) -> tuple[Event, Registration]:
    event = access_event(request.user, pk)
    registration = registration_of(request.user, event)
    require(registration is not None and registration.attended)
    assert registration is not None
    return event, registration


@login_required
@in_user_time_zone
@require_http_methods(["GET", "POST"])
def feedback(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The survey after the event, and the people the attendee met."""
    event, registration = _attended(request, pk)
    existing = getattr(registration, "feedback", None)
    form = FeedbackForm(
        request.POST or None,
        initial={"rating": existing.rating, "comment": existing.comment} if existing else None,
    )
    others = User.objects.filter(
        event_registrations__event=event, event_registrations__attended=True
    ).exclude(pk=request.user.pk)
    return form_page(
        request,
        form=form,
        save=lambda: services.give_feedback(
            registration=registration,
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"],
        ),
        success=_("Thank you for your answer."),
        next_url=lambda _result: reverse("events:feedback", args=[pk]),
        template="events/feedback.html",
        context={
            "event": event,
            "contacts": registration.contacts.select_related("met").order_by("met__last_name"),
            "contact_form": ContactForm(people=others),
            "introduction_form": IntroductionForm(),
        },
    )


@login_required
@require_POST
def contact_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event, registration = _attended(request, pk)
    others = User.objects.filter(event_registrations__event=event).exclude(pk=request.user.pk)
    form = ContactForm(request.POST, people=others)
    if not form.is_valid():
        messages.error(request, _("Choose someone who attended the event."))
        return redirect("events:feedback", pk=pk)
    return action(
        request,
        run=lambda: services.add_contact(registration=registration, met=form.cleaned_data["met"]),
        success=_("Saved."),
        next_url=reverse("events:feedback", args=[pk]),
    )


@login_required
@require_POST
def introduction(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Ask to be introduced again to someone met at the event (`contact` in the data)."""
    _event, registration = _attended(request, pk)
    contact = Contact.objects.filter(
        pk=_registration_id_of(request, "contact"), registration=registration
    ).first()
    form = IntroductionForm(request.POST)
    if contact is None or not form.is_valid():
        messages.error(request, _("Choose someone you met at the event."))
        return redirect("events:feedback", pk=pk)
    return action(
        request,
        run=lambda: services.request_introduction(contact=contact, note=form.cleaned_data["note"]),
        success=_("Request sent to the coordinators."),
        next_url=reverse("events:feedback", args=[pk]),
    )


def _registration_id_of(request: AuthenticatedHttpRequest, name: str) -> int:
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        return 0


@login_required
@in_user_time_zone
@require_http_methods(["GET", "POST"])
def introductions(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Requests to be introduced again, for the organisation's coordinators."""
    organization = access_organization(request.user, slug, request=request)
    require(can_create_event(request.user, organization))
    requests = selectors.introduction_requests(organization_ids={organization.pk})
    if request.method == "POST":
        contact = requests.filter(pk=_registration_id_of(request, "contact")).first()
        if contact is None:
            messages.error(request, _("This request was already handled."))
        else:
            services.mark_introduction_handled(contact=contact, actor=request.user)
            messages.success(request, _("Marked as done."))
        return redirect("events:introductions", slug=slug)
    return render(
        request,
        "events/introductions.html",
        {"organization": organization, "requests": requests},
    )
