"""What the review pages of a run read without going over all its proposals: the sort
keys written on each proposal (`Proposal.mentee_order`, `mentor_order`,
`organization_order`) and the summary's counts, grouped once when the run is written
and again after each change by hand (`MatchRun.summary["figures"]`).

A national run has 200,000 proposals: sorting them on joined names or grouping them by
organisation, field, gender and priority group took the database about a second per
page view; read from an index and from the stored counts, a page costs the same at any
size."""

from typing import Any

from django.db import connection
from django.db.models import Count, F, Q, Sum, Window
from django.db.models.functions import DenseRank

from mentorat.applications.models import Application
from mentorat.matching.models import MatchRun, Proposal, ProposalOrigin
from mentorat.organizations.models import Organization
from mentorat.programs.models import Edition, ParticipantRole

#: Version of the stored figures: counts stored by an older layout are counted again.
FIGURES_VERSION = 1


def name_ranks(edition: Edition, role: str) -> dict[int, int]:
    """Each application of the edition in this role: the rank of its person's name (last
    name, then first name) in the database's order, equal names sharing a rank."""
    return dict(
        Application.objects.filter(edition=edition, role=role)
        .annotate(
            rank=Window(
                DenseRank(), order_by=[F("user__last_name").asc(), F("user__first_name").asc()]
            )
        )
        .values_list("pk", "rank")
    )


def organization_ranks(edition: Edition) -> dict[int, int]:
    """Organisation id → rank of its name, for the organisations of the edition's mentees."""
    used = Application.objects.filter(
        edition=edition, role=ParticipantRole.MENTEE, organization__isnull=False
    ).values("organization_id")
    return dict(
        Organization.objects.filter(pk__in=used)
        .annotate(rank=Window(DenseRank(), order_by=[F("name").asc()]))
        .values_list("pk", "rank")
    )


def mentee_organizations(edition: Edition) -> dict[int, int | None]:
    return dict(
        Application.objects.filter(edition=edition, role=ParticipantRole.MENTEE).values_list(
            "pk", "organization_id"
        )
    )


def mentor_order(run: MatchRun, mentor_id: int) -> int:
    """The rank by name of a mentor given by hand, as the run wrote it for its mentors:
    taken from one of the mentor's proposals in the run, else counted (the number of
    distinct names before this one, plus one)."""
    known = (
        Proposal.objects.filter(run=run, mentor_id=mentor_id, mentor_order__isnull=False)
        .values_list("mentor_order", flat=True)
        .first()
    )
    if known is not None:
        return int(known)
    last, first = (
        Application.objects.filter(pk=mentor_id)
        .values_list("user__last_name", "user__first_name")
        .get()
    )
    before = (
        Application.objects.filter(edition_id=run.edition_id, role=ParticipantRole.MENTOR)
        .filter(Q(user__last_name__lt=last) | Q(user__last_name=last, user__first_name__lt=first))
        .values("user__last_name", "user__first_name")
        .distinct()
        .count()
    )
    return before + 1


def has_sort_keys(run: MatchRun) -> bool:
    """The run wrote the sort keys on its proposals (runs written before did not)."""
    return bool(run.summary.get("sort_keys"))


def count(run: MatchRun) -> dict[str, Any]:
    """The summary's counts from the run's current proposals (three grouped queries):
    per group of mentees (organisation, ROME domain, gender, priority groups) how many,
    how many matched, their total score and how many were changed by hand; unmatched
    mentees per reason; and how many mentors have each number of mentees."""
    groups = (
        Proposal.objects.filter(run=run)
        .values_list(
            "mentee__organization_id",
            "mentee__user__profile__rome_domain",
            "mentee__user__profile__gender",
            "mentee__user__profile__priority_groups",
        )
        .annotate(
            n=Count("pk"),
            matched=Count("mentor_id"),
            score=Sum("score", filter=Q(mentor__isnull=False)),
            manual=Count("pk", filter=Q(origin=ProposalOrigin.MANUAL)),
        )
        .order_by()
    )
    reasons = (
        Proposal.objects.filter(run=run, mentor__isnull=True)
        .values_list("reason")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {
        "version": FIGURES_VERSION,
        "groups": [
            [
                org,
                domain or "",
                gender or "",
                list(priority or []),
                n,
                matched,
                score or 0.0,
                manual,
            ]
            for org, domain, gender, priority, n, matched, score, manual in groups
        ],
        "reasons": [[reason or {}, n] for reason, n in reasons],
        "loads": sorted(load_histogram(run).items()),
    }


def stored(run: MatchRun, *, fresh: bool = False) -> dict[str, Any] | None:
    """The counts stored on the run, or None (runs written before, an older layout);
    `fresh`: as the database has them now (one query; the instance may predate a change
    by hand)."""
    summary = run.summary
    if fresh and "figures" in summary:
        summary = MatchRun.objects.values_list("summary", flat=True).get(pk=run.pk)
    figures = summary.get("figures")
    if isinstance(figures, dict) and figures.get("version") == FIGURES_VERSION:
        return figures
    return None


def store(run: MatchRun) -> None:
    """Count the run's proposals again and keep the counts on the run (after a change by
    hand; the caller holds the run's row locked)."""
    run.summary = {**run.summary, "figures": count(run)}
    run.save(update_fields=["summary"])


def load_histogram(run: MatchRun) -> dict[int, int]:
    """How many mentors have each number of mentees in the run (mentors with none left
    out), counted by the database."""
    table = connection.ops.quote_name(Proposal._meta.db_table)
    run_column = connection.ops.quote_name(Proposal._meta.get_field("run").column)
    mentor = connection.ops.quote_name(Proposal._meta.get_field("mentor").column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT n, COUNT(*) FROM (SELECT COUNT(*) AS n FROM {table} "  # noqa: S608
            f"WHERE {run_column} = %s AND {mentor} IS NOT NULL GROUP BY {mentor}) AS loads "
            "GROUP BY n",
            [run.pk],
        )
        return {int(n): int(k) for n, k in cursor.fetchall()}
