"""Publishing a run: mentorships, introduction emails, answers, re-matching."""

import time_machine
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from mentorat.audit.models import AuditEntry
from mentorat.matching.models import RunStatus
from mentorat.matching.services import publication
from mentorat.mentorships.models import Mentorship, MentorshipStatus, PairAnswer
from tests.programs.factories import CharterFactory


def publish(client, c, run):
    """Open the confirmation page, then confirm with the token it shows."""
    url = reverse("matching:publish", args=[c.program.slug, run.pk])
    plan = client.get(url).context["plan"]
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, {"token": plan.token if plan else "none"})


def test_publishing_creates_pairs_and_introduces_both_sides(
    cast, client_for, small, run_for, mailoutbox
):
    CharterFactory(program=small.program, text="Je viens aux rencontres prévues.")
    run = run_for(small)
    response = publish(client_for(cast.coordinator_a), small, run)
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == RunStatus.PUBLISHED
    pairs = Mentorship.objects.filter(edition=small.edition)
    assert pairs.count() == 2
    assert {m.mentor_answer for m in pairs} == {PairAnswer.PENDING}
    assert len(mailoutbox) == 4  # two emails per pair
    pair = pairs.first()
    to_mentee = next(m for m in mailoutbox if m.to == [pair.mentee.email])
    assert pair.mentor.display_name in to_mentee.body
    assert "Même domaine (Informatique)" in to_mentee.body  # why, in plain words
    assert "Je viens aux rencontres prévues." in to_mentee.body  # the charter
    assert reverse("matching:pair_answer", args=[pair.pk]) in to_mentee.body  # next step
    assert AuditEntry.objects.filter(action="matching.run.published").exists()
    # Publishing twice is refused; nothing is duplicated.
    again = publish(client_for(cast.coordinator_a), small, run)
    assert again.status_code == 409
    assert Mentorship.objects.filter(edition=small.edition).count() == 2


def test_mentee_confirms_and_mentor_says_not_a_good_fit(cast, client_for, small, run_for):
    run = run_for(small)
    publish(client_for(cast.coordinator_a), small, run)
    pair = Mentorship.objects.filter(edition=small.edition).first()
    url = reverse("matching:pair_answer", args=[pair.pk])
    mentee_client = client_for(pair.mentee)
    assert mentee_client.get(url).status_code == 200
    mentee_client.post(url, {"answer": "confirmed"})
    pair.refresh_from_db()
    assert pair.mentee_answer == PairAnswer.CONFIRMED
    # A "not a good fit" answer needs a reason.
    mentor_client = client_for(pair.mentor)
    refused = mentor_client.post(url, {"answer": "not_a_fit", "reason": ""})
    assert refused.status_code == 400
    mentor_client.post(url, {"answer": "not_a_fit", "reason": "Nos horaires ne collent pas."})
    pair.refresh_from_db()
    assert pair.mentor_answer == PairAnswer.NOT_A_FIT
    assert pair.status == MentorshipStatus.ENDED
    answers = client_for(cast.coordinator_a).get(
        reverse("matching:answers", args=[small.program.slug]), {"state": "not_a_fit"}
    )
    assert "Nos horaires ne collent pas." in answers.content.decode()


def test_answers_close_after_the_set_number_of_days(cast, client_for, small, run_for):
    run = run_for(small)
    publish(client_for(cast.coordinator_a), small, run)
    pair = Mentorship.objects.filter(edition=small.edition).first()
    later = timezone.now() + timezone.timedelta(days=publication.answer_days() + 1)
    with time_machine.travel(later):
        response = client_for(pair.mentee).post(
            reverse("matching:pair_answer", args=[pair.pk]), {"answer": "confirmed"}
        )
    assert response.status_code == 400
    # The form gives way to a notice with the (stored) deadline.
    assert "Le délai pour répondre a pris fin" in response.content.decode()
    pair.refresh_from_db()
    assert pair.mentee_answer == PairAnswer.PENDING


def test_rematching_keeps_confirmed_pairs_and_never_repeats_a_bad_fit(
    cast, client_for, small, run_for
):
    from tests.matching.factories import person

    run = run_for(small)
    publish(client_for(cast.coordinator_a), small, run)
    kept, bad = Mentorship.objects.filter(edition=small.edition).order_by("pk")
    publication.answer_pair(mentorship=kept, user=kept.mentee, answer="confirmed")
    publication.answer_pair(
        mentorship=bad, user=bad.mentee, answer="not_a_fit", reason="Pas le bon domaine"
    )
    late = person(small.edition, "mentee", cast.org_a, skills=("Python",))  # late joiner
    newcomer = person(small.edition, "mentor", small.company, skills=("Python",))
    second = run_for(small, default_capacity=2)
    mentees = set(second.proposals.values_list("mentee_id", flat=True))
    assert kept.mentee_application_id not in mentees  # the confirmed pair is left as it is
    assert late.pk in mentees
    again = second.proposals.get(mentee_id=bad.mentee_application_id)
    assert again.mentor_id != bad.mentor_application_id
    assert newcomer.pk in set(second.proposals.values_list("mentor_id", flat=True)) or (
        again.mentor_id is not None
    )
    # The confirmed pair's mentor counts its mentee against the capacity of 2.
    assert second.proposals.filter(mentor_id=kept.mentor_application_id).count() <= 1
