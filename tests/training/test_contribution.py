"""The company contribution view (the organisation's report): the training coverage of
its mentors in each partner program it contributes to, small groups hidden, in a fixed
number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentorat.organizations.models import Role
from mentorat.training import services
from mentorat.training.models import Requirement
from mentorat.training.selectors import contribution_coverage
from tests.applications.factories import ApplicationFactory
from tests.factories import MembershipFactory, UserFactory
from tests.programs.factories import EditionFactory, ProgramFactory
from tests.training.factories import answers, make_module

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def _partner_program(cast, name, *, mentors_of_c, trained, required=True):
    """A program of A shared with C, requiring a module of mentors (or not), where
    `mentors_of_c` of C's mentors take part, `trained` of them having passed it; and
    five of A's own mentors, none trained (they do not count for C)."""
    program = ProgramFactory(organization=cast.org_a, name=name)
    program.shared_with.add(cast.org_c)
    edition = EditionFactory(program=program)
    module = make_module(cast.org_a)
    if required:
        services.assign_module(
            program=program, module=module, audience="mentors",
            requirement=Requirement.BEFORE_MATCHING, days=None, actor=cast.coordinator_a,
        )  # fmt: skip
    for _ in range(5):
        ApplicationFactory(edition=edition, user=UserFactory(), role="mentor", status="accepted")
    for k in range(mentors_of_c):
        user = UserFactory()
        MembershipFactory(user=user, organization=cast.org_c, role=Role.MENTOR)
        ApplicationFactory(
            edition=edition, user=user, role="mentor", status="accepted", organization=cast.org_c
        )
        if k < trained:
            services.submit_attempt(user=user, module=module, answers=answers(module, right=True))
    return program


def test_the_contribution_view_shows_the_training_of_its_mentors(cast, client_for):
    _partner_program(cast, "Cap Avenir", mentors_of_c=5, trained=3)
    _partner_program(cast, "Petit groupe", mentors_of_c=2, trained=1)
    _partner_program(cast, "Sans formation", mentors_of_c=6, trained=0, required=False)

    lines = {line.label: line for line in contribution_coverage(organization=cast.org_c)}
    assert set(lines) == {"Cap Avenir", "Petit groupe"}
    assert (lines["Cap Avenir"].mentors, lines["Cap Avenir"].share) == (5, 60)
    assert lines["Petit groupe"].hidden
    assert lines["Petit groupe"].share is None
    # A's view of its own programs: nothing is shared with A, so no line.
    assert contribution_coverage(organization=cast.org_a) == []

    page = client_for(cast.partner_coordinator).get(
        reverse("reports:organization", args=[cast.org_c.slug])
    )
    text = page.content.decode()
    assert "Training of our mentors in partner programs" in text
    assert "<td>60 %</td>" in text
    assert "<td>&lt; 5</td>" in text
    # The recognition figures are in the page, not in its title.
    title = text.split("<title>")[1].split("</title>")[0]
    assert "<section" not in title
    assert "&lt;section" not in title


def test_the_coverage_of_the_contribution_takes_four_queries_whatever_the_data(cast):
    _partner_program(cast, "Cap Avenir", mentors_of_c=2, trained=1)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            contribution_coverage(organization=cast.org_c)
        return len(captured)

    before = queries()
    for n in range(3):
        _partner_program(cast, f"Programme {n}", mentors_of_c=6, trained=n)
    assert len(contribution_coverage(organization=cast.org_c)) == 4
    assert queries() == before == 4
