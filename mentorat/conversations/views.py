"""Pages of conversations: the inbox, a pair's thread (with its polled fragment of new
messages), file downloads, reports, and the buttons of readers and coordinators.

New messages come by htmx polling of `new_messages` (docs/adr/0009); without JavaScript
the page is reloaded."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorat.conversations import selectors, services
from mentorat.conversations.files import safe_content_type
from mentorat.conversations.forms import (
    AddCoordinatorForm,
    HandleReportForm,
    MessageForm,
    ReasonForm,
    ReportForm,
)
from mentorat.conversations.models import Thread
from mentorat.lib.markdown import render_markdown
from mentorat.lib.timezones import in_user_time_zone
from mentorat.lib.views import AuthenticatedHttpRequest, action, form_errors, form_page
from mentorat.permissions import require
from mentorat.permissions.conversations import (
    access_attachment,
    access_message,
    access_report,
    access_thread,
    access_thread_or_join,
    can_add_coordinator,
    can_handle_reports,
    can_join_thread,
    can_moderate,
    can_post,
    can_read_thread,
    can_report,
    readers_of,
    school_always_reads,
)

# How often an open thread asks for new messages (seconds).
POLL_SECONDS = 10


def _thread_url(thread: Thread, anchor: str = "") -> str:
    url = reverse("conversations:thread", kwargs={"pk": thread.mentorship_id})
    return f"{url}#{anchor}" if anchor else url


@login_required
@require_GET
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The person's conversations (and a link to the messages of their cohorts)."""
    user = request.user
    return render(
        request,
        "conversations/inbox.html",
        {
            "lines": selectors.inbox(user),
            "handles_reports": can_handle_reports(user),
            "open_reports": selectors.open_report_count(user) if can_handle_reports(user) else 0,
        },
    )


def _last_id(shown: list[selectors.ShownMessage], default: int = 0) -> int:
    return shown[-1].message.pk if shown else default


def _thread_context(request: AuthenticatedHttpRequest, thread: Thread) -> dict[str, Any]:
    user = request.user
    moderator = can_moderate(user, thread)
    shown = selectors.thread_messages(thread, viewer=user, moderator=moderator)
    mentorship = thread.mentorship
    readers = readers_of(thread)
    member_ids = {r.user.pk for r in readers}
    context: dict[str, Any] = {
        "thread": thread,
        "mentorship": mentorship,
        "program": mentorship.edition.program,
        "shown": shown,
        "last_id": _last_id(shown),
        "readers": readers,
        "minors": school_always_reads(mentorship),
        "can_post": can_post(user, thread) and thread.closed_at is None and mentorship.is_active,
        "moderator": moderator,
        "reported_ids": selectors.reported_message_ids(thread) if moderator else set(),
        "can_report_ids": {s.message.pk for s in shown if can_report(user, s.message)},
        "poll_seconds": POLL_SECONDS,
        "read_until": selectors.last_read_at(thread, user),
    }
    if can_add_coordinator(user, thread):
        candidates = [c for c in services.coordinators_to_add(mentorship) if c.pk not in member_ids]
        context["add_form"] = AddCoordinatorForm(coordinators=candidates) if candidates else None
    return context


