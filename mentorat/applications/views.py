from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from mentorat.applications import guardians, list_rows, selectors
from mentorat.applications.forms import (
    ApplicationFilterForm,
    ApplicationForm,
    BulkDecisionForm,
    DecisionForm,
    GuardianConsentForm,
    GuardianWithdrawalForm,
    InfoResponseForm,
    RecruitmentCallForm,
)
from mentorat.applications.models import DECIDABLE, Application, ApplicationStatus
from mentorat.applications.services import decisions, recruitment, submission
from mentorat.applications.tasks import RECRUITMENT_CALL_EMAILS
from mentorat.lib.errors import DomainError
from mentorat.lib.views import AuthenticatedHttpRequest, flashed_errors, form_errors
from mentorat.notifications.selectors import delivery_summaries
from mentorat.participants.models import Profile
from mentorat.permissions import require
from mentorat.permissions.programs import (
    access_application,
    access_own_application,
    access_program,
    access_public_program,
    application_scope,
    can_decide_applications,
    can_send_recruitment_call,
    can_view_applications,
    is_program_staff,
)
from mentorat.programs.models import ParticipantRole
from mentorat.programs.selectors import current_charter, open_edition

# Applicants --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: AuthenticatedHttpRequest, slug: str, role: str) -> HttpResponse:
    user = request.user
    program = access_public_program(user, slug)
    if role not in ParticipantRole.values:
        raise Http404
    edition = open_edition(program=program, today=timezone.localdate())
    charter = current_charter(program=program)
    context = {
        "program": program,
        "edition": edition,
        "charter": charter,
        "role": ParticipantRole(role),
    }
    if edition is None:
        return render(request, "applications/apply_closed.html", context)
    existing = (
        program
        and edition.applications.filter(user=user)
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .first()
    )
    if existing is not None:
        messages.info(request, _("You have already applied to this edition."))
        return redirect("applications:my_detail", pk=existing.pk)
    profile = (
        Profile.objects.filter(user=user)
        .prefetch_related("skills_offered", "skills_wanted")
        .first()
    )
    form = ApplicationForm(
        request.POST or None,
        initial=ApplicationForm.initial_from(profile),
        role=role,
        questions=submission.questions_for(program=program, role=role),
        organizations=submission.applicant_organizations(user=user, program=program),
        has_charter=charter is not None,
    )
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            application = submission.submit_application(
                edition=edition,
                user=user,
                role=role,
                answers=form.answers(),
                charter_accepted=form.cleaned_data.get("charter_accepted", False),
                organization=form.chosen_organization(),
                profile=form.profile_data(),
                guardian_email=form.cleaned_data.get("guardian_email") or "",
                request=request,
            )
            if application.status == ApplicationStatus.AWAITING_GUARDIAN_CONSENT:
                messages.success(
                    request,
                    _(
                        "Application saved. We have emailed your guardian: it will be sent "
                        "to the coordinators once they consent."
                    ),
                )
            else:
                messages.success(
                    request, _("Application sent. You will receive the answer by email.")
                )
            return redirect("applications:my_detail", pk=application.pk)
    return render(request, "applications/apply.html", context | {"form": form})


