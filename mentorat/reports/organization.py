"""An organisation's report: its own programs side by side, and what it brings to the
programs of partners that share theirs with it (the figures a company needs to see the
value of its mentors' time). A fixed number of grouped queries, whatever the number of
programs or people."""

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorat.applications.models import Application, ApplicationStatus
from mentorat.mentorships.models import (
    Mentorship,
    MentorshipStatus,
    Outcome,
    OutcomeStage,
    SessionLog,
)
from mentorat.organizations.models import Membership, Organization
from mentorat.programs.models import ParticipantRole, Program
from mentorat.reports.figures import Figure, Unit, count, share
from mentorat.reports.indicators import EMPLOYED_OR_TRAINING
from mentorat.reports.selectors import started_by
from mentorat.reports.tables import Table

F_PROGRAM = "edition__program_id"


def _by_program(rows: Iterable[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    return {row.pop("program"): row for row in rows}


def own_programs_table(organization: Organization) -> Table:
    table = Table(
        "programs",
        _("Programs of the organisation"),
        [
            _("Program"),
            _("Accepted mentees"),
            _("Coverage of the right to a mentor"),
            _("Active pairs"),
            _("Mentor hours"),
            _("In employment or training at the end"),
        ],
    )
    programs = list(Program.objects.filter(organization=organization).order_by("name"))
    ids = [p.pk for p in programs]
    # Coverage as the program's report counts it: a pair counts once it has started.
    matched = Mentorship.objects.filter(
        started_by(timezone.localdate()), mentee_application=OuterRef("pk")
    )
    mentees = _by_program(
        Application.objects.filter(
            edition__program_id__in=ids,
            role=ParticipantRole.MENTEE,
            status=ApplicationStatus.ACCEPTED,
        )
        .annotate(has_mentor=Exists(matched))
        .order_by()
        .values(program=F(F_PROGRAM))
        .annotate(accepted=Count("pk"), matched=Count("pk", filter=Q(has_mentor=True)))
    )
    pairs = _by_program(
        Mentorship.objects.filter(edition__program_id__in=ids, status=MentorshipStatus.ACTIVE)
        .order_by()
        .values(program=F(F_PROGRAM))
        .annotate(active=Count("pk"))
    )
    time = _logged(SessionLog.objects.filter(mentorship__edition__program_id__in=ids))
    outcomes = _outcomes(Outcome.objects.filter(mentorship__edition__program_id__in=ids))
    for program in programs:
        m = mentees.get(program.pk, {})
        t = time.get(program.pk, {})
        o = outcomes.get(program.pk, {})
        table.rows.append(
            [
                program.name,
                count(m.get("accepted", 0)),
                share(m.get("matched", 0), m.get("accepted", 0)),
                count(pairs.get(program.pk, {}).get("active", 0)),
                Figure((t.get("minutes") or 0) / 60, t.get("mentors", 0), Unit.HOURS),
                share(o.get("employed", 0), o.get("total", 0)),
            ]
        )
    return table


def _logged(logs: QuerySet[SessionLog]) -> dict[int, dict[str, Any]]:
    return _by_program(
        logs.order_by()
        .values(program=F("mentorship__edition__program_id"))
        .annotate(
            minutes=Sum("duration_minutes"),
            mentors=Count("mentorship__mentor_application__user", distinct=True),
        )
    )


def _outcomes(outcomes: QuerySet[Outcome]) -> dict[int, dict[str, Any]]:
    return _by_program(
        outcomes.filter(stage=OutcomeStage.END)
        .order_by()
        .values(program=F("mentorship__edition__program_id"))
        .annotate(
            total=Count("pk"),
            employed=Count("pk", filter=Q(situation__in=EMPLOYED_OR_TRAINING)),
        )
    )


def contribution_table(organization: Organization) -> Table:
    """Per partner program shared with `organization`: its mentors engaged, the mentees
    they accompany, their hours and those mentees' situations at the end."""
    table = Table(
        "contribution",
        _("Contribution to partner programs"),
        [
            _("Program"),
            _("Partner"),
            _("Mentors engaged"),
            _("Mentees accompanied"),
            _("Mentor hours"),
            _("In employment or training at the end"),
        ],
    )
    programs = list(
        Program.objects.filter(shared_with=organization)
        .exclude(organization=organization)
        .select_related("organization")
        .order_by("name")
    )
    ids = [p.pk for p in programs]
    our_people = Membership.objects.filter(organization=organization).values("user_id")
    ours = Q(mentor_application__user_id__in=our_people)
    mentors = _by_program(
        Application.objects.filter(
            edition__program_id__in=ids,
            role=ParticipantRole.MENTOR,
            status=ApplicationStatus.ACCEPTED,
            organization=organization,
        )
        .order_by()
        .values(program=F(F_PROGRAM))
        .annotate(n=Count("user", distinct=True))
    )
    pairs = _by_program(
        Mentorship.objects.filter(ours, edition__program_id__in=ids)
        .order_by()
        .values(program=F(F_PROGRAM))
        .annotate(mentees=Count("mentee_application__user", distinct=True))
    )
    our_pairs = Mentorship.objects.filter(ours, edition__program_id__in=ids).values("pk")
    time = _logged(SessionLog.objects.filter(mentorship__in=our_pairs))
    outcomes = _outcomes(Outcome.objects.filter(mentorship__in=our_pairs))
    for program in programs:
        t = time.get(program.pk, {})
        o = outcomes.get(program.pk, {})
        table.rows.append(
            [
                program.name,
                program.organization.name,
                count(mentors.get(program.pk, {}).get("n", 0)),
                count(pairs.get(program.pk, {}).get("mentees", 0)),
                Figure((t.get("minutes") or 0) / 60, t.get("mentors", 0), Unit.HOURS),
                share(o.get("employed", 0), o.get("total", 0)),
            ]
        )
    return table


ORGANIZATION_TABLES = {"programs": own_programs_table, "contribution": contribution_table}