@login_required
@in_user_time_zone
@require_http_methods(["GET", "POST"])
def thread(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The conversation of pair `pk`: its messages, who reads it, the form to write.
    The program's coordinators who do not read it yet are offered to join it."""
    user = request.user
    found = access_thread_or_join(user, pk, request=request)
    if not can_read_thread(user, found):
        require(request.method == "GET")
        return render(
            request,
            "conversations/join.html",
            {"thread": found, "mentorship": found.mentorship, "readers": readers_of(found)},
        )
    form = MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        require(can_post(user, found))
        if form.is_valid():
            with form_errors(form, "body"):
                message = services.post_message(
                    mentorship=found.mentorship,
                    author=user,
                    body=form.cleaned_data["body"],
                    files=request.FILES.getlist("attachments"),
                    request=request,
                )
                messages.success(request, _("Message sent."))
                return redirect(_thread_url(found, f"message-{message.pk}"))
        found = access_thread(user, pk)  # the thread may exist now (a refused first post)
    return render(
        request, "conversations/thread.html", {**_thread_context(request, found), "form": form}
    )


@login_required
@in_user_time_zone
@require_GET
def new_messages(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The messages after `?after=<id>` (htmx polling of the thread page), and the
    poller asking again from the last one."""
    user = request.user
    found = access_thread(user, pk, request=request)
    try:
        after = max(int(request.GET.get("after", "0")), 0)
    except ValueError:
        after = 0
    moderator = can_moderate(user, found)
    shown = selectors.thread_messages(found, viewer=user, after=after, moderator=moderator)
    return render(
        request,
        "conversations/_new_messages.html",
        {
            "thread": found,
            "mentorship": found.mentorship,
            "shown": shown,
            "last_id": _last_id(shown, after),
            "moderator": moderator,
            "reported_ids": set(),
            "can_report_ids": {s.message.pk for s in shown if can_report(user, s.message)},
            "poll_seconds": POLL_SECONDS,
        },
    )


@login_required
@require_POST
def mark_read(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The reader has seen the thread up to message `until` (sent by the page once shown,
    and after each poll that brought messages). Answers the menu's new unread badge."""
    user = request.user
    found = access_thread(user, pk, request=request)
    try:
        until: int | None = int(request.POST.get("until", ""))
    except ValueError:
        until = None
    services.mark_read(thread=found, user=user, until_id=until)
    if request.headers.get("HX-Request"):
        return render(request, "conversations/_menu_badge.html")
    return redirect(_thread_url(found))


@login_required
@require_POST
def join(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    found = access_thread_or_join(user, pk, request=request)
    require(can_join_thread(user, found))
    return action(
        request,
        run=lambda: services.join_thread(mentorship=found.mentorship, user=user, request=request),
        success=_("You joined the conversation: the pair sees you among its readers."),
        next_url=_thread_url(found),
    )


@login_required
@require_POST
def add_coordinator(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    found = access_thread(user, pk, request=request)
    require(can_add_coordinator(user, found))
    form = AddCoordinatorForm(
        request.POST, coordinators=services.coordinators_to_add(found.mentorship)
    )
    if not form.is_valid():
        messages.error(request, _("Choose one of the program's coordinators."))
        return redirect(_thread_url(found))
    return action(
        request,
        run=lambda: services.add_coordinator(
            mentorship=found.mentorship,
            coordinator_id=form.cleaned_data["coordinator"],
            actor=user,
            request=request,
        ),
        success=_("The coordinator now reads this conversation."),
        next_url=_thread_url(found),
    )


def _moderation(request: AuthenticatedHttpRequest, pk: int, *, reopen: bool) -> HttpResponse:
    user = request.user
    found = access_thread(user, pk, request=request)
    require(can_moderate(user, found))
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reason: this field is required."))
        return redirect(_thread_url(found))
    service = services.reopen_thread if reopen else services.close_thread
    return action(
        request,
        run=lambda: service(
            thread=found, actor=user, reason=form.cleaned_data["reason"], request=request
        ),
        success=_("The conversation is open again.")
        if reopen
        else _("The conversation is closed."),
        next_url=_thread_url(found),
    )


@login_required
@require_POST
def close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _moderation(request, pk, reopen=False)


@login_required
@require_POST
def reopen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _moderation(request, pk, reopen=True)


@login_required
@require_GET
def attachment(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """A message's file, to its thread's readers only, always as a download with a type
    from our allow-list (never one the browser could run as a page)."""
    found = access_attachment(request.user, pk, request=request)
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.name,
        content_type=safe_content_type(found.content_type),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@in_user_time_zone
@require_http_methods(["GET", "POST"])
def report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Report a message of the other side to the program's coordinators."""
    user = request.user
    message = access_message(user, pk, request=request)
    require(can_report(user, message))
    form = ReportForm(request.POST or None)
    return form_page(
        request,
        form=form,
        save=lambda: services.report_message(
            message=message, reporter=user, reason=form.cleaned_data["reason"], request=request
        ),
        success=_("Thank you: the program's coordinators have been alerted."),
        next_url=lambda _report: _thread_url(message.thread, f"message-{message.pk}"),
        template="conversations/report_form.html",
        context={
            "message": message,
            "html": render_markdown(message.body),
            "mentorship": message.thread.mentorship,
        },
        error_field="reason",
    )


@login_required
@require_POST
def remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    message = access_message(user, pk, request=request)
    require(can_moderate(user, message.thread))
    return action(
        request,
        run=lambda: services.remove_message(message=message, actor=user, request=request),
        success=_("The message is removed: the pair no longer sees it."),
        next_url=_thread_url(message.thread, f"message-{message.pk}"),
    )


@login_required
@in_user_time_zone
@require_GET
def reports(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Reported messages waiting for the coordinators of the person's organisations."""
    user = request.user
    require(can_handle_reports(user))
    found = list(selectors.open_reports(user)[:200])
    for item in found:
        item.html = render_markdown(item.message.body)  # type: ignore[attr-defined]
    return render(
        request,
        "conversations/reports.html",
        {"reports": found, "form": HandleReportForm()},
    )


@login_required
@require_POST
def handle_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    found = access_report(user, pk)
    form = HandleReportForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return action(
        request,
        run=lambda: services.handle_report(report=found, actor=user, note=note, request=request),
        success=_("The report is marked as handled."),
        next_url=reverse("conversations:reports"),
    )
