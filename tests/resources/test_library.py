"""The resource library: coordinators' pages, files served only to the program's people,
the pair's phase and what the workspace shows, adopting a goal template."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from mentorat.audit.models import AuditEntry
from mentorat.lib.errors import DomainError
from mentorat.mentorships.models import Goal
from mentorat.mentorships.services.pairs import GoalData, update_goal
from mentorat.participants.models import Skill
from mentorat.resources import selectors
from mentorat.resources.models import GoalAdoption, LibraryResource, Phase
from mentorat.resources.services import ResourceData, add_resource
from tests.mentorships.factories import MeetingFactory
from tests.mentorships.permission_cases import pair_of_a
from tests.programs.factories import ProgramFactory
from tests.resources.permission_cases import goal_template, library_resource

TODAY = date(2026, 3, 16)


@pytest.mark.parametrize(
    ("ended", "has_met", "ends_in", "phase"),
    [
        (False, False, 90, Phase.BEFORE_FIRST_MEETING),
        (False, True, 90, Phase.DURING),
        (False, True, 31, Phase.DURING),
        (False, True, 30, Phase.CLOSING),
        (False, False, 10, Phase.CLOSING),
        (True, True, 90, Phase.CLOSING),
    ],
)
def test_phase_of_a_pair(ended, has_met, ends_in, phase):
    ends_on = TODAY + timedelta(days=ends_in)
    assert (
        selectors.phase_of(ended=ended, has_met=has_met, edition_ends_on=ends_on, today=TODAY)
        == phase
    )


def test_coordinator_adds_a_file_and_only_the_programs_people_download_it(cast, client_for):
    program = pair_of_a(cast).edition.program
    client = client_for(cast.coordinator_a)
    upload = SimpleUploadedFile("fiche.pdf", b"%PDF-1.4 fiche", content_type="application/pdf")
    response = client.post(
        reverse("resources:resource_add", args=[program.slug]),
        {
            "title": "Fiche de clôture",
            "kind": "file",
            "audience": "mentees",
            "phase": "closing",
            "description": "**Bilan**",
            "file": upload,
        },
    )
    assert response.status_code == 302
    resource = LibraryResource.objects.get(title="Fiche de clôture")
    assert resource.program == program
    assert resource.file_name == "fiche.pdf"
    assert AuditEntry.objects.filter(action="resources.resource.added").exists()
    url = reverse("resources:resource_download", args=[program.slug, resource.pk])
    download = client_for(cast.mentee).get(url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == b"%PDF-1.4 fiche"
    # A mentees' file: the mentor knows the library (403); other organisations 404.
    assert client_for(cast.mentor).get(url).status_code == 403
    assert client_for(cast.coordinator_b).get(url).status_code == 404
    assert client_for(cast.outsider).get(url).status_code == 404
    library = client_for(cast.coordinator_a).get(
        reverse("resources:program_library", args=[program.slug])
    )
    assert "<strong>Bilan</strong>" in library.content.decode()


def test_a_file_of_another_type_is_refused(cast, client_for):
    program = pair_of_a(cast).edition.program
    upload = SimpleUploadedFile("outil.exe", b"MZ", content_type="application/octet-stream")
    response = client_for(cast.coordinator_a).post(
        reverse("resources:resource_add", args=[program.slug]),
        {"title": "Outil", "kind": "file", "audience": "both", "phase": "during", "file": upload},
    )
    assert response.status_code == 200
    assert "pas accepté" in response.content.decode() or "not accepted" in response.content.decode()
    assert not LibraryResource.objects.exists()


def test_the_workspace_shows_this_sides_resources_of_the_pairs_phase(cast):
    pair = pair_of_a(cast)  # started 5 days ago, no meeting held yet
    program = pair.edition.program
    first = library_resource(program)  # before the first meeting, for both
    for_mentors = library_resource(program, audience="mentors")
    shared = library_resource(program, whole_organization=True)
    shared.phase = Phase.CLOSING
    shared.save()
    now = timezone.now()
    mentee = selectors.pair_library(mentorship=pair, role="mentee", now=now)
    assert mentee.phase == Phase.BEFORE_FIRST_MEETING
    assert mentee.resources == [first]
    assert mentee.other_resources == [shared]  # the organisation's, reused here
    mentor = selectors.pair_library(mentorship=pair, role="mentor", now=now)
    assert {r.pk for r in mentor.resources} == {first.pk, for_mentors.pk}
    MeetingFactory(mentorship=pair, starts_at=now - timedelta(days=1))
    assert selectors.pair_library(mentorship=pair, role="mentee", now=now).phase == Phase.DURING


def test_a_pair_adopts_a_template_once_then_adapts_the_goal(cast, client_for):
    pair = pair_of_a(cast)
    template = goal_template(pair.edition.program)
    skill = Skill.objects.create(name="Négociation", kind="transversal")
    template.skills.set([skill])
    client = client_for(cast.mentee)
    page = client.get(reverse("mentorships:workspace", args=[pair.pk]) + "?tab=resources")
    adopt = reverse("resources:template_adopt", args=[pair.pk, template.pk])
    assert adopt in page.content.decode()
    assert client.post(adopt).status_code == 302
    goal = Goal.objects.get(mentorship=pair)
    assert (goal.title, goal.measure) == (template.title, template.measure)
    assert list(goal.skills.all()) == [skill]
    assert goal.due_on == pair.edition.ends_on
    assert GoalAdoption.objects.get(template=template, mentorship=pair).goal == goal
    # A second click: refused with a clear message, no second goal.
    again = client.post(adopt, follow=True)
    assert Goal.objects.filter(mentorship=pair).count() == 1
    assert "déjà adopté" in again.content.decode() or "already adopted" in again.content.decode()
    # The goal is the pair's own: they change it like any other.
    update_goal(
        goal=goal,
        data=GoalData(title="Stage en alternance", measure="Contrat signé", due_on=goal.due_on),
        actor=cast.mentee,
    )
    goal.refresh_from_db()
    assert goal.title == "Stage en alternance"
    assert GoalAdoption.objects.get(template=template).goal == goal


def test_a_template_of_another_program_cannot_be_adopted(cast, client_for):
    pair = pair_of_a(cast)
    other = goal_template(ProgramFactory(organization=cast.org_a, slug="autre-programme"))
    response = client_for(cast.mentor).post(
        reverse("resources:template_adopt", args=[pair.pk, other.pk])
    )
    assert response.status_code == 404
    assert not Goal.objects.filter(mentorship=pair).exists()


def test_only_web_links_are_stored(cast):
    program = pair_of_a(cast).edition.program
    data = ResourceData(
        title="Piège", kind="link", audience="both", phase="during", url="javascript:alert(1)"
    )
    with pytest.raises(DomainError) as refused:
        add_resource(program=program, data=data, actor=cast.coordinator_a)
    assert "url" in refused.value.field_errors
