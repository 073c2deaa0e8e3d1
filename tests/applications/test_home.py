from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.applications.factories import ApplicationFactory
from tests.programs.factories import EditionFactory, ProgramFactory


def test_coordinator_home_lists_programs_with_applications_to_decide(cast, client_for):
    edition = EditionFactory(program__organization=cast.org_a, program__name="Insertion")
    ApplicationFactory.create_batch(3, edition=edition)
    response = client_for(cast.coordinator_a).get(reverse("web:home"))
    page = response.content.decode()
    assert "Insertion" in page
    (line,) = response.context["enrollment"].programs
    assert line.pending == 3


def test_mentee_home_shows_their_applications_and_open_programs(cast, client_for):
    applied = EditionFactory(program__organization=cast.org_a, program__name="Déjà candidat")
    ApplicationFactory(edition=applied, user=cast.mentee)
    EditionFactory(program__organization=cast.org_b, program__name="Ouvert ailleurs")
    enrollment = client_for(cast.mentee).get(reverse("web:home")).context["enrollment"]
    assert [a.edition.program.name for a in enrollment.applications] == ["Déjà candidat"]
    assert [p.name for p in enrollment.open_programs] == ["Ouvert ailleurs"]
    assert enrollment.programs == []


def test_home_query_count_does_not_grow(cast, client_for):
    client = client_for(cast.coordinator_a)
    counts = []
    for n in (1, 8):
        for _ in range(n):
            edition = EditionFactory(program=ProgramFactory(organization=cast.org_a))
            ApplicationFactory(edition=edition)
            ApplicationFactory(edition=edition, user=cast.coordinator_a)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("web:home")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