@login_required
def my_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "applications/my_list.html",
        {"applications": selectors.applications_of_user(user=request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    application = access_own_application(user, pk)
    program = application.edition.program
    form = None
    if application.status == ApplicationStatus.INFO_REQUESTED:
        form = InfoResponseForm(
            request.POST or None,
            questions=submission.questions_for(program=program, role=application.role),
            initial={
                f"q_{k}": v.get("answer") for k, v in application.answers.items() if k.isdigit()
            },
        )
        if request.method == "POST" and form.is_valid():
            with form_errors(form):
                submission.respond_to_info_request(
                    application=application,
                    answers=form.answers(),
                    message=form.cleaned_data["message"],
                    actor=user,
                    request=request,
                )
                messages.success(
                    request, _("Thank you: your application is back with the coordinators.")
                )
                return redirect("applications:my_detail", pk=application.pk)
    elif request.method == "POST":
        return HttpResponse(status=405)
    return render(
        request,
        "applications/my_detail.html",
        {
            "application": application,
            "program": program,
            "form": form,
            "can_withdraw": application.status
            not in {ApplicationStatus.WITHDRAWN, ApplicationStatus.DECLINED},
            "has_pair": selectors.has_active_pair(application=application),
        },
    )


@require_http_methods(["GET", "POST"])
def guardian_consent(request: HttpRequest, token: str) -> HttpResponse:
    """Public page of the link emailed to a pupil's guardian: a form that records the
    consent on POST; once consented, the consent record with a button to withdraw it.
    Opening the link changes nothing."""
    try:
        application = guardians.application_from_guardian_token(token)
    except guardians.ConsentAlreadyRecorded as done:
        return _guardian_record(request, token, done.application)
    except guardians.GuardianLinkError as error:
        return _guardian_invalid(request, error)
    form = GuardianConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = guardians.record_guardian_consent(
                token=token, consent=form.consent_given(), request=request
            )
        except guardians.ConsentAlreadyRecorded as done:
            return _guardian_record(request, token, done.application)
        except guardians.GuardianLinkError as error:
            return _guardian_invalid(request, error)
        except DomainError as error:  # after the link errors, which are DomainErrors too
            form.add_error(None, error.message)
        else:
            return render(request, "applications/guardian_done.html", {"application": application})
    program = application.edition.program
    return render(
        request,
        "applications/guardian_consent.html",
        {
            "application": application,
            "program": program,
            "charter": current_charter(program=program),
            "form": form,
        },
    )


def _guardian_record(request: HttpRequest, token: str, application: Application) -> HttpResponse:
    """The consent given through the link, and the form that withdraws it (posted with
    `action=withdraw`); a consent form posted again changes nothing (`posted_again`)."""
    withdrawing = request.method == "POST" and request.POST.get("action") == "withdraw"
    form = GuardianWithdrawalForm(request.POST if withdrawing else None)
    withdrawn_now = False
    if withdrawing and form.is_valid():
        try:
            result = guardians.withdraw_guardian_consent(token=token, request=request)
        except guardians.GuardianLinkError as error:
            return _guardian_invalid(request, error)
        application, withdrawn_now = result.application, not result.already
    return render(
        request,
        "applications/guardian_record.html",
        {
            "application": application,
            "program": application.edition.program,
            "consent_statement": GuardianConsentForm.base_fields["consent"].label,
            "form": form,
            "can_withdraw": guardians.can_withdraw_guardian_consent(application),
            "withdrawn_now": withdrawn_now,
            # The consent had been given before this page (always, on this page).
            "already": True,
            "posted_again": request.method == "POST" and not withdrawing,
        },
    )


def _guardian_invalid(request: HttpRequest, error: DomainError) -> HttpResponse:
    return render(
        request, "applications/guardian_invalid.html", {"error": error.message}, status=410
    )


# Coordinators ------------------------------------------------------------------------------


@login_required
def application_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    user = request.user
    program = access_program(user, slug, request=request)
    require(can_view_applications(user, program))
    scope = application_scope(user, program)
    organizations, editions = selectors.filter_choices(program=program, scope=scope)
    form = ApplicationFilterForm(
        request.GET or None, organizations=organizations, editions=editions
    )
    filters = selectors.ApplicationFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.ApplicationFilters(
            status=data["status"],
            role=data["role"],
            organization_id=data["organization"].pk if data["organization"] else None,
            rome_domain=data["rome_domain"],
            edition_id=data["edition"].pk if data["edition"] else None,
            submitted_from=data["submitted_from"],
            submitted_to=data["submitted_to"],
            search=data["q"].strip(),
        )
    counts = selectors.status_counts(program=program, scope=scope)
    paginator = Paginator(
        selectors.applications_of(program=program, scope=scope, filters=filters),
        selectors.LIST_PAGE_SIZE,
    )
    if filters == selectors.ApplicationFilters():  # all of them: counted with their statuses
        paginator.count = sum(counts.values())
    page = paginator.get_page(request.GET.get("page"))
    can_decide = can_decide_applications(user, program)
    full_access = is_program_staff(user, program)
    # The rows written in Python (list_rows), the same HTML as a template loop in a
    # fraction of its time. Each row links to its review page: the URL of a pk-0 review
    # without its pk, one reverse() a page instead of one a row.
    rows = list_rows.table_rows(
        page,
        warnings=selectors.guardian_warnings(applications=page),
        review_url=reverse("applications:review", args=[program.slug, 0]).removesuffix("0/"),
        can_decide=can_decide,
        full_access=full_access,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "applications/application_list.html",
        {
            "program": program,
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "counts": [(label, counts.get(value, 0)) for value, label in ApplicationStatus.choices],
            "can_decide": can_decide,
            "decision_form": DecisionForm(),
        },
    )


@login_required
@require_POST
def bulk_decide(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    user = request.user
    program = access_program(user, slug, request=request)
    require(can_decide_applications(user, program))
    form = BulkDecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("applications:list", slug=program.slug)
    with flashed_errors(request):
        result = decisions.decide_applications(
            program=program,
            application_ids=form.cleaned_data["applications"],
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
            actor=user,
            request=request,
        )
        messages.success(
            request,
            ngettext("%(n)s application decided.", "%(n)s applications decided.", result.decided)
            % {"n": result.decided},
        )
        for skipped in result.skipped:
            messages.warning(request, skipped)
    return redirect("applications:list", slug=program.slug)


@login_required
@require_http_methods(["GET", "POST"])
def review(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    user = request.user
    program = access_program(user, slug, request=request)
    require(can_view_applications(user, program))
    application = access_application(user, program, pk, request=request)
    can_decide = can_decide_applications(user, program)
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        require(can_decide)
        if form.is_valid():
            with form_errors(form):
                decisions.decide_application(
                    application=application,
                    decision=form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"],
                    actor=user,
                    request=request,
                )
                messages.success(request, _("Decision saved; the applicant is informed by email."))
                return redirect("applications:list", slug=program.slug)
    full_access = is_program_staff(user, program)
    return render(
        request,
        "applications/review.html",
        {
            "program": program,
            "application": application,
            "profile": getattr(application.user, "profile", None),
            "form": form,
            "can_decide": can_decide and application.status in DECIDABLE,
            "show_contact": full_access or not application.contact_through_platform_only,
            "guardian_warning": selectors.guardian_address_warning(application=application),
            # Program staff may email the consent link again (rate-limited).
            "can_resend_guardian": full_access
            and application.status == ApplicationStatus.AWAITING_GUARDIAN_CONSENT
            and bool(application.guardian_email),
            "guardian_resend_at": guardians.next_guardian_resend_at(application)
            if full_access and application.status == ApplicationStatus.AWAITING_GUARDIAN_CONSENT
            else None,
            # Program staff also set a mentor's number of mentees (matching).
            "full_access": full_access,
        },
    )


@login_required
@require_POST
def resend_guardian_consent(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Send the consent email to a pupil's guardian again (program staff, rate-limited)."""
    user = request.user
    program = access_program(user, slug, request=request)
    require(can_decide_applications(user, program))
    application = access_application(user, program, pk, request=request)
    with flashed_errors(request):
        guardians.resend_guardian_consent_email(
            application=application, actor=user, request=request
        )
        messages.success(request, _("The consent email was sent to the guardian again."))
    return redirect("applications:review", slug=program.slug, pk=application.pk)


@login_required
def right_to_mentor(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    user = request.user
    program = access_program(user, slug, request=request)
    require(can_view_applications(user, program))
    scope = application_scope(user, program)
    summary = selectors.right_to_mentor(program=program, scope=scope)
    waiting = list(selectors.waiting_mentees(program=program, scope=scope)[:50])
    now = timezone.now()
    calls = list(program.recruitment_calls.select_related("sent_by")[:5])
    deliveries = delivery_summaries(
        purpose=RECRUITMENT_CALL_EMAILS, keys=[call.pk for call in calls]
    )
    return render(
        request,
        "applications/right_to_mentor.html",
        {
            "program": program,
            "summary": summary,
            "total": summary.total,
            "waiting": [(a, (now - (a.accepted_at or now)).days) for a in waiting],
            "can_call": can_send_recruitment_call(user, program),
            "call_form": RecruitmentCallForm(),
            "next_call_at": recruitment.next_recruitment_call_allowed_at(program=program),
            "recipients": recruitment.recruitment_recipients(program=program)
            if can_send_recruitment_call(user, program)
            else [],
            "calls": [(call, deliveries[str(call.pk)]) for call in calls],
        },
    )


@login_required
@require_POST
def recruitment_call(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    user = request.user
    program = access_program(user, slug, request=request)
    require(can_send_recruitment_call(user, program))
    form = RecruitmentCallForm(request.POST)
    if form.is_valid():
        gap = selectors.right_to_mentor(program=program).total.gap
        with flashed_errors(request):
            call = recruitment.send_recruitment_call(
                program=program,
                message=form.cleaned_data["message"],
                mentors_needed=gap,
                actor=user,
                request=request,
            )
            messages.success(
                request,
                ngettext(
                    "Call sent to %(n)s contact of partner organisations.",
                    "Call sent to %(n)s contacts of partner organisations.",
                    len(call.recipients),
                )
                % {"n": len(call.recipients)},
            )
    else:
        messages.error(request, _("Message: at most 3000 characters."))
    return redirect("applications:right_to_mentor", slug=program.slug)
