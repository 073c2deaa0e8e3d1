"""Reviewing a run: explanations and alternatives, assign and swap by hand, lock,
exclude, re-run for everyone not locked, compare two runs."""

import pytest
from django.urls import reverse
from django.utils import translation

from mentorat.audit.models import AuditEntry
from mentorat.matching.models import PairExclusion, ProposalOrigin, RunStatus
from mentorat.matching.services import review
from mentorat.matching.services.runs import execute_run
from tests.matching.factories import person


def test_mentee_page_explains_the_pair_and_why_not_the_alternatives(
    cast, client_for, small, run_for
):
    run = run_for(small)
    unmatched = run.proposals.get(mentor__isnull=True)
    url = reverse("matching:mentee", args=[small.program.slug, run.pk, unmatched.mentee_id])
    client = client_for(cast.coordinator_a)
    client.cookies["django_language"] = "fr"
    html = client.get(url).content.decode()
    assert "<h2>Meilleures alternatives</h2>" in html
    # Both mentors are taken by others: the page says so for each.
    assert html.count("Mentor complet") == 2
    paired = run.proposals.filter(mentor__isnull=False).first()
    page = client.get(
        reverse("matching:mentee", args=[small.program.slug, run.pk, paired.mentee_id])
    )
    assert "Même domaine (Informatique)" in page.content.decode()


def test_alternative_blocked_by_a_hard_rule_says_which(cast, client_for, small, run_for):
    colleague = person(small.edition, "mentor", cast.org_a, skills=("Python", "SQL"))
    run = run_for(small)
    proposal = run.proposals.filter(mentor__isnull=False).first()
    url = reverse("matching:mentee", args=[small.program.slug, run.pk, proposal.mentee_id])
    html = client_for(cast.coordinator_a).get(url).content.decode()
    assert colleague.user.display_name in html
    assert "Règle\u202f: même organisation" in html
    # Considering that mentor shows the rule instead of a score; assigning is refused.
    check = client_for(cast.coordinator_a).get(url, {"mentor": colleague.pk}).content.decode()
    assert "même organisation" in check
    response = client_for(cast.coordinator_a).post(
        reverse("matching:assign", args=[small.program.slug, run.pk, proposal.mentee_id]),
        {"mentor": colleague.pk},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.mentor_id != colleague.pk


def test_swap_gives_the_unmatched_mentee_a_mentor_and_shows_the_score(
    cast, client_for, small, run_for
):
    run = run_for(small)
    unmatched = run.proposals.get(mentor__isnull=True)
    paired = run.proposals.filter(mentor__isnull=False).first()
    client = client_for(cast.coordinator_a)
    client.cookies["django_language"] = "fr"
    url = reverse("matching:mentee", args=[small.program.slug, run.pk, unmatched.mentee_id])
    check = client.get(url, {"mentor": paired.mentor_id}).content.decode()
    assert 'class="new-score"' in check  # the new pair's compatibility
    assert "Ce·tte mentor·e est complet·ète. Échanger avec :" in check
    assert "Échanger les binômes" in check
    response = client.post(
        reverse("matching:assign", args=[small.program.slug, run.pk, unmatched.mentee_id]),
        {"mentor": paired.mentor_id, "swap_with": paired.mentee_id},
    )
    assert response.status_code == 302
    unmatched.refresh_from_db()
    paired.refresh_from_db()
    assert unmatched.mentor_id is not None
    assert unmatched.origin == ProposalOrigin.MANUAL
    assert unmatched.score is not None
    assert paired.mentor_id is None  # their former mentor had nobody to give back
    assert AuditEntry.objects.filter(action="matching.proposal.swapped").exists()


def test_full_mentor_without_a_swap_is_refused_with_a_message(cast, small, run_for):
    run = run_for(small)
    unmatched = run.proposals.get(mentor__isnull=True)
    paired = run.proposals.filter(mentor__isnull=False).first()
    with translation.override("en"), pytest.raises(review.DomainError, match="full"):
        review.assign_mentor(
            run=run,
            mentee_id=unmatched.mentee_id,
            mentor_id=paired.mentor_id,
            actor=cast.coordinator_a,
        )
    unmatched.refresh_from_db()
    assert unmatched.mentor_id is None


def test_locked_pair_is_kept_by_a_rerun_and_excluded_pair_never_returns(
    cast, client_for, small, run_for
):
    run = run_for(small)
    client = client_for(cast.coordinator_a)
    client.cookies["django_language"] = "fr"
    kept, other = run.proposals.filter(mentor__isnull=False).order_by("pk")[:2]
    waiting = run.proposals.get(mentor__isnull=True)
    client.post(
        reverse("matching:lock", args=[small.program.slug, run.pk, kept.mentee_id]), {"locked": "1"}
    )
    client.post(
        reverse("matching:exclude", args=[small.program.slug, run.pk, other.mentee_id]),
        {"mentor": other.mentor_id},
    )
    assert PairExclusion.objects.filter(mentee_id=other.mentee_id, mentor_id=other.mentor_id)
    response = client.post(reverse("matching:rerun", args=[small.program.slug, run.pk]))
    new_run = type(run).objects.exclude(pk=run.pk).get()
    assert response["Location"] == reverse("matching:run", args=[small.program.slug, new_run.pk])
    # The on-commit task did not run inside the test transaction: run it now.
    execute_run(run_id=new_run.pk)
    new_run.refresh_from_db()
    assert new_run.status == RunStatus.SUCCEEDED
    again = new_run.proposals.get(mentee_id=kept.mentee_id)
    assert again.mentor_id == kept.mentor_id
    assert again.is_locked
    assert again.origin == ProposalOrigin.LOCKED
    assert new_run.proposals.get(mentee_id=other.mentee_id).mentor_id != other.mentor_id
    compare = client.get(
        reverse("matching:compare", args=[small.program.slug, new_run.pk]), {"with": run.pk}
    ).content.decode()
    # The mentee who waited now has the mentor freed by the exclusion.
    assert "1 mentoré·e a un·e autre mentor·e" in compare
    assert waiting.mentee.user.display_name in compare


def test_proposals_table_sorts_and_filters(cast, client_for, small, run_for):
    run = run_for(small)
    url = reverse("matching:proposals", args=[small.program.slug, run.pk])
    client = client_for(cast.coordinator_a)
    unmatched = client.get(url, {"state": "unmatched"})
    assert unmatched.context["page"].paginator.count == 1
    by_score = client.get(url, {"sort": "-score"}).context["page"].object_list
    scores = [p.score for p in by_score if p.score is not None]
    assert scores == sorted(scores, reverse=True)
    html = client.get(url, {"sort": "score"}).content.decode()
    assert 'aria-sort="ascending"' in html
    assert client.get(url, {"sort": "nonsense", "page": "x"}).status_code == 200
