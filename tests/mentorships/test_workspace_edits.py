"""The pair's goals and shared links after they are written: editing a goal, marking it
achieved, abandoning or resuming it, and editing or removing a link added by either
person; coordinators see the goals and how many links, never the links themselves."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from mentorat.audit.models import AuditEntry
from mentorat.lib.errors import DomainError
from mentorat.mentorships.models import Goal, GoalStatus, GoalUpdate, Resource
from mentorat.mentorships.services import pairs as pair_services
from mentorat.participants.models import Skill, SkillKind
from tests.mentorships.factories import MentorshipFactory
from tests.mentorships.permission_cases import pair_of_a


def _goal(pair, **fields) -> Goal:
    values = {
        "title": "Trouver un stage",
        "measure": "Convention signée",
        "due_on": timezone.localdate() + timedelta(days=30),
    }
    return Goal.objects.create(mentorship=pair, **(values | fields))


def _actions() -> list[str]:
    entries = AuditEntry.objects.filter(action__startswith="mentorships.").order_by("id")
    return list(entries.values_list("action", flat=True))


def test_either_person_edits_a_goal_and_its_skills(cast, client_for):
    pair = pair_of_a(cast)
    goal = _goal(pair, progress=30)
    communication = Skill.objects.create(name="Communication", kind=SkillKind.TRANSVERSAL)
    leadership = Skill.objects.create(name="Leadership", kind=SkillKind.TRANSVERSAL)
    goal.skills.set([communication])
    url = reverse("mentorships:goal_edit", kwargs={"pk": pair.pk, "goal_pk": goal.pk})

    mentee = client_for(cast.mentee)
    page = mentee.get(url).content.decode()
    assert 'value="Trouver un stage"' in page  # the form starts from the goal as it is
    assert "<h1>Modifier l'objectif</h1>" in page
    due = (timezone.localdate() + timedelta(days=90)).isoformat()
    response = mentee.post(
        url,
        {
            "title": "Trouver une alternance",
            "measure": "Contrat signé",
            "due_on": due,
            "skills": [str(leadership.pk)],
        },
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.title, goal.measure, goal.due_on.isoformat()) == (
        "Trouver une alternance",
        "Contrat signé",
        due,
    )
    assert list(goal.skills.all()) == [leadership]
    assert goal.progress == 30  # editing the wording keeps the progress
    entry = AuditEntry.objects.get(action="mentorships.goal.updated")
    assert (entry.actor, entry.organization) == (cast.mentee, cast.org_a)
    assert entry.data["skills"] == [leadership.pk]


def test_goal_edit_errors_name_the_field_and_change_nothing(cast, client_for):
    pair = pair_of_a(cast)
    goal = _goal(pair)
    response = client_for(cast.mentor).post(
        reverse("mentorships:goal_edit", kwargs={"pk": pair.pk, "goal_pk": goal.pk}),
        {"title": "", "measure": "x", "due_on": (pair.started_on - timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 200
    assert 'id="id_title_error"' in response.content.decode()
    goal.refresh_from_db()
    assert goal.title == "Trouver un stage"
    early = pair_services.GoalData(
        title="Stage", measure="x", due_on=pair.started_on - timedelta(days=1)
    )
    with (
        translation.override("en"),
        pytest.raises(DomainError, match=r"^By when: the date must be after the start"),
    ):
        pair_services.update_goal(goal=goal, data=early, actor=cast.mentor)


def test_goal_marked_achieved_abandoned_and_resumed(cast, client_for):
    pair = pair_of_a(cast)
    goal = _goal(pair, progress=60)
    url = reverse("mentorships:goal_status", kwargs={"pk": pair.pk, "goal_pk": goal.pk})
    mentor = client_for(cast.mentor)

    response = mentor.post(url, {"status": "achieved"}, follow=True)
    goal.refresh_from_db()
    assert (goal.status, goal.progress) == (GoalStatus.ACHIEVED, 100)
    assert "« Trouver un stage » : Atteint." in response.content.decode()

    client_for(cast.mentee).post(url, {"status": "in_progress"})
    goal.refresh_from_db()
    assert goal.status == GoalStatus.IN_PROGRESS
    mentor = client_for(cast.mentor)
    mentor.post(url, {"status": "dropped"})
    goal.refresh_from_db()
    assert goal.status == GoalStatus.DROPPED
    history = list(GoalUpdate.objects.filter(goal=goal).values_list("status", flat=True))
    assert history == ["dropped", "in_progress", "achieved"]  # newest first
    assert _actions().count("mentorships.goal.progress_updated") == 3

    response = mentor.post(url, {"status": "finished"}, follow=True)
    goal.refresh_from_db()
    assert goal.status == GoalStatus.DROPPED
    assert "Statut : valeur inconnue « finished »." in response.content.decode()
    # The workspace offers to resume an abandoned goal, not to abandon it again.
    goals_tab = reverse("mentorships:workspace", kwargs={"pk": pair.pk}) + "?tab=goals"
    assert response.redirect_chain[0][0] == goals_tab  # back on the tab it came from
    page = mentor.get(goals_tab).content.decode()
    assert 'value="in_progress"' in page
    assert 'name="status" value="dropped"' not in page


def test_links_edited_and_removed_by_either_person(cast, client_for):
    pair = pair_of_a(cast)
    # `client_for` signs one test client in: the person acting is switched explicitly.
    client_for(cast.mentor).post(
        reverse("mentorships:resource_add", kwargs={"pk": pair.pk}),
        {"title": "Offres", "url": "emploi.example.org"},
    )
    resource = Resource.objects.get(mentorship=pair)
    assert resource.added_by == cast.mentor

    edit = reverse("mentorships:resource_edit", kwargs={"pk": pair.pk, "resource_pk": resource.pk})
    mentee = client_for(cast.mentee)
    assert 'value="Offres"' in mentee.get(edit).content.decode()
    bad = mentee.post(edit, {"title": "Offres", "url": "pas une adresse"})
    assert bad.status_code == 200
    assert 'id="id_url_error"' in bad.content.decode()
    response = mentee.post(edit, {"title": "Offres d'alternance", "url": "jobs.example.org/a"})
    assert response.status_code == 302
    resource.refresh_from_db()
    assert (resource.title, resource.url) == ("Offres d'alternance", "https://jobs.example.org/a")
    assert resource.added_by == cast.mentor  # the author stays the one who shared it

    resources_tab = reverse("mentorships:workspace", kwargs={"pk": pair.pk}) + "?tab=resources"
    assert response["Location"] == resources_tab
    mentor = client_for(cast.mentor)
    page = mentor.get(resources_tab).content.decode()
    assert "https://jobs.example.org/a" in page
    mentor.post(
        reverse("mentorships:resource_delete", kwargs={"pk": pair.pk, "resource_pk": resource.pk})
    )
    assert not Resource.objects.exists()
    removed = AuditEntry.objects.get(action="mentorships.resource.removed")
    assert (removed.actor, removed.data["title"]) == (cast.mentor, "Offres d'alternance")
    assert _actions()[-3:] == [
        "mentorships.resource.added",
        "mentorships.resource.updated",
        "mentorships.resource.removed",
    ]


def test_another_pairs_goal_or_link_is_not_found(cast, client_for):
    pair = pair_of_a(cast)
    other = MentorshipFactory(edition=pair.edition)
    goal = _goal(other)
    resource = other.resources.create(title="Secret", url="https://x.example.org")
    mentor = client_for(cast.mentor)
    # The URL names the mentor's own pair, the object belongs to another one.
    for name, kwargs in [
        ("mentorships:goal_edit", {"goal_pk": goal.pk}),
        ("mentorships:goal_status", {"goal_pk": goal.pk}),
        ("mentorships:resource_edit", {"resource_pk": resource.pk}),
        ("mentorships:resource_delete", {"resource_pk": resource.pk}),
    ]:
        response = mentor.post(
            reverse(name, kwargs={"pk": pair.pk, **kwargs}), {"status": "dropped"}
        )
        assert response.status_code == 404, name
    assert Resource.objects.filter(pk=resource.pk).exists()
    goal.refresh_from_db()
    assert goal.status == GoalStatus.IN_PROGRESS


def test_coordinators_see_goals_and_a_count_of_links_only(cast, client_for):
    pair = pair_of_a(cast)
    _goal(pair)
    pair.resources.create(title="Mon CV en ligne", url="https://cv.example.org/moi")
    page = client_for(cast.coordinator_a).get(
        reverse("mentorships:workspace", kwargs={"pk": pair.pk})
    )
    content = page.content.decode()
    assert "Trouver un stage" in content
    assert "1 lien partagé dans le binôme." in content
    assert "cv.example.org" not in content
    assert "Mon CV en ligne" not in content
    assert "/edit/" not in content  # no edit links for coordinators


def test_ended_pairs_goals_and_links_are_read_only(cast, client_for):
    pair = pair_of_a(cast)
    goal = _goal(pair)
    resource = pair.resources.create(title="Offres", url="https://emploi.example.org")
    pair_services.end_mentorship(mentorship=pair, reason="goals_reached", actor=cast.mentor)
    mentor = client_for(cast.mentor)
    assert (
        mentor.post(
            reverse("mentorships:goal_status", kwargs={"pk": pair.pk, "goal_pk": goal.pk}),
            {"status": "achieved"},
        ).status_code
        == 403
    )
    assert (
        mentor.post(
            reverse(
                "mentorships:resource_delete", kwargs={"pk": pair.pk, "resource_pk": resource.pk}
            )
        ).status_code
        == 403
    )
    with (
        translation.override("en"),
        pytest.raises(DomainError, match=r"^This mentorship has ended: it can no longer be"),
    ):
        pair_services.remove_resource(resource=resource, actor=cast.mentor)
    assert Resource.objects.filter(pk=resource.pk).exists()
