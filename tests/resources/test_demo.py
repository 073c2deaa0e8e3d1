"""The demo library: guides, kits and goal templates in French for the organisations
running pairs, reused by their programs, created once."""

from django.utils import timezone

from mentorat.demo.resources import GOAL_TEMPLATES, seed
from mentorat.resources.models import GoalTemplate, LibraryResource
from mentorat.resources.selectors import pair_library
from tests.mentorships.permission_cases import pair_of_a


def test_demo_library_is_seeded_once_and_shown_to_the_pairs(cast):
    pair = pair_of_a(cast)
    assert seed() > 0
    assert seed() == 0
    assert GoalTemplate.objects.count() == len(GOAL_TEMPLATES)
    closing = LibraryResource.objects.get(program=pair.edition.program)
    assert closing.file.read().decode().startswith("Fiche de clôture")
    library = pair_library(mentorship=pair, role="mentee", now=timezone.now())
    assert "Guide du premier rendez-vous" in [r.title for r in library.resources]
    assert len(library.templates) == len(GOAL_TEMPLATES)
