"""The program's settings for minors, on its edit page, and what they do to the meeting
form of a pair with a minor: only the modes the program allows, the first one proposed,
the school as the place, and phone calls only when the program allows them."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from mentorat.applications.models import Application
from mentorat.audit.models import AuditEntry
from mentorat.lib.errors import DomainError
from mentorat.mentorships.models import Meeting, MeetingMode
from mentorat.mentorships.services.meetings import MeetingData, propose_meeting
from mentorat.organizations.models import Organization, OrganizationKind
from mentorat.programs.models import MinorMeetingModes, Program
from tests.mentorships.permission_cases import pair_of_a
from tests.programs.factories import ProgramFactory

NOW = datetime(2026, 6, 3, 8, 0, tzinfo=UTC)


@pytest.fixture
def minor_pair(cast):
    """The cast's pair, its mentee a pupil of a lycée who applied under 18."""
    pair = pair_of_a(cast)
    school = Organization.objects.create(
        name="Lycée Jean Moulin", slug="lycee-jm", kind=OrganizationKind.VOCATIONAL_SCHOOL,
        city="Lyon",
    )  # fmt: skip
    Application.objects.filter(pk=pair.mentee_application_id).update(
        is_minor=True, organization=school
    )
    pair.refresh_from_db()
    return pair


def _set(pair, **values) -> None:
    Program.objects.filter(pk=pair.edition.program_id).update(**values)


def _form(client, pair):
    client.cookies["django_language"] = "en"
    response = client.get(reverse("mentorships:meeting_propose", kwargs={"pk": pair.pk}))
    return response.context["form"]


def _propose(client, pair, mode, **extra):
    data = {
        "starts_at": "2026-06-10T18:30",
        "duration_minutes": "60",
        "mode": mode,
        "place": "Lycée Jean Moulin",
        "video_url": "https://visio.example.org/binome",
        "phone": "0600000000",
    } | extra
    return client.post(reverse("mentorships:meeting_propose", kwargs={"pk": pair.pk}), data)


def test_new_programs_require_checks_and_offer_school_or_video(cast):
    program = ProgramFactory(organization=cast.org_a)
    assert program.safeguarding_required is True
    assert program.minor_meeting_modes == MinorMeetingModes.BOTH
    assert program.minor_phone_calls is False
    assert program.minor_meeting_mode_codes() == ("in_person", "video")


def test_the_program_edit_page_saves_the_settings_for_minors(cast, client_for):
    program = ProgramFactory(organization=cast.org_a, slug="mineurs")
    client = client_for(cast.coordinator_a)
    client.cookies["django_language"] = "en"
    url = reverse("programs:edit", args=[program.slug])
    shown = client.get(url)
    assert "Mentors must have a safeguarding check before being paired with a minor" in (
        shown.content.decode()
    )
    assert shown.context["form"].initial["safeguarding_required"] is True
    response = client.post(
        url,
        {
            "name": program.name,
            "summary": "",
            "description": "",
            "minor_meeting_modes": MinorMeetingModes.VIDEO,
            "minor_phone_calls": "on",
            # "safeguarding_required" unticked
        },
    )
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.safeguarding_required is False
    assert program.minor_meeting_modes == MinorMeetingModes.VIDEO
    assert program.minor_meeting_mode_codes() == ("video", "phone")
    entry = AuditEntry.objects.get(action="programs.program.updated")
    assert entry.data["safeguarding_required"] is False
    # A bad choice names the field, changes nothing.
    response = client.post(
        url,
        {"name": program.name, "minor_meeting_modes": "telepathy", "safeguarding_required": "on"},
    )
    assert response.status_code == 200
    assert "minor_meeting_modes" in response.context["form"].errors
    program.refresh_from_db()
    assert program.safeguarding_required is False


@time_machine.travel(NOW, tick=False)
def test_a_pair_with_a_minor_is_offered_the_program_s_modes_only(cast, client_for, minor_pair):
    client = client_for(cast.mentor)
    form = _form(client, minor_pair)
    modes = [value for value, _label in form.fields["mode"].choices]
    assert modes == [MeetingMode.IN_PERSON, MeetingMode.VIDEO]  # no phone call
    assert form.initial["mode"] == MeetingMode.IN_PERSON
    assert form.initial["place"] == "Lycée Jean Moulin, Lyon"
    response = _propose(client, minor_pair, MeetingMode.PHONE)
    assert response.status_code == 200
    assert "mode" in response.context["form"].errors
    assert not Meeting.objects.exists()

    _set(minor_pair, minor_meeting_modes=MinorMeetingModes.VIDEO, minor_phone_calls=True)
    form = _form(client, minor_pair)
    assert [v for v, _l in form.fields["mode"].choices] == [MeetingMode.VIDEO, MeetingMode.PHONE]
    assert form.initial["mode"] == MeetingMode.VIDEO
    assert _propose(client, minor_pair, MeetingMode.IN_PERSON).status_code == 200
    assert _propose(client, minor_pair, MeetingMode.VIDEO).status_code == 302
    assert Meeting.objects.get().mode == MeetingMode.VIDEO


@time_machine.travel(NOW, tick=False)
def test_the_service_refuses_a_mode_the_program_does_not_allow(cast, minor_pair):
    with translation.override("en"), pytest.raises(DomainError, match="minor"):
        propose_meeting(
            mentorship=minor_pair,
            data=MeetingData(
                starts_at=datetime(2026, 6, 10, 16, 30, tzinfo=UTC),
                duration_minutes=60,
                mode=MeetingMode.PHONE,
            ),
            actor=cast.mentor,
        )
    assert not Meeting.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_adults_pairs_keep_every_mode(cast, client_for):
    pair = pair_of_a(cast)
    form = _form(client_for(cast.mentor), pair)
    assert [v for v, _l in form.fields["mode"].choices] == list(MeetingMode.values)
    assert form.initial.get("mode", form.fields["mode"].initial) == "video"
