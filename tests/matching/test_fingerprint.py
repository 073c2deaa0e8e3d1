"""The run fingerprint follows every input the engine reads: a run started after any such
edit is a new run, not the one waiting for review."""

from collections.abc import Callable

import pytest

from mentorat.matching.models import MentorCapacity
from mentorat.matching.parameters import RunParameters
from mentorat.matching.services import runs
from mentorat.participants.models import Profile, Skill
from tests.matching.factories import Cohort, cohort


def fingerprint(c: Cohort) -> str:
    return runs.run_fingerprint(
        edition=c.edition, parameters=RunParameters(default_capacity=1), locked=[]
    )


def _mentee(c: Cohort) -> Profile:
    return Profile.objects.get(user=c.mentees[0].user)


def _mentor(c: Cohort) -> Profile:
    return Profile.objects.get(user=c.mentors[0].user)


def _skill(name: str) -> Skill:
    return Skill.objects.get_or_create(name=name, defaults={"kind": "field"})[0]


# Each edit goes through a queryset update or a many-to-many change, which leave the
# profile's `updated_at` untouched (as a bulk import does).
EDITS: dict[str, Callable[[Cohort], object]] = {
    "skill wanted added": lambda c: _mentee(c).skills_wanted.add(_skill("Rust")),
    "skill offered swapped": lambda c: _mentor(c).skills_offered.set([_skill("Rust")]),
    "skill offered removed": lambda c: _mentor(c).skills_offered.clear(),
    "skill renamed": lambda c: Skill.objects.filter(name="Python").update(name="Python 3"),
    "languages": lambda c: Profile.objects.filter(pk=_mentee(c).pk).update(languages=["fr", "en"]),
    "availability": lambda c: Profile.objects.filter(pk=_mentor(c).pk).update(
        availability=["mon_evening"]
    ),
    "same-gender preference": lambda c: Profile.objects.filter(pk=_mentee(c).pk).update(
        prefers_same_gender_mentor=True
    ),
    "career-changer preference": lambda c: Profile.objects.filter(pk=_mentee(c).pk).update(
        prefers_career_changer_mentor=True
    ),
    "remote": lambda c: Profile.objects.filter(pk=_mentor(c).pk).update(remote_ok=True),
    "region": lambda c: Profile.objects.filter(pk=_mentor(c).pk).update(region="IDF"),
    "mentor capacity": lambda c: MentorCapacity.objects.update_or_create(
        application=c.mentors[0], defaults={"capacity": 3}
    ),
    "application withdrawn": lambda c: (
        type(c.mentees[0]).objects.filter(pk=c.mentees[0].pk).update(status="withdrawn")
    ),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_each_input_edit_changes_the_fingerprint(cast, edit):
    c = cohort(cast.org_a, mentees=2, mentors=2)
    before = fingerprint(c)
    assert fingerprint(c) == before  # stable when nothing changes
    EDITS[edit](c)
    assert fingerprint(c) != before, edit


def test_skill_edit_after_a_run_starts_a_new_run(cast):
    c = cohort(cast.org_a, mentees=2, mentors=2)
    parameters = RunParameters(hard_rules=("different_organizations",))
    first, _created = runs.start_run(
        edition=c.edition, parameters=parameters, actor=cast.coordinator_a
    )
    runs.execute_run(run_id=first.pk)
    again, created_again = runs.start_run(
        edition=c.edition, parameters=parameters, actor=cast.coordinator_a
    )
    assert (again.pk, created_again) == (first.pk, False)
    _mentee(c).skills_wanted.add(_skill("Kotlin"))
    second, created_second = runs.start_run(
        edition=c.edition, parameters=parameters, actor=cast.coordinator_a
    )
    assert created_second
    assert second.pk != first.pk
