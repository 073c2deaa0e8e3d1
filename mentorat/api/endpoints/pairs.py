"""Published pairs and their health."""

from datetime import datetime
from typing import Literal

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router
from ninja.decorators import decorate_view

from mentorat.api.conditional import conditional
from mentorat.api.endpoints.common import DEFAULT, Cursor, Limit, Pk, Slug, program_for, reads
from mentorat.api.models import Scope
from mentorat.api.pagination import page
from mentorat.api.schemas import HealthOut, PairOut, PairPage
from mentorat.mentorships import selectors
from mentorat.mentorships.models import Mentorship, MentorshipStatus
from mentorat.permissions.mentorships import (
    access_mentorship,
    can_follow_program_mentorships,
    mentorship_scope,
)

router = Router(tags=["pairs"])


def _pairs(rows: list[Mentorship], now: datetime) -> list[PairOut]:
    out = []
    for m in rows:
        health = None
        if m.status == MentorshipStatus.ACTIVE:
            found = selectors.pair_health(m, now=now)
            health = HealthOut(state=found.state.code, reason=found.reason, advice=found.advice)
        out.append(
            PairOut(
                id=m.pk,
                edition_id=m.edition_id,
                mentor_application_id=m.mentor_application_id,
                mentee_application_id=m.mentee_application_id,
                status=m.status,
                started_on=m.started_on,
                ended_on=m.ended_on,
                health=health,
            )
        )
    return out


@router.get("/programs/{slug}/pairs", response=reads(PairPage), url_name="pair_list")
@decorate_view(conditional)
def pair_list(
    request: HttpRequest,
    slug: Slug,
    cursor: Cursor = None,
    limit: Limit = DEFAULT,
    status: Literal["active", "ended"] | None = None,
) -> dict[str, object]:
    """Pairs of the program with the health of the active ones (a partner's key: pairs
    with one of its people)."""
    user, program = program_for(request, slug, Scope.READ, can_follow_program_mentorships)
    now = timezone.now()
    pairs = selectors.program_mentorships(program=program, scope=mentorship_scope(user, program))
    if status:
        pairs = pairs.filter(status=status)
    annotated = selectors.with_health_facts(pairs.select_related("edition"), now=now)
    return page(annotated, cursor=cursor, limit=limit, serialize=lambda rows: _pairs(rows, now))


@router.get("/programs/{slug}/pairs/{pk}", response=reads(PairOut), url_name="pair_detail")
@decorate_view(conditional)
def pair_detail(request: HttpRequest, slug: Slug, pk: Pk) -> PairOut:
    user, program = program_for(request, slug, Scope.READ, can_follow_program_mentorships)
    mentorship = access_mentorship(user, pk, request=request)
    if mentorship.edition.program_id != program.pk:
        raise Http404
    now = timezone.now()
    annotated = selectors.with_health_facts(
        Mentorship.objects.filter(pk=mentorship.pk).select_related("edition"), now=now
    ).get()
    return _pairs([annotated], now)[0]
