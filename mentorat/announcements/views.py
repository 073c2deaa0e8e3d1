"""Messages to a cohort: the coordinators' pages (write, preview, send, list) and each
person's inbox.

Reading a message writes nothing on GET: the detail page marks it read with a small
POST sent by htmx once the page has loaded (a person's browser ran it, not a link
scanner or a prefetch), with the same POST as a button when scripts are off."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from mentorat.announcements import delivery, selectors, services
from mentorat.announcements.forms import AnnouncementForm
from mentorat.announcements.models import Announcement, AnnouncementStatus
from mentorat.lib.markdown import render_markdown
from mentorat.lib.views import AuthenticatedHttpRequest, flashed_errors, form_page
from mentorat.permissions import require
from mentorat.permissions.announcements import (
    access_announcement,
    access_received_announcement,
    announcement_scope,
    can_write_announcements,
    writing_organization,
)
from mentorat.permissions.programs import access_program


@login_required
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Messages the person received as part of a cohort, unread first."""
    return render(
        request, "announcements/inbox.html", {"received": selectors.inbox(user=request.user)}
    )


@login_required
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    received = access_received_announcement(request.user, pk)
    return render(
        request,
        "announcements/detail.html",
        {
            "received": received,
            "announcement": received.announcement,
            "body_html": render_markdown(received.announcement.body),
        },
    )


@login_required
@require_POST
def mark_read(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    received = access_received_announcement(request.user, pk)
    services.mark_read(recipient=received)
    if request.headers.get("HX-Request"):
        return render(request, "announcements/_read.html", {"received": received})
    return redirect("announcements:inbox")


@login_required
def program_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """A program's messages to its cohorts (coordinators and partner contacts)."""
    user = request.user
    program = access_program(user, slug, request=request)
    require(can_write_announcements(user, program))
    rows = selectors.program_announcements(program=program, scope=announcement_scope(user, program))
    return render(request, "announcements/program_list.html", {"program": program, "rows": rows})


@login_required
def write(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    user = request.user
    program = access_program(user, slug, request=request)
    require(can_write_announcements(user, program))
    form = AnnouncementForm(request.POST or None, program=program)
    organization = writing_organization(user, program)

    def save() -> Announcement:
        data = form.cleaned_data
        return services.write_announcement(
            program=program,
            edition=data["edition"],
            organization=organization,
            segment=data["segment"],
            filters=form.filters(),
            subject=data["subject"],
            body=data["body"],
            actor=user,
            request=request,
        )

    return form_page(
        request,
        form=form,
        save=save,
        success=_("Draft saved: check the recipients and the email, then send it."),
        next_url=lambda announcement: reverse(
            "announcements:preview", kwargs={"slug": program.slug, "pk": announcement.pk}
        ),
        template="announcements/write.html",
        context={
            "program": program,
            "organization": organization,
            "partner": organization.pk != program.organization_id,
        },
    )


@login_required
def preview(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """A draft: how many people it reaches and the email the first one gets; a message
    sent: who received it and how its emails stand."""
    user = request.user
    program = access_program(user, slug, request=request)
    require(can_write_announcements(user, program))
    announcement = access_announcement(user, program, pk)
    shown = (
        delivery.preview(announcement=announcement)
        if announcement.status == AnnouncementStatus.DRAFT
        else None
    )
    return render(
        request,
        "announcements/preview.html",
        {
            "program": program,
            "announcement": announcement,
            "preview": shown,
            "body_html": render_markdown(announcement.body),
            "emails": selectors.program_emails(announcement=announcement),
            "read": selectors.read_count(announcement=announcement),
        },
    )


@login_required
@require_POST
def send(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    user = request.user
    program = access_program(user, slug, request=request)
    require(can_write_announcements(user, program))
    announcement = access_announcement(user, program, pk)
    with flashed_errors(request):
        count = services.send_announcement(announcement=announcement, actor=user, request=request)
        messages.success(
            request,
            ngettext(
                "The message is being sent to %(n)s person.",
                "The message is being sent to %(n)s people.",
                count,
            )
            % {"n": count},
        )
    return redirect("announcements:preview", slug=program.slug, pk=announcement.pk)


@login_required
@require_POST
def retry_emails(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    user = request.user
    program = access_program(user, slug, request=request)
    require(can_write_announcements(user, program))
    announcement = access_announcement(user, program, pk)
    with flashed_errors(request):
        count = services.retry_announcement_emails(
            announcement=announcement, actor=user, request=request
        )
        messages.success(
            request,
            ngettext("%(n)s email will be sent again.", "%(n)s emails will be sent again.", count)
            % {"n": count},
        )
    return redirect("announcements:preview", slug=program.slug, pk=announcement.pk)
