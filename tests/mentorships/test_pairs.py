"""Pairs: creation for issue 5, goals and skills through the pages, closure, re-matching
and outcomes."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from mentorat.applications.models import Application
from mentorat.audit.models import AuditEntry
from mentorat.lib.errors import DomainError
from mentorat.mentorships.models import (
    CheckIn,
    EndReason,
    Goal,
    MentorshipStatus,
    Outcome,
    SkillAssessment,
)
from mentorat.mentorships.selectors import mentees_to_rematch
from mentorat.mentorships.services import create_mentorship, end_mentorship
from mentorat.participants.models import Skill, SkillKind
from tests.factories import UserFactory
from tests.mentorships.factories import RunningEditionFactory, application_of
from tests.mentorships.permission_cases import pair_of_a


def test_create_mentorship_allows_one_active_pair_per_mentee_and_edition(db):
    edition = RunningEditionFactory()

    def app(role: str) -> Application:
        return application_of(edition, UserFactory(), role)

    mentor, other_mentor, mentee = app("mentor"), app("mentor"), app("mentee")
    pair = create_mentorship(mentor=mentor, mentee=mentee, score=0.82, explanation={"field": 1})
    assert pair.status == MentorshipStatus.ACTIVE
    assert (pair.mentor, pair.mentee) == (mentor.user, mentee.user)
    assert pair.mentor_answer == pair.mentee_answer == "pending"
    assert pair.started_on == timezone.localdate()  # the edition has already started
    assert AuditEntry.objects.filter(action="mentorships.mentorship.created").exists()
    with translation.override("en"), pytest.raises(DomainError, match="already has a mentor"):
        create_mentorship(mentor=other_mentor, mentee=mentee)
    with translation.override("en"), pytest.raises(DomainError, match="two different people"):
        create_mentorship(mentor=mentee, mentee=mentee)
    elsewhere = application_of(RunningEditionFactory(), UserFactory(), "mentee")
    with translation.override("en"), pytest.raises(DomainError, match="same edition"):
        create_mentorship(mentor=other_mentor, mentee=elsewhere)

    # "Not a good fit": the pair ends and the mentee can be matched again.
    end_mentorship(mentorship=pair, reason=EndReason.NOT_A_FIT, actor=None)
    assert not CheckIn.objects.filter(mentorship=pair).exists()
    finished = create_mentorship(mentor=mentor, mentee=app("mentee"))
    end_mentorship(mentorship=finished, reason=EndReason.GOALS_REACHED, actor=None)
    assert list(mentees_to_rematch(edition=edition)) == [mentee.user]
    again = create_mentorship(mentor=other_mentor, mentee=mentee)
    assert again.status == MentorshipStatus.ACTIVE
    assert not mentees_to_rematch(edition=edition).exists()


def test_future_edition_pairs_start_on_the_edition_start(db):
    edition = RunningEditionFactory(starts_on=timezone.localdate() + timedelta(days=10))
    pair = create_mentorship(
        mentor=application_of(edition, UserFactory(), "mentor"),
        mentee=application_of(edition, UserFactory(), "mentee"),
    )
    assert pair.started_on == edition.starts_on


def test_goal_with_skills_progress_and_assessments(cast, client_for):
    pair = pair_of_a(cast)
    leadership = Skill.objects.create(name="Leadership", kind=SkillKind.TRANSVERSAL)
    mentor = client_for(cast.mentor)
    due = (timezone.localdate() + timedelta(days=60)).isoformat()
    response = mentor.post(
        reverse("mentorships:goal_add", kwargs={"pk": pair.pk}),
        {
            "title": "Décrocher une alternance",
            "measure": "Contrat signé",
            "due_on": due,
            "skills": [str(leadership.pk)],
        },
    )
    assert response.status_code == 302
    goal = Goal.objects.get(mentorship=pair)
    assert list(goal.skills.all()) == [leadership]

    mentee = client_for(cast.mentee)
    mentee.post(
        reverse("mentorships:goal_progress", kwargs={"pk": pair.pk, "goal_pk": goal.pk}),
        {"progress": "40", "status": "in_progress", "note": "Deux entretiens"},
    )
    goal.refresh_from_db()
    assert goal.progress == 40

    mentee.post(
        reverse("mentorships:assessment", kwargs={"pk": pair.pk, "phase": "start"}),
        {f"skill_{leadership.pk}": "2"},
    )
    mentor = client_for(cast.mentor)
    mentor.post(
        reverse("mentorships:assessment", kwargs={"pk": pair.pk, "phase": "start"}),
        {f"skill_{leadership.pk}": "3"},
    )
    levels = dict(SkillAssessment.objects.values_list("rater_role", "level"))
    assert levels == {"mentee": 2, "mentor": 3}
    goals_tab = reverse("mentorships:workspace", kwargs={"pk": pair.pk}) + "?tab=goals"
    page = mentor.get(goals_tab).content.decode()
    assert "Décrocher une alternance" in page
    assert 'value="40"' in page


def test_goal_errors_name_the_field(cast, client_for):
    pair = pair_of_a(cast)
    response = client_for(cast.mentor).post(
        reverse("mentorships:goal_add", kwargs={"pk": pair.pk}),
        {"title": "", "measure": "x", "due_on": "pas une date"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_title_error"' in page
    assert 'id="id_due_on_error"' in page
    assert not Goal.objects.exists()


def test_ending_early_needs_a_reason_and_sends_final_check_ins(cast, client_for):
    pair = pair_of_a(cast)
    url = reverse("mentorships:end", kwargs={"pk": pair.pk})
    client = client_for(cast.mentee)
    refused = client.post(url, {"reason": "other", "note": ""})
    assert refused.status_code == 200
    assert 'id="id_note_error"' in refused.content.decode()
    pair.refresh_from_db()
    assert pair.status == MentorshipStatus.ACTIVE

    assert client.post(url, {"reason": "no_contact"}).status_code == 302
    pair.refresh_from_db()
    assert pair.status == MentorshipStatus.ENDED
    assert pair.end_reason == EndReason.NO_CONTACT
    assert pair.ended_by == cast.mentee
    assert CheckIn.objects.filter(mentorship=pair, occasion="final").count() == 2
    # An ended pair is read-only: the workspace stays readable, actions are refused.
    assert client.get(reverse("mentorships:workspace", kwargs={"pk": pair.pk})).status_code == 200
    propose = reverse("mentorships:meeting_propose", kwargs={"pk": pair.pk})
    assert client.get(propose).status_code == 403


def test_outcomes_at_the_end_and_six_months_later(cast, client_for):
    pair = pair_of_a(cast)
    mentee = client_for(cast.mentee)
    six_months = reverse("mentorships:outcome", kwargs={"pk": pair.pk, "stage": "six_months"})
    refused = mentee.post(six_months, {"situation": "cdi"})
    assert refused.status_code == 200  # only after the end
    assert not Outcome.objects.exists()

    end_mentorship(mentorship=pair, reason=EndReason.GOALS_REACHED, actor=cast.coordinator_a)
    mentee.post(
        reverse("mentorships:outcome", kwargs={"pk": pair.pk, "stage": "end"}),
        {"situation": "apprenticeship", "detail": "BTS en alternance chez Nexalis"},
    )
    coordinator = client_for(cast.coordinator_a)
    coordinator.post(six_months, {"situation": "cdi", "detail": "Embauché·e"})
    outcomes = dict(Outcome.objects.values_list("stage", "situation"))
    assert outcomes == {"end": "apprenticeship", "six_months": "cdi"}
    other = client_for(cast.mentee).post(six_months, {"situation": "other", "detail": ""})
    assert 'id="id_detail_error"' in other.content.decode()
