"""Matching runs: start with parameters, follow the status, read the proposals with
their explanations, publish."""

from dataclasses import replace
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.decorators import decorate_view

from mentorat.api.conditional import conditional, write
from mentorat.api.endpoints.common import (
    DEFAULT,
    Cursor,
    Limit,
    Pk,
    Slug,
    program_for,
    reads,
    writes,
)
from mentorat.api.models import Scope
from mentorat.api.pagination import page
from mentorat.api.schemas import (
    ExplanationPart,
    ProposalOut,
    ProposalPage,
    PublicationOut,
    PublishedOut,
    PublishIn,
    RunIn,
    RunOut,
    RunPage,
)
from mentorat.lib.views import stored_text_language
from mentorat.matching import selectors
from mentorat.matching.explain import run_best_points
from mentorat.matching.models import MatchRun, Proposal
from mentorat.matching.parameters import RunParameters
from mentorat.matching.services import publication
from mentorat.matching.services import runs as run_services
from mentorat.permissions.matching import access_run, can_run_matching
from mentorat.programs.models import Edition, MatchingSettings

router = Router(tags=["matching"])


def _run(run: MatchRun) -> RunOut:
    run = selectors.shown_as_failed_if_stale(run)
    return RunOut(
        id=run.pk,
        number=run.number,
        edition_id=run.edition_id,
        status=run.status,
        phase=run.phase,
        mode=run.mode,
        parameters=dict(run.parameters),
        created_at=run.created_at,
        started_at=run.started_at,
        finished_at=run.finished_at,
        error=run.error,
    )


@router.get("/programs/{slug}/runs", response=reads(RunPage), url_name="run_list")
@decorate_view(conditional)
def run_list(
    request: HttpRequest, slug: Slug, cursor: Cursor = None, limit: Limit = DEFAULT
) -> dict[str, object]:
    _user, program = program_for(request, slug, Scope.READ, can_run_matching)
    runs = MatchRun.objects.filter(edition__program=program)
    return page(runs, cursor=cursor, limit=limit, serialize=lambda rows: [_run(r) for r in rows])


@router.post(
    "/programs/{slug}/editions/{pk}/runs", response=writes(202, RunOut), url_name="run_start"
)
@decorate_view(write("matching.run.start"))
def run_start(request: HttpRequest, slug: Slug, pk: Pk, payload: RunIn) -> Status[RunOut]:
    """Queue a run of an edition (202); its status tells when the proposals are ready.
    Starting again with the same inputs returns the same run, as on the page."""
    user, program = program_for(request, slug, Scope.RUN_MATCHING, can_run_matching)
    edition = get_object_or_404(Edition.objects.select_related("program"), pk=pk, program=program)
    parameters = RunParameters.from_settings(
        MatchingSettings.objects.filter(program=program).first()
    )
    given: dict[str, Any] = payload.model_dump(exclude_none=True, mode="json")
    for name in ("hard_rules", "priority_groups"):
        if name in given:
            given[name] = tuple(given[name])
    parameters = replace(parameters, **given)
    run, _created = run_services.start_run(
        edition=edition, parameters=parameters, actor=user, request=request
    )
    return Status(202, _run(run))


@router.get("/programs/{slug}/runs/{pk}", response=reads(RunOut), url_name="run_detail")
@decorate_view(conditional)
def run_detail(request: HttpRequest, slug: Slug, pk: Pk) -> RunOut:
    """A run and its status (queued, running, succeeded, failed, published…)."""
    user, program = program_for(request, slug, Scope.READ, can_run_matching)
    return _run(access_run(user, program, pk, request=request))


def _proposals(rows: list[Proposal], best: int, language: str) -> list[ProposalOut]:
    return [
        ProposalOut(
            mentee_application_id=p.mentee_id,
            mentor_application_id=p.mentor_id,
            score=p.score,
            best_points=best,
            explanation=[
                ExplanationPart(
                    criterion=str(part.get("code", "")),
                    label=str(part.get(language, part.get("fr", ""))),
                    points=float(part.get("points", 0)),
                )
                for part in (p.explanation or [])
                if isinstance(part, dict)
            ],
            reason=p.reason if isinstance(p.reason, dict) else {},
            locked=p.is_locked,
        )
        for p in rows
    ]


@router.get(
    "/programs/{slug}/runs/{pk}/proposals", response=reads(ProposalPage), url_name="proposal_list"
)
@decorate_view(conditional)
def proposal_list(
    request: HttpRequest, slug: Slug, pk: Pk, cursor: Cursor = None, limit: Limit = DEFAULT
) -> dict[str, object]:
    """The run's proposed pairs (a mentee without a mentor has none) with the score's
    parts, in the request's language."""
    user, program = program_for(request, slug, Scope.READ, can_run_matching)
    run = access_run(user, program, pk, request=request)
    best = run_best_points(run)
    language = stored_text_language()
    return page(
        Proposal.objects.filter(run=run),
        cursor=cursor,
        limit=limit,
        serialize=lambda rows: _proposals(rows, best, language),
    )


@router.get(
    "/programs/{slug}/runs/{pk}/publication",
    response=reads(PublicationOut),
    url_name="run_publication",
)
@decorate_view(conditional)
def run_publication(request: HttpRequest, slug: Slug, pk: Pk) -> PublicationOut:
    """What publishing would do now, and the token that publishes exactly that."""
    user, program = program_for(request, slug, Scope.READ, can_run_matching)
    run = access_run(user, program, pk, request=request)
    refusal = publication.publication_refusal(run)
    if refusal:
        return PublicationOut(
            pairs=0, skipped=0, unmatched=0, emails=0, problem="", refusal=refusal, token=None
        )
    plan = publication.plan_publication(run)
    return PublicationOut(
        pairs=len(plan.pairs),
        skipped=len(plan.skipped),
        unmatched=plan.unmatched,
        emails=plan.emails,
        problem=plan.problem,
        refusal="",
        token=None if plan.problem else plan.token,
    )


@router.post(
    "/programs/{slug}/runs/{pk}/publish",
    response=writes(200, PublishedOut),
    url_name="run_publish",
)
@decorate_view(write("matching.run.publish"))
def run_publish(request: HttpRequest, slug: Slug, pk: Pk, payload: PublishIn) -> PublishedOut:
    """Publish the run's pairs (both sides are emailed), only with the token of the plan
    read from `…/publication`: a run that changed since is refused (422)."""
    user, program = program_for(request, slug, Scope.RUN_MATCHING, can_run_matching)
    run = access_run(user, program, pk, request=request)
    count = publication.publish_run(run=run, actor=user, request=request, token=payload.token)
    return PublishedOut(published=count)
