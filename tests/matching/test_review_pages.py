"""The proposals table of a large run: pages are read by ids sorted on narrow rows, then the
page's rows (issue 24 point 4); the pages must list every proposal once, in the order
chosen, with a number of queries that does not grow with the run."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentorat.matching import selectors
from tests.matching.factories import cohort


@pytest.mark.parametrize("sort", ["mentee", "-mentee", "-score", "organization", "mentor"])
def test_pages_list_every_proposal_once_in_the_chosen_order(cast, client_for, run_for, sort):
    c = cohort(cast.org_a, mentees=57, mentors=20, capacity=2)
    run = run_for(c)
    expected = list(
        selectors.proposals_of(run=run, filters=selectors.ProposalFilters(sort=sort)).values_list(
            "pk", flat=True
        )
    )
    url = reverse("matching:proposals", args=[c.program.slug, run.pk])
    client = client_for(cast.coordinator_a)
    client.get(url)  # the session's first page stores what it checked once (2FA)
    shown, queries = [], []
    for number in (1, 2):
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url, {"sort": sort, "page": number}).context["page"]
        queries.append(len(captured))
        shown += [p.pk for p in page.object_list]
        assert page.paginator.count == 57
    assert shown == expected
    assert queries[0] == queries[1]
