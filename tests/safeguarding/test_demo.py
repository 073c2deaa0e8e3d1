"""The demo shows the protection of minors: in the lycée's program every pupil the run
pairs has a mentor with a valid safeguarding check, and the mentor whose check expired is
shown ruled out, with the reason, on the review page of a pupil."""

from html import unescape

from django.urls import reverse

from mentorat.accounts.models import User
from mentorat.demo.loader import load_demo
from mentorat.matching.models import MatchRun, RunStatus
from mentorat.programs.models import ProgramKind
from mentorat.safeguarding.models import SafeguardingCheck
from mentorat.safeguarding.selectors import checked_user_ids


def test_demo_pairs_pupils_with_checked_mentors_and_explains_the_unchecked_one(db, client_for):
    load_demo()
    run = MatchRun.objects.select_related("edition__program").get(
        edition__program__kind=ProgramKind.GENDER_DIVERSITY
    )
    assert run.status == RunStatus.SUCCEEDED
    program = run.edition.program
    assert program.safeguarding_required
    proposals = list(run.proposals.select_related("mentee", "mentor"))
    minors = [p for p in proposals if p.mentee.is_minor]
    paired = [p for p in minors if p.mentor is not None]
    assert paired, "the demo matches its minors"
    checked = checked_user_ids(
        program=program, user_ids=[p.mentor.user_id for p in paired], on=run.created_at.date()
    )
    assert {p.mentor.user_id for p in paired} <= checked
    # Both the lycée and its partner recorded checks, in their own names.
    organizations = set(SafeguardingCheck.objects.values_list("organization__slug", flat=True))
    assert organizations == {"lycee", "nexalis"}

    coordinator = User.objects.get(email="coordination@lycee.demo")
    client = client_for(coordinator)
    client.cookies["django_language"] = "en"
    page = client.get(
        reverse("safeguarding:mentors", args=[program.slug, run.edition_id])
    ).content.decode()
    assert "No valid check" in page
    assert "last one expired on" in page
    # The explanations stored with a run are in French and English; French is read here.
    client.cookies["django_language"] = "fr"
    explained = [
        unescape(
            client.get(
                reverse("matching:mentee", args=[program.slug, run.pk, p.mentee_id])
            ).content.decode()
        )
        for p in minors
    ]
    assert any("vérification d'honorabilité non enregistrée" in page for page in explained)
