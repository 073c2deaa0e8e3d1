"""The demo's training: the starter set in French and English, a program's
assignments and some mentors' completions, created once."""

import pytest

from mentorat.demo.training import seed
from mentorat.organizations.models import Role
from mentorat.training.models import Assignment, Completion, Module
from tests.applications.factories import ApplicationFactory
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.programs.factories import EditionFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def test_demo_training_is_seeded_once_in_both_languages():
    school = OrganizationFactory(slug="lycee", name="Lycée")
    coordinator = UserFactory()
    MembershipFactory(user=coordinator, organization=school, role=Role.COORDINATOR)
    program = ProgramFactory(organization=school, name="Mixité des métiers industriels")
    edition = EditionFactory(program=program)
    for _ in range(6):
        ApplicationFactory(edition=edition, role="mentor", status="accepted")

    seed()
    counts = (Module.objects.count(), Assignment.objects.count(), Completion.objects.count())
    seed()
    assert (
        Module.objects.count(),
        Assignment.objects.count(),
        Completion.objects.count(),
    ) == counts
    starter = Module.objects.filter(organization__isnull=True)
    assert {m.language for m in starter} == {"fr", "en"}
    assert starter.filter(language="en").count() == starter.filter(language="fr").count() == 7
    assert {a.module.group for a in program.training_assignments.all()} == {
        "starter-safeguarding-minors",
        "starter-avoiding-bias",
    }
    assert counts[2] > 0
