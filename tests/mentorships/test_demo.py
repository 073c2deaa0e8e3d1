"""The demo data set has pairs in every health state, with their history, and the
follow-up pages render with it."""

from django.urls import reverse
from django.utils import timezone

from mentorat.accounts.models import User
from mentorat.demo.loader import load_demo
from mentorat.mentorships.health import HealthState
from mentorat.mentorships.models import (
    CheckIn,
    Mentorship,
    MentorshipStatus,
    Outcome,
    OutcomeStage,
    PrivateNote,
    SessionLog,
)
from mentorat.mentorships.selectors import active_pairs_health


def test_demo_pairs_cover_every_state_and_their_history(db, client_for):
    load_demo()
    rows = active_pairs_health(Mentorship.objects.all(), now=timezone.now())
    assert {r.state for r in rows} == set(HealthState)
    assert {r.health.code for r in rows} >= {
        "ok",
        "no_meeting",
        "stale_proposal",
        "low_satisfaction",
        "middling_satisfaction",
    }
    assert SessionLog.objects.exists()
    assert PrivateNote.objects.exists()
    assert CheckIn.objects.filter(answered_at__isnull=False).exists()
    assert Mentorship.objects.filter(status=MentorshipStatus.ENDED).exists()
    assert {o.stage for o in Outcome.objects.all()} == set(OutcomeStage.values)

    # The demo mentor's current pair (an ended one of last year feeds their engagement page).
    named = Mentorship.objects.get(
        mentor_application__user__email="mentor@banque.demo", status=MentorshipStatus.ACTIVE
    )
    assert named.mentee.email == "mentoree@universite.demo"
    for email in ("mentor@banque.demo", "mentoree@universite.demo"):
        client = client_for(User.objects.get(email=email))
        assert client.get(reverse("web:home")).status_code == 200
        workspace = client.get(reverse("mentorships:workspace", kwargs={"pk": named.pk}))
        assert workspace.status_code == 200
    coordinator = client_for(User.objects.get(email="coordination@universite.demo"))
    dashboard = coordinator.get(
        reverse("mentorships:dashboard", kwargs={"slug": named.edition.program.slug})
    )
    assert dashboard.status_code == 200
    assert "health-at_risk" in dashboard.content.decode()
