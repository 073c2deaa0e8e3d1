""" "Required modules completed" as a matching rule (issue 19): with the program's hard rule
`required_training`, a mentor who has not completed the modules the program requires before
matching (`mentorat.training`: assignments, completions) is never proposed, and the reason
says so."""

import pytest
from django.urls import reverse
from django.utils import timezone

from mentorat.matching import inputs
from mentorat.matching.models import MatchRun, Proposal
from mentorat.matching.parameters import RunParameters
from mentorat.matching.services.runs import run_fingerprint
from mentorat.programs.models import HardRule
from mentorat.training.models import Assignment, Audience, Completion, Module, Requirement
from tests.matching.factories import cohort, person
from tests.matching.test_runs import start

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

RULES = ["different_organizations", "required_training"]


def _required_module(c):
    module = Module.objects.create(
        organization=c.program.organization, group="mentor-role", title="Le rôle du mentor"
    )
    Assignment.objects.create(
        program=c.program,
        module=module,
        audience=Audience.MENTORS,
        requirement=Requirement.BEFORE_MATCHING,
    )
    return module


def test_a_mentor_without_the_required_module_is_not_proposed(cast, client_for):
    c = cohort(cast.org_a, mentees=1, mentors=0)
    # The untrained mentor scores higher (skills in common), the trained one is proposed.
    untrained = person(c.edition, "mentor", c.company, skills=("Python",))
    trained = person(c.edition, "mentor", c.company, field_name="Droit", domain="K")
    module = _required_module(c)
    Completion.objects.create(user=trained.user, module=module, completed_at=timezone.now())
    client = client_for(cast.coordinator_a)
    start(client, c, hard_rules=RULES)
    run = MatchRun.objects.get()
    proposal = Proposal.objects.get(run=run)
    assert proposal.mentor_id == trained.pk != untrained.pk
    # The review page says why the better-scoring mentor was not proposed.
    page = client.get(
        reverse("matching:mentee", args=[c.program.slug, run.pk, proposal.mentee_id])
    ).content.decode()
    assert "Hard rule: required training not completed" in page


def test_without_any_trained_mentor_the_mentee_is_told_why(cast, client_for):
    c = cohort(cast.org_a, mentees=1, mentors=1)
    _required_module(c)
    start(client_for(cast.coordinator_a), c, hard_rules=RULES)
    proposal = Proposal.objects.get()
    assert proposal.mentor_id is None
    assert proposal.reason["code"] == "required_training"
    assert "formation obligatoire non suivie" in proposal.reason["fr"]
    assert "required training not completed" in proposal.reason["en"]


def test_rule_off_or_nothing_required_leaves_every_mentor_in(cast):
    c = cohort(cast.org_a, mentees=1, mentors=1)
    on = RunParameters(hard_rules=tuple(RULES))
    # Nothing required yet: everyone counts as trained.
    assert [r["trained"] for r in inputs.load_inputs(edition=c.edition, parameters=on).mentors] == [
        True
    ]
    _required_module(c)
    assert [r["trained"] for r in inputs.load_inputs(edition=c.edition, parameters=on).mentors] == [
        False
    ]
    off = RunParameters(hard_rules=("different_organizations",))
    assert [
        r["trained"] for r in inputs.load_inputs(edition=c.edition, parameters=off).mentors
    ] == [True]
    assert not off.criteria().rules.required_training
    assert on.criteria().rules.required_training


def test_completing_the_module_makes_the_next_run_compute_again(cast):
    c = cohort(cast.org_a, mentees=1, mentors=1)
    module = _required_module(c)
    on = RunParameters(hard_rules=tuple(RULES))
    before = run_fingerprint(edition=c.edition, parameters=on, locked=[])
    Completion.objects.create(user=c.mentors[0].user, module=module, completed_at=timezone.now())
    assert run_fingerprint(edition=c.edition, parameters=on, locked=[]) != before


def test_the_program_settings_offer_the_rule():
    assert HardRule.REQUIRED_TRAINING.value == "required_training"
    assert HardRule.REQUIRED_TRAINING in HardRule.values
