"""Coordinator pages of the matching: runs, progress, summary, review, publication."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from mentorat.applications.models import Application
from mentorat.lib.errors import DomainError
from mentorat.lib.views import (
    AuthenticatedHttpRequest,
    action,
    flashed_errors,
    form_errors,
    on_domain_error,
    stored_text_language,
)
from mentorat.matching import explain, exports, inputs, reservations, selectors
from mentorat.matching.forms import (
    AssignForm,
    CapacityForm,
    ExcludeForm,
    ProposalFilterForm,
    ReservationForm,
    StartRunForm,
)
from mentorat.matching.models import WITH_PROPOSALS, MatchRun, RunStatus
from mentorat.matching.parameters import RunParameters
from mentorat.matching.services import capacity as capacity_services
from mentorat.matching.services import publication
from mentorat.matching.services import reservations as reservation_services
from mentorat.matching.services import review as review_services
from mentorat.matching.services import runs as run_services
from mentorat.organizations.models import Organization
from mentorat.permissions import require
from mentorat.permissions.matching import access_proposal, access_run, can_run_matching
from mentorat.permissions.programs import (
    access_application,
    access_program,
    shared_organization_ids,
)
from mentorat.programs.models import MatchingSettings, Program


def _program(request: AuthenticatedHttpRequest, slug: str) -> Program:
    program = access_program(request.user, slug, request=request)
    require(can_run_matching(request.user, program))
    return program


def _run(request: AuthenticatedHttpRequest, slug: str, pk: int) -> tuple[Program, MatchRun]:
    program = _program(request, slug)
    run = access_run(request.user, program, pk, request=request)
    # A run whose worker died looks failed at once; the worker's sweep records it.
    return program, selectors.shown_as_failed_if_stale(run)


def _start_form(request: AuthenticatedHttpRequest, program: Program) -> StartRunForm:
    settings = MatchingSettings.objects.filter(program=program).first()
    return StartRunForm(
        request.POST if request.method == "POST" else None,
        editions=list(program.editions.all()),
        parameters=RunParameters.from_settings(settings),
    )


@login_required
def run_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    program = _program(request, slug)
    return render(
        request,
        "matching/run_list.html",
        {
            "program": program,
            "editions": selectors.editions_with_runs(program=program),
            "form": _start_form(request, program),
            "self_matching": selectors.is_self_matching(program.pk),
        },
    )


@login_required
@require_POST
def run_start(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    program = _program(request, slug)
    form = _start_form(request, program)
    if form.is_valid():
        with form_errors(form):
            run, created = run_services.start_run(
                edition=form.cleaned_data["edition"],
                parameters=form.parameters(),
                actor=request.user,
                request=request,
            )
            if created:
                messages.success(request, _("Matching run started."))
            else:
                messages.info(
                    request,
                    _("Run #%(n)s already covers these participants and settings.")
                    % {"n": run.number},
                )
            return redirect("matching:run", slug=program.slug, pk=run.pk)
    response = render(
        request,
        "matching/run_list.html",
        {
            "program": program,
            "editions": selectors.editions_with_runs(program=program),
            "form": form,
        },
    )
    response.status_code = 400
    return response


def _run_context(run: MatchRun) -> dict[str, object]:
    return {"run": run, "polling": run.is_active}


@login_required
def run_detail(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    program, run = _run(request, slug, pk)
    context: dict[str, object] = {"program": program, **_run_context(run)}
    if run.status in WITH_PROPOSALS:
        summary = selectors.run_summary(run=run, language=stored_text_language())
        context |= {
            "summary": summary,
            "unmatched": selectors.proposals_of(
                run=run, filters=selectors.ProposalFilters(state="unmatched")
            )[:50],
            "other_runs": MatchRun.objects.filter(
                edition=run.edition, status__in=WITH_PROPOSALS
            ).exclude(pk=run.pk),
        }
    return render(request, "matching/run_detail.html", context)


@login_required
def run_status(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """The progress bar that htmx polls (`?phase=` is the step the page shows: the step's
    text comes along only when it changed); when the run ends, it asks for a reload of
    the page (HX-Refresh) so that the summary appears, and stops polling. Without
    JavaScript, the whole status block."""
    program, run = _run(request, slug, pk)
    context = {"program": program, **_run_context(run)}
    if not request.headers.get("HX-Request"):
        return render(request, "matching/_run_status.html", context)
    context["stage_changed"] = request.GET.get("phase") != run.phase or not run.is_active
    response = render(request, "matching/_run_progress.html", context)
    if not run.is_active:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def run_retry(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    program, run = _run(request, slug, pk)
    return action(
        request,
        run=lambda: run_services.retry_run(run=run, actor=request.user, request=request),
        success=_("The run is queued again."),
        next_url=reverse("matching:run", args=[program.slug, run.pk]),
    )


def _columns(sort: str) -> list[tuple[str, str, str, str]]:
    """(label, key, sort to apply on click, aria-sort value) of the sortable headers."""
    labels = [
        (_("Mentee"), "mentee"),
        (_("Mentee's organisation"), "organization"),
        (_("Proposed mentor"), "mentor"),
        (_("Compatibility"), "score"),
    ]
    out = []
    for label, key in labels:
        if sort == key:
            out.append((label, key, f"-{key}", "ascending"))
        elif sort == f"-{key}":
            out.append((label, key, key, "descending"))
        else:
            out.append((label, key, key, "none"))
    return out


@login_required
def proposal_list(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    program, run = _run(request, slug, pk)
    if run.status not in WITH_PROPOSALS:
        raise Http404
    org_ids = {program.organization_id} | shared_organization_ids(program)
    form = ProposalFilterForm(
        request.GET or None, organizations=list(Organization.objects.filter(pk__in=org_ids))
    )
    filters = selectors.ProposalFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.ProposalFilters(
            search=data["q"].strip(),
            state=data["state"],
            organization_id=data["organization"].pk if data["organization"] else None,
            rome_domain=data["rome_domain"],
            sort=data["sort"] or "mentee",
        )
    page = selectors.proposal_page(run=run, filters=filters, number=request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = query.copy()
    sort_query.pop("sort", None)
    return render(
        request,
        "matching/proposal_list.html",
        {
            "program": program,
            "run": run,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "sort_query": sort_query.urlencode(),
            "columns": _columns(filters.sort),
            "language": stored_text_language(),
        },
    )


@login_required
def proposals_export(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """The run's proposals as a CSV file, with the compatibility shown on the pages."""
    _program, run = _reviewable(request, slug, pk)
    response = HttpResponse(
        exports.proposals_csv(run=run, language=stored_text_language()),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="run-{run.number}-proposals.csv"'
    return response


def _reviewable(request: AuthenticatedHttpRequest, slug: str, pk: int) -> tuple[Program, MatchRun]:
    program, run = _run(request, slug, pk)
    if run.status not in WITH_PROPOSALS:
        raise Http404
    return program, run


def _reviewable_mentee(
    request: AuthenticatedHttpRequest, slug: str, pk: int, mentee: int
) -> tuple[Program, MatchRun]:
    """A reviewable run and one of its mentees (404 for a mentee of another run)."""
    program, run = _reviewable(request, slug, pk)
    access_proposal(request.user, run, mentee)
    return program, run


@login_required
def mentee_review(
    request: AuthenticatedHttpRequest, slug: str, pk: int, mentee: int
) -> HttpResponse:
    """One mentee: the proposed pair explained, the best alternatives and why they were
    not chosen, and the form to assign another mentor (with the new pair's score)."""
    program, run = _reviewable(request, slug, pk)
    proposal = selectors.proposal_of(run=run, mentee_id=mentee)
    if proposal is None:
        raise Http404
    language = stored_text_language()
    context: dict[str, object] = {
        "program": program,
        "run": run,
        "proposal": proposal,
        "parts": proposal.explanation_parts(language),
        "language": language,
    }
    if run.status == RunStatus.SUCCEEDED:
        candidate = request.GET.get("mentor", "")
        with on_domain_error(lambda message: context.update(review_error=message)):
            review = explain.review_mentee(
                run=run,
                mentee_id=mentee,
                current_mentor=proposal.mentor_id,
                language=language,
            )
            # The mentors to choose from: a national edition has too many to list them all.
            search = request.GET.get("mentor_q", "").strip()[:100]
            review.mentors, review.more_mentors = explain.mentor_choices(
                run=run,
                search=search,
                include=int(candidate) if candidate.isdigit() else None,
                suggested=[a.mentor_id for a in review.alternatives if a.assignable],
            )
            context |= {"review": review, "mentor_search": search}
        if candidate.isdigit():
            with on_domain_error(lambda message: context.update(check_error=message)):
                context["check"] = explain.check_pair(
                    run=run, mentee_id=mentee, mentor_id=int(candidate), language=language
                )
            context["candidate"] = int(candidate)
            context["swap_options"] = selectors.proposals_of(
                run=run, filters=selectors.ProposalFilters()
            ).filter(mentor_id=int(candidate))
    return render(request, "matching/mentee_review.html", context)


@login_required
@require_POST
def mentee_assign(
    request: AuthenticatedHttpRequest, slug: str, pk: int, mentee: int
) -> HttpResponse:
    program, run = _reviewable_mentee(request, slug, pk, mentee)
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a mentor from the list."))
    else:
        with flashed_errors(request):
            review_services.assign_mentor(
                run=run,
                mentee_id=mentee,
                mentor_id=form.cleaned_data["mentor"],
                swap_with=form.cleaned_data["swap_with"],
                actor=request.user,
                language=stored_text_language(),
                request=request,
            )
            messages.success(request, _("Pair changed."))
            return redirect("matching:mentee", slug=program.slug, pk=run.pk, mentee=mentee)
        # Refused: back to the mentee with the chosen mentor's check shown.
        return redirect(
            f"{reverse('matching:mentee', args=[program.slug, run.pk, mentee])}"
            f"?mentor={form.cleaned_data['mentor'] or ''}"
        )
    return redirect("matching:mentee", slug=program.slug, pk=run.pk, mentee=mentee)


@login_required
@require_POST
def mentee_lock(request: AuthenticatedHttpRequest, slug: str, pk: int, mentee: int) -> HttpResponse:
    program, run = _reviewable_mentee(request, slug, pk, mentee)
    with flashed_errors(request):
        proposal = review_services.set_locked(
            run=run,
            mentee_id=mentee,
            locked=request.POST.get("locked") == "1",
            actor=request.user,
            request=request,
        )
        messages.success(request, _("Pair locked.") if proposal.is_locked else _("Pair unlocked."))
    if request.POST.get("next") == "mentee":
        return redirect("matching:mentee", slug=program.slug, pk=run.pk, mentee=mentee)
    return redirect("matching:proposals", slug=program.slug, pk=run.pk)


@login_required
@require_POST
def mentee_exclude(
    request: AuthenticatedHttpRequest, slug: str, pk: int, mentee: int
) -> HttpResponse:
    program, run = _reviewable_mentee(request, slug, pk, mentee)
    form = ExcludeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the mentor to exclude."))
    else:
        with flashed_errors(request):
            review_services.exclude_pair(
                run=run,
                mentee_id=mentee,
                mentor_id=form.cleaned_data["mentor"],
                note=form.cleaned_data["note"],
                actor=request.user,
                request=request,
            )
            messages.success(request, _("This pair will never be proposed again."))
    return redirect("matching:mentee", slug=program.slug, pk=run.pk, mentee=mentee)


@login_required
@require_POST
def run_rerun(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    program, run = _reviewable(request, slug, pk)
    with flashed_errors(request):
        new_run = review_services.rerun(run=run, actor=request.user, request=request)
        if new_run.pk == run.pk:
            messages.info(request, _("Nothing changed since this run: it stays as it is."))
        return redirect("matching:run", slug=program.slug, pk=new_run.pk)
    return redirect("matching:run", slug=program.slug, pk=run.pk)


@login_required
def run_compare(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    program, run = _reviewable(request, slug, pk)
    other_pk = request.GET.get("with", "")
    others = MatchRun.objects.filter(edition=run.edition, status__in=WITH_PROPOSALS).exclude(
        pk=run.pk
    )
    other = others.filter(pk=int(other_pk)).first() if other_pk.isdigit() else None
    language = stored_text_language()
    context: dict[str, object] = {"program": program, "run": run, "others": others}
    if other is not None:
        context |= {
            "other": other,
            "summary": selectors.run_summary(run=run, language=language),
            "other_summary": selectors.run_summary(run=other, language=language),
            "changes": selectors.compare_runs(first=other, second=run),
        }
    return render(request, "matching/run_compare.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def run_publish(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """GET: what publishing would do (pairs, emails, unmatched mentees) and the button
    to confirm. POST: publish, only with the token of the plan shown; a run that changed
    since is refused and the page shows the new plan."""
    program, run = _reviewable(request, slug, pk)
    error = ""
    status = 200
    if request.method == "POST":
        token = request.POST.get("token", "")
        if not token:
            error, status = _("Check the figures below, then confirm the publication."), 400
        else:
            try:
                count = publication.publish_run(
                    run=run, actor=request.user, request=request, token=token
                )
            except DomainError as refused:
                error, status = refused.message, 409
                run = MatchRun.objects.select_related("superseded_by").get(pk=run.pk)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(n)s pair published; both sides receive an introduction email.",
                        "%(n)s pairs published; both sides receive an introduction email.",
                        count,
                    )
                    % {"n": count},
                )
                return redirect("matching:run", slug=program.slug, pk=run.pk)
    refusal = publication.publication_refusal(run)
    context: dict[str, object] = {
        "program": program,
        "run": run,
        "error": error,
        "refusal": refusal,
        "plan": None if refusal else publication.plan_publication(run),
    }
    return render(request, "matching/publish_confirm.html", context, status=status)


@login_required
def pair_answers(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Published pairs of the program and each side's answer."""
    program = _program(request, slug)
    state = request.GET.get("state", "")
    if state not in selectors.ANSWER_STATES:
        state = ""
    now = timezone.now()
    found = selectors.published_pairs(program=program, state=state, now=now)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "matching/pair_answers.html",
        {
            "program": program,
            "page": page,
            "state": state,
            "now": now,
            "counts": selectors.answer_counts(program=program, now=now),
        },
    )


@login_required
def request_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Self-matching requests of the program, pending and expired first."""
    program = _program(request, slug)
    status = request.GET.get("status", "")
    found = selectors.requests_of(program=program, status=status)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "matching/request_list.html",
        {
            "program": program,
            "page": page,
            "status": status,
            "counts": selectors.request_counts(program=program),
        },
    )


def save_capacity(request: AuthenticatedHttpRequest, application: Application) -> None:
    """Validate the capacity form and call the service; the outcome becomes a message
    (the form sits on application pages owned by the applications app)."""
    form = CapacityForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("capacity", []):
            messages.error(request, _("Number of mentees: %(error)s") % {"error": error})
        return
    with flashed_errors(request):
        row = capacity_services.set_mentor_capacity(
            application=application,
            capacity=form.cleaned_data["capacity"],
            actor=request.user,
            request=request,
        )
        if row.capacity is None:
            messages.success(request, _("The program's number of mentees applies."))
        else:
            messages.success(
                request,
                ngettext(
                    "Saved: %(n)s mentee at most.", "Saved: %(n)s mentees at most.", row.capacity
                )
                % {"n": row.capacity},
            )


@login_required
@require_POST
def mentor_capacity(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """A coordinator sets the number of mentees of a mentor's application."""
    program = _program(request, slug)
    application = access_application(request.user, program, pk, request=request)
    save_capacity(request, application)
    return redirect("applications:review", slug=program.slug, pk=application.pk)


@login_required
@require_http_methods(["GET", "POST"])
def place_reservations(request: AuthenticatedHttpRequest, slug: str, edition: int) -> HttpResponse:
    """Mentor places an edition reserves for partners' mentees: the reservations, how the
    next run spreads them over the mentors, and the form to set one."""
    program = _program(request, slug)
    found = program.editions.filter(pk=edition).first()
    if found is None:
        raise Http404
    partnerships = list(reservations.partnerships_for(program, shared_organization_ids(program)))
    form = ReservationForm(request.POST or None, partnerships=partnerships)
    if request.method == "POST" and form.is_valid():
        partnership, giver = form.chosen()
        with form_errors(form):
            reservation_services.set_reservation(
                edition=found,
                partnership=partnership,
                mentor_organization=giver,
                places=form.cleaned_data["places"],
                actor=request.user,
                request=request,
            )
            messages.success(request, _("Reserved places saved."))
            return redirect("matching:reservations", slug=program.slug, edition=found.pk)
    settings = MatchingSettings.objects.filter(program=program).first()
    preview = inputs.preview_reservations(
        edition=found, default_capacity=RunParameters.from_settings(settings).default_capacity
    )
    response = render(
        request,
        "matching/reservations.html",
        {"program": program, "edition": found, "form": form, "preview": preview},
    )
    if request.method == "POST":
        response.status_code = 400
    return response
