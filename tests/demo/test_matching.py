"""The demo shows every matching screen populated: a run waiting for review, a published
run with confirmed, refused and overdue answers, and self-matching requests in every
state, each reachable by a demo login."""

from django.urls import reverse

from mentorat.accounts.models import User
from mentorat.demo.loader import load_demo
from mentorat.matching.models import (
    MatchRun,
    MentorRequest,
    PlaceReservation,
    RequestStatus,
    RunStatus,
)
from mentorat.mentorships.models import Mentorship, MentorshipStatus, PairAnswer
from mentorat.programs.models import Program, ProgramKind


def test_demo_has_a_published_run_with_answers_and_requests(db, client_for):
    load_demo()
    runs = MatchRun.objects.filter(edition__program__kind=ProgramKind.STUDENT_INSERTION)
    assert set(runs.values_list("status", flat=True)) == {RunStatus.SUCCEEDED, RunStatus.PUBLISHED}
    published = runs.get(status=RunStatus.PUBLISHED)
    assert published.proposals.filter(mentor__isnull=False).count() >= 5
    pairs = Mentorship.objects.filter(introduction__run=published)
    assert pairs.filter(mentee_answer="confirmed", mentor_answer="confirmed").count() >= 3
    refused = pairs.get(mentee_answer=PairAnswer.NOT_A_FIT)
    assert refused.status == MentorshipStatus.ENDED
    assert pairs.filter(status="active", mentor_answer=PairAnswer.PENDING).exists()
    assert set(MentorRequest.objects.values_list("status", flat=True)) >= {
        RequestStatus.PENDING,
        RequestStatus.EXPIRED,
        RequestStatus.ACCEPTED,
        RequestStatus.DECLINED,
    }

    program = published.edition.program
    coordinator = client_for(User.objects.get(email="coordination@universite.demo"))
    answers = coordinator.get(reverse("matching:answers", args=[program.slug])).content.decode()
    assert "Réponse en retard (2)" in answers
    assert refused.mentee_answer_reason[:30] in answers
    assert (
        coordinator.get(reverse("matching:run", args=[program.slug, published.pk])).status_code
        == 200
    )

    # The run under review keeps part of the bank's places for the university's students.
    review = runs.get(status=RunStatus.SUCCEEDED)
    reservation = PlaceReservation.objects.select_related("mentor_organization").get(
        edition=review.edition
    )
    assert reservation.mentor_organization.slug == "banque"
    [reserved] = review.summary["reserved"]
    assert reserved["places"] >= 1
    name = reserved["partnership"]
    assert name.startswith(reservation.mentor_organization.name)
    held = [
        p
        for p in review.proposals.filter(mentor__isnull=False)
        if (f"Place réservée au partenariat {name}", 0.0) in p.explanation_parts("fr")
    ]
    assert len(held) == reserved["filled"] >= 1
    summary = coordinator.get(
        reverse("matching:run", args=[review.edition.program.slug, review.pk])
    ).content.decode()
    assert name in summary
    assert f'<td data-figure="reserved-empty">{reserved["empty"]}</td>' in summary
    explained = coordinator.get(
        reverse("matching:mentee", args=[program.slug, review.pk, held[0].mentee_id])
    ).content.decode()
    assert f"Place réservée au partenariat {name}" in explained

    career = Program.objects.get(kind=ProgramKind.CAREER_CHANGE)
    formation = client_for(User.objects.get(email="coordination@formation.demo"))
    requests = formation.get(reverse("matching:requests", args=[career.slug])).content.decode()
    for label in ("En attente du ou de la mentor·e", "Expirée sans réponse", "Acceptée", "Refusée"):
        assert label in requests
    nadia_application = User.objects.get(email="reconversion@formation.demo").applications.get()
    assert reverse("applications:review", args=[career.slug, nadia_application.pk]) in requests

    mentor = client_for(User.objects.get(email="mentor@banque.demo"))
    home = mentor.get(reverse("web:home")).content.decode()
    assert "1 demande attend votre réponse" in home
    mine = mentor.get(reverse("matching:my_requests")).content.decode()
    assert "Nadia Rahmani" in mine
    assert "2 places restantes" in mine

    nadia = User.objects.get(email="reconversion@formation.demo")
    client = client_for(nadia)
    own = nadia.applications.get()
    assert (
        reverse("matching:suggestions", args=[own.pk])
        in client.get(reverse("web:home")).content.decode()
    )
    suggestions = client.get(reverse("matching:suggestions", args=[own.pk])).content.decode()
    assert "Thomas Lefèvre" in suggestions
    assert "Expirée sans réponse" in suggestions

    counts = (
        MatchRun.objects.count(),
        Mentorship.objects.count(),
        MentorRequest.objects.count(),
        PlaceReservation.objects.count(),
    )
    load_demo()  # idempotent
    assert counts == (
        MatchRun.objects.count(),
        Mentorship.objects.count(),
        MentorRequest.objects.count(),
        PlaceReservation.objects.count(),
    )
