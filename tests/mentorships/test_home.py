"""The home page shows one's pairs with the next meeting, pending check-ins, and the
coordinators' counts per health state."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.mentorships.factories import CheckInFactory, MeetingFactory, MentorshipFactory
from tests.mentorships.permission_cases import pair_of_a


def test_mentee_home_shows_pair_next_meeting_and_check_in(cast, client_for):
    pair = pair_of_a(cast)
    MeetingFactory(mentorship=pair, starts_at=timezone.now() + timedelta(days=2))
    check_in = CheckInFactory(mentorship=pair)
    page = client_for(cast.mentee).get(reverse("web:home")).content.decode()
    assert reverse("mentorships:workspace", kwargs={"pk": pair.pk}) in page
    assert pair.mentor.display_name in page
    assert reverse("mentorships:check_in", kwargs={"pk": check_in.pk}) in page


def test_coordinator_home_counts_pairs_per_state(cast, client_for):
    pair = pair_of_a(cast)
    MentorshipFactory(edition=pair.edition, started_on=timezone.localdate() - timedelta(days=50))
    client = client_for(cast.coordinator_a)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("web:home")).content.decode()
    assert reverse("mentorships:dashboard", kwargs={"slug": pair.edition.program.slug}) in page
    assert "1 at risk" in page
    assert "1 on track" in page
    other = client_for(cast.coordinator_b).get(reverse("web:home")).content.decode()
    assert pair.edition.program.name not in other
