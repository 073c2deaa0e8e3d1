"""The person's meetings calendar page and private ICS feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from mentorat.lib.views import AuthenticatedHttpRequest
from mentorat.mentorships import calendar, selectors
from mentorat.mentorships.models import (
    CalendarFeed,
)
from mentorat.mentorships.services import meetings as meeting_services


@login_required
@require_GET
def calendar_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    feed = meeting_services.calendar_feed_for(user=user)
    return render(
        request,
        "mentorships/calendar.html",
        {"feed_url": request.build_absolute_uri(_feed_path(feed))},
    )


def _feed_path(feed: CalendarFeed) -> str:
    return reverse("mentorships:calendar_feed", kwargs={"token": feed.token})


@login_required
@require_POST
def calendar_reset(request: AuthenticatedHttpRequest) -> HttpResponse:
    meeting_services.reset_calendar_feed(user=request.user, request=request)
    messages.success(request, _("New calendar address created: the old one no longer works."))
    return redirect("mentorships:calendar")


@never_cache
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The subscription feed; the token in the address is the only credential."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    meetings = list(selectors.meetings_of_user(user=feed.user))
    response = HttpResponse(
        calendar.meetings_feed(meetings, owner=feed.user),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="mentorat.ics"'
    return response
