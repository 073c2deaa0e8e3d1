"""A form reports every problem in one submission, each on its own field, instead of
stopping at the first one (edition dates, a meeting in the past with no place…)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mentorat.lib.errors import DomainError
from mentorat.mentorships.models import Meeting
from mentorat.mentorships.services.meetings import MeetingData, propose_meeting
from mentorat.programs.models import Edition
from mentorat.programs.services import check_edition_dates
from tests.mentorships.permission_cases import pair_of_a
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def _field_errors(page: str, field: str) -> str:
    """The text of the error list Django renders for `field` (empty when none)."""
    marker = f'id="id_{field}_error"'
    if marker not in page:
        return ""
    start = page.index(marker)
    return page[start : page.index("</ul>", start)]


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def test_edition_dates_all_wrong_report_every_field(cast, client_for):
    program = ProgramFactory(organization=cast.org_a)
    client = _english(client_for(cast.coordinator_a))
    response = client.post(
        reverse("programs:edition_add", kwargs={"slug": program.slug}),
        {
            "name": "Rentrée",
            "applications_open_on": "2026-09-10",
            "applications_close_on": "2026-09-01",  # before the opening
            "matching_on": "2026-09-05",  # before the opening
            "starts_on": "2026-09-01",  # before the matching
            "ends_on": "2026-08-01",  # before the start
            "meetings_per_month": "2",
            "duration_months": "6",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "must not be before the opening date" in _field_errors(page, "applications_close_on")
    assert "must not be before applications open" in _field_errors(page, "matching_on")
    assert "must not be before the matching date" in _field_errors(page, "starts_on")
    assert "must be after the start" in _field_errors(page, "ends_on")
    assert not Edition.objects.exists()


def test_edition_dates_show_with_a_missing_name(cast, client_for):
    program = ProgramFactory(organization=cast.org_a)
    client = _english(client_for(cast.coordinator_a))
    response = client.post(
        reverse("programs:edition_add", kwargs={"slug": program.slug}),
        {
            "name": "",
            "applications_open_on": "2026-09-01",
            "applications_close_on": "2026-09-30",
            "matching_on": "2026-10-05",
            "starts_on": "2026-10-15",
            "ends_on": "2026-10-01",
            "meetings_per_month": "2",
            "duration_months": "6",
        },
    )
    page = response.content.decode()
    assert _field_errors(page, "name")
    assert "must be after the start" in _field_errors(page, "ends_on")


def test_meeting_in_the_past_without_a_place_reports_both(cast, client_for):
    pair = pair_of_a(cast)
    client = _english(client_for(cast.mentor))
    past = timezone.localtime(timezone.now() - timedelta(days=2))
    response = client.post(
        reverse("mentorships:meeting_propose", kwargs={"pk": pair.pk}),
        {
            "starts_at": past.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": "60",
            "mode": "in_person",
            "place": "",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "choose a moment in the future" in _field_errors(page, "starts_at")
    assert "say where you will meet" in _field_errors(page, "place")
    assert not Meeting.objects.exists()


def test_the_services_name_every_problem_too(cast):
    with pytest.raises(DomainError) as caught:
        check_edition_dates(
            applications_open_on=timezone.localdate(),
            applications_close_on=timezone.localdate() - timedelta(days=1),
            matching_on=timezone.localdate(),
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate(),
        )
    assert set(caught.value.field_errors) == {"applications_close_on", "ends_on"}

    with pytest.raises(DomainError) as caught:
        propose_meeting(
            mentorship=pair_of_a(cast),
            data=MeetingData(
                starts_at=timezone.now() - timedelta(hours=1),
                duration_minutes=5,
                mode="video",
            ),
            actor=cast.mentor,
        )
    assert set(caught.value.field_errors) == {"starts_at", "duration_minutes", "video_url"}
    assert not Meeting.objects.exists()


def test_a_goal_due_before_the_pair_started_is_shown_on_its_date(cast, client_for):
    pair = pair_of_a(cast)
    client = _english(client_for(cast.mentor))
    response = client.post(
        reverse("mentorships:goal_add", kwargs={"pk": pair.pk}),
        {
            "title": "Premier emploi",
            "measure": "Une offre reçue",
            "due_on": (pair.started_on - timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "must be after the start of the mentorship" in _field_errors(page, "due_on")
    assert not pair.goals.exists()
