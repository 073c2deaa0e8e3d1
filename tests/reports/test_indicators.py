"""Every indicator on the fixed dataset (tests/reports/dataset.py), against values
computed by hand."""

from datetime import date

import pytest
from django.utils.translation import override

from mentorat.reports.figures import Status
from mentorat.reports.indicators import Facts, compute
from mentorat.reports.objectives import program_objectives
from mentorat.reports.scope import ReportFilters, Scope
from tests.reports.dataset import NOW, objectives


def figures(program, **filters):
    facts = Facts(Scope(program=program, filters=ReportFilters(**filters), now=NOW))
    return {v.indicator.code: v.figure for v in compute(facts)}


def shown(program, **filters):
    with override("en"):
        return {code: f.display() for code, f in figures(program, **filters).items()}


def test_application_and_coverage_indicators(dataset):
    values = shown(dataset.program)
    assert values["mentee_applications"] == "16"
    assert values["mentor_applications"] == "10"
    assert values["accepted_mentees"] == "12"
    assert values["mentors_recruited"] == "8"
    assert values["matched_mentees"] == "10"
    assert values["coverage"] == "83%"  # 10 / 12
    assert values["waiting_mentees"] == "< 5"  # a10 and a11
    assert values["waiting_time"] == "12 days"  # (5 × 10 + 5 × 14) / 10, to the start


def test_mentorship_indicators(dataset):
    values = shown(dataset.program)
    f = figures(dataset.program)
    assert values["active_pairs"] == "8"
    # 26 meetings over 5 × 96 + 3 × 92 + 77 + 46 = 879 pair-days = 28.88 months.
    assert f["meetings_per_pair_month"].value == pytest.approx(26 / (879 / 30.4375))
    assert values["meetings_per_pair_month"] == "0.9"
    # a0 (2/5) and a1 (1/5) are at risk; the others met 14 days ago, within the rhythm.
    assert values["at_risk_share"] == "25%"
    assert values["satisfaction"] == "3.6/5"  # (2 + 1 + 4 + 5 + 4 + 5 + 4 + 4) / 8
    assert values["satisfied_share"] == "75%"  # 6 of 8 gave 4 or 5
    assert values["nps"] == "+25"  # (4 promoters − 2 detractors) / 8
    assert values["completion_rate"] == "< 5"  # 1 of 2 ended pairs: too few to show
    assert f["completion_rate"].value == 50
    assert values["mentor_hours"] == "26 h"
    assert values["skills_progress"] == "2.0"  # 2 → 4 for five mentees


def test_outcome_and_equality_indicators(dataset):
    values = shown(dataset.program)
    assert values["employed_or_training_end"] == "75%"  # 6 of 8
    assert values["employed_or_training_six_months"] == "—"
    assert values["women_mentees"] == "60%"  # 6 of the 10 who gave their gender
    assert values["women_mentors"] == "25%"  # 2 of 8
    assert values["mixed_pairs"] == "60%"  # a2–a5 with men, a8–a9 with women


def test_objectives_status(dataset):
    objectives(dataset.program)
    facts = Facts(Scope(program=dataset.program, now=NOW))
    with override("en"):
        rows = [(p.figure.display(), p.status) for p in program_objectives(facts)]
    # 134 of the 333 days from 1 February (applications open) to the deadline are gone:
    # 40.2 % of the time.
    assert rows == [
        ("83%", Status.REACHED),
        # 60 of 70: 85.7 % of the target, ahead of the time.
        ("60%", Status.ON_TRACK),
        # 8 of 18: 44.4 % of the target.
        ("8", Status.ON_TRACK),
        # Matched within 12 days of acceptance (a0–a4 started after 10), out of 10
        # matched + 2 waiting since March; no deadline, so never late.
        ("42%", Status.ON_TRACK),
        # 8 active pairs passed 3 months, the 2 ended did not: 80 % < 90 %, deadline past.
        ("80%", Status.MISSED),
    ]


def test_filters_narrow_every_figure(dataset):
    scholarship = shown(dataset.program, priority_group="scholarship_holder")
    assert scholarship["accepted_mentees"] == "< 5"
    assert scholarship["mentors_recruited"] == "8"  # mentors are not in priority groups
    nothing = shown(dataset.program, rome_domain="F")
    assert nothing["accepted_mentees"] == "0"
    assert nothing["coverage"] == "—"
    april = shown(dataset.program, date_from=date(2026, 4, 1), date_to=date(2026, 4, 30))
    assert april["mentee_applications"] == "0"  # all applied in February
    assert april["active_pairs"] == "8"
    assert april["mentor_hours"] == "10 h"  # the 1 April meetings


def test_objectives_of_a_domain_read_the_report_groups(dataset):
    """An objective limited to an occupation domain takes that domain's share of the
    report's own application and first-pair groups: the same figures as a report
    filtered on the domain."""
    from mentorat.participants.models import Profile
    from mentorat.programs.models import Objective

    # Mentees a0–a5 (women, all matched) work in construction (F).
    Profile.objects.filter(user__in=[a.user for a in dataset.mentees[:6]]).update(rome_domain="F")
    for indicator, months in [
        ("matched_share", None),
        ("matched_within_days", 12),
        ("women_share", None),
        ("mentors_recruited", None),
    ]:
        Objective.objects.create(
            program=dataset.program, indicator=indicator, target=50, months=months, rome_domain="F"
        )
    progress = program_objectives(Facts(Scope(program=dataset.program, now=NOW)))
    with override("en"):
        derived = {p.objective.indicator: p.figure.display() for p in progress}
    filtered = shown(dataset.program, rome_domain="F")
    assert derived["matched_share"] == filtered["coverage"] == "100%"
    assert derived["women_share"] == filtered["women_mentees"] == "100%"
    assert derived["mentors_recruited"] == filtered["mentors_recruited"] == "0"
    narrowed = Facts(
        Scope(program=dataset.program, filters=ReportFilters(rome_domain="F"), now=NOW)
    )
    within = narrowed.coverage.within[12]
    assert derived["matched_within_days"] == "83%"  # a0–a4 within 12 days, a5 later
    assert (within.part, within.whole) == (5, 6)
