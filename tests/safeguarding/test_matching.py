"""The protection of minors in the matching: runs, manual changes, publication and
self-matching never give a minor a mentor without a safeguarding check counting in the
program on the day, and say why."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mentorat.applications.models import Application
from mentorat.lib.errors import DomainError
from mentorat.matching.models import MatchRun, MentorRequest, RequestStatus
from mentorat.matching.parameters import RunParameters
from mentorat.matching.services import runs
from mentorat.matching.services.publication import plan_publication, publish_run
from mentorat.matching.services.requests import answer_request
from mentorat.matching.services.review import assign_mentor
from mentorat.mentorships.models import Mentorship
from mentorat.programs.models import MatchingMode, MatchingSettings, Program
from mentorat.safeguarding.models import CheckKind, SafeguardingCheck
from mentorat.safeguarding.services import record_check, revoke_check
from tests.factories import OrganizationFactory
from tests.matching.factories import Cohort, cohort

FR = "vérification d'honorabilité non enregistrée"


def _minor(application: Application) -> Application:
    Application.objects.filter(pk=application.pk).update(
        is_minor=True, contact_through_platform_only=True
    )
    application.refresh_from_db()
    return application


def _check(mentor: Application, organization, **values) -> SafeguardingCheck:
    defaults = {"kind": CheckKind.CRIMINAL_RECORD, "checked_on": timezone.localdate()}
    return SafeguardingCheck.objects.create(
        mentor_id=mentor.user_id, organization=organization, **(defaults | values)
    )


def _run(c: Cohort, actor) -> MatchRun:
    run, _created = runs.start_run(
        edition=c.edition,
        parameters=RunParameters(hard_rules=("different_organizations",)),
        actor=actor,
    )
    runs.execute_run(run_id=run.pk)
    run.refresh_from_db()
    return run


@pytest.fixture
def lone_minor(cast) -> Cohort:
    """One minor mentee of A and one mentor of the partner company, unchecked."""
    c = cohort(cast.org_a, mentees=1, mentors=1)
    _minor(c.mentees[0])
    return c


def test_an_unchecked_mentor_is_not_proposed_to_a_minor_and_the_reason_says_so(cast, lone_minor):
    run = _run(lone_minor, cast.coordinator_a)
    proposal = run.proposals.get()
    assert proposal.mentor_id is None
    assert proposal.reason["code"] == "safeguarding_for_minors"
    assert FR in proposal.reason["fr"]
    assert "safeguarding check" in proposal.reason["en"]


def test_a_recorded_check_makes_the_pair_possible_and_a_new_run_compute_again(cast, lone_minor):
    first = _run(lone_minor, cast.coordinator_a)
    assert first.proposals.get().mentor_id is None
    # The partner's check counts in a program shared with it.
    _check(lone_minor.mentors[0], lone_minor.company)
    second = _run(lone_minor, cast.coordinator_a)
    assert second.pk != first.pk  # the same parameters, but not the same checks
    assert second.proposals.get().mentor_id == lone_minor.mentors[0].pk


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(
            lambda c, today: _check(
                c.mentors[0],
                c.company,
                checked_on=today - timedelta(days=400),
                valid_until=today - timedelta(days=1),
            ),
            id="expired",
        ),
        pytest.param(
            lambda c, today: _check(c.mentors[0], c.company, revoked_at=timezone.now()),
            id="revoked",
        ),
        pytest.param(
            lambda c, today: _check(c.mentors[0], c.company, checked_on=today + timedelta(days=3)),
            id="future",
        ),
        pytest.param(
            lambda c, today: _check(c.mentors[0], OrganizationFactory(name="Sans lien")),
            id="unrelated organisation",
        ),
    ],
)
def test_checks_that_do_not_count_today_leave_the_minor_unmatched(cast, lone_minor, make):
    make(lone_minor, timezone.localdate())
    run = _run(lone_minor, cast.coordinator_a)
    assert run.proposals.get().reason["code"] == "safeguarding_for_minors"


def test_adults_and_programs_without_the_requirement_are_not_concerned(cast):
    c = cohort(cast.org_a, mentees=1, mentors=1)
    assert _run(c, cast.coordinator_a).proposals.get().mentor_id == c.mentors[0].pk  # adult
    _minor(c.mentees[0])
    Program.objects.filter(pk=c.program.pk).update(safeguarding_required=False)
    assert _run(c, cast.coordinator_a).proposals.get().mentor_id == c.mentors[0].pk


def test_a_coordinator_cannot_assign_an_unchecked_mentor_to_a_minor_by_hand(cast):
    c = cohort(cast.org_a, mentees=2, mentors=1)
    minor = _minor(c.mentees[1])
    run = _run(c, cast.coordinator_a)
    assert run.proposals.get(mentee=minor).mentor_id is None
    with pytest.raises(DomainError, match=FR):
        assign_mentor(
            run=run,
            mentee_id=minor.pk,
            mentor_id=c.mentors[0].pk,
            swap_with=c.mentees[0].pk,
            actor=cast.coordinator_a,
        )


def test_publication_is_refused_when_the_check_was_revoked_after_the_run(cast, lone_minor):
    check = _check(lone_minor.mentors[0], cast.org_a)
    run = _run(lone_minor, cast.coordinator_a)
    assert run.proposals.get().mentor_id == lone_minor.mentors[0].pk
    revoke_check(check=check, actor=cast.coordinator_a)
    plan = plan_publication(run)
    assert "safeguarding check" in plan.problem or "vérification" in plan.problem
    with pytest.raises(DomainError):
        publish_run(run=run, actor=cast.coordinator_a, notify=False)
    assert not Mentorship.objects.filter(edition=lone_minor.edition).exists()
    # Recorded again: the same run is published.
    _check(lone_minor.mentors[0], cast.org_a)
    assert publish_run(run=run, actor=cast.coordinator_a, notify=False) == 1


def test_a_mentor_cannot_accept_a_minor_s_request_without_a_check(cast, lone_minor):
    MatchingSettings.objects.filter(program=lone_minor.program).update(
        mode=MatchingMode.SELF_MATCHING
    )
    mentor, mentee = lone_minor.mentors[0], lone_minor.mentees[0]
    found = MentorRequest.objects.create(
        edition=lone_minor.edition,
        mentee=mentee,
        mentor=mentor,
        expires_at=timezone.now() + timedelta(days=5),
    )
    with pytest.raises(DomainError, match=r"safeguarding check|vérification d'honorabilité"):
        answer_request(mentor_request=found, accept=True, actor=mentor.user, notify=False)
    found.refresh_from_db()
    assert found.status == RequestStatus.PENDING
    assert not Mentorship.objects.filter(mentee_application=mentee).exists()
    record_check(
        program=lone_minor.program,
        mentor=mentor,
        organization=lone_minor.company,
        kind=CheckKind.HONOURABILITY_CERTIFICATE,
        checked_on=timezone.localdate(),
        actor=cast.coordinator_a,
    )
    answer_request(mentor_request=found, accept=True, actor=mentor.user, notify=False)
    assert Mentorship.objects.filter(mentee_application=mentee, mentor_application=mentor).exists()
