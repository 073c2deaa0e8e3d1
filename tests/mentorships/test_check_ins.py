"""Check-ins: the emailed one-click link (signed, expiring, answered once), the in-app
form, the first-meeting trigger and the program's own questions."""

import re
from datetime import timedelta

import time_machine
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from mentorat.mentorships.models import CheckIn, CheckInOccasion, CheckInQuestion
from mentorat.mentorships.services.check_ins import check_in_from_token, check_in_token
from tests.mentorships.factories import CheckInFactory, MeetingFactory
from tests.mentorships.permission_cases import pair_of_a


def test_emailed_scores_preselect_and_one_button_answers(cast, client_for, mailoutbox):
    pair = pair_of_a(cast)
    meeting = MeetingFactory(mentorship=pair, starts_at=timezone.now() - timedelta(hours=1))
    with TestCase.captureOnCommitCallbacks(execute=True):
        client_for(cast.mentor).post(
            reverse("mentorships:session_log", kwargs={"pk": pair.pk, "meeting_pk": meeting.pk}),
            {"duration_minutes": "60", "topics": "Projet professionnel"},
        )
    # The first log sends the "after the first meeting" check-in to both.
    check_ins = CheckIn.objects.filter(mentorship=pair, occasion=CheckInOccasion.FIRST_MEETING)
    assert check_ins.count() == 2
    mentee_mail = next(m for m in mailoutbox if m.to == [cast.mentee.email])
    mentee_check_in = check_ins.get(respondent=cast.mentee)
    # The signed token embeds a timestamp: read the link from the email, do not rebuild it.
    [link] = set(re.findall(r"(/check-in/[^/\s]+/)\?satisfaction=4", mentee_mail.body))
    assert check_in_from_token(link.split("/")[2]) == mentee_check_in

    anonymous = client_for(None)
    page = anonymous.get(f"{link}?satisfaction=4")
    assert page.status_code == 200
    assert 'value="4" required id="id_satisfaction_3" checked' in page.content.decode()
    mentee_check_in.refresh_from_db()
    assert mentee_check_in.answered_at is None  # opening the link writes nothing

    done = anonymous.post(link, {"satisfaction": "4", "recommend": "9", "comment": "Très utile"})
    assert done.status_code == 200
    mentee_check_in.refresh_from_db()
    assert (mentee_check_in.satisfaction, mentee_check_in.recommend) == (4, 9)
    assert mentee_check_in.comment == "Très utile"

    again = anonymous.post(link, {"satisfaction": "1"})
    mentee_check_in.refresh_from_db()
    assert again.status_code == 200
    assert mentee_check_in.satisfaction == 4  # answered once


def test_tampered_or_expired_links_are_refused(cast, client_for):
    check_in = CheckInFactory(mentorship=pair_of_a(cast))
    token = check_in_token(check_in)
    client = client_for(None)
    tampered = client.get(reverse("mentorships:check_in_link", kwargs={"token": token + "x"}))
    assert tampered.status_code == 410
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        expired = client.get(reverse("mentorships:check_in_link", kwargs={"token": token}))
    assert expired.status_code == 410


def test_missing_satisfaction_is_named(cast, client_for):
    check_in = CheckInFactory(mentorship=pair_of_a(cast))
    client = client_for(cast.mentee)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("mentorships:check_in", kwargs={"pk": check_in.pk}), {"comment": "…"}
    )
    assert response.status_code == 200
    assert 'id="id_satisfaction_error"' in response.content.decode()
    check_in.refresh_from_db()
    assert check_in.answered_at is None


def test_program_questions_are_asked_and_kept_with_their_text(cast, client_for):
    pair = pair_of_a(cast)
    program = pair.edition.program
    coordinator = client_for(cast.coordinator_a)
    url = reverse("mentorships:check_in_questions", kwargs={"slug": program.slug})
    coordinator.post(url, {"label": "Votre binôme vous aide-t-il ?", "kind": "yes_no"})
    question = CheckInQuestion.objects.get(program=program)

    check_in = CheckInFactory(mentorship=pair)
    mentee = client_for(cast.mentee)
    answer_url = reverse("mentorships:check_in", kwargs={"pk": check_in.pk})
    assert "Votre binôme vous aide-t-il ?" in mentee.get(answer_url).content.decode()
    mentee.post(answer_url, {"satisfaction": "5", f"q_{question.pk}": "yes"})
    check_in.refresh_from_db()
    assert check_in.answers == {
        str(question.pk): {"question": "Votre binôme vous aide-t-il ?", "answer": True}
    }

    coordinator = client_for(cast.coordinator_a)
    coordinator.post(
        reverse(
            "mentorships:check_in_question_edit", kwargs={"slug": program.slug, "pk": question.pk}
        ),
        {"label": "Votre mentor vous aide-t-il ?"},
    )
    question.refresh_from_db()
    assert question.label == "Votre mentor vous aide-t-il ?"
    check_in.refresh_from_db()  # answers already given keep the text they were given with
    assert check_in.answers[str(question.pk)]["question"] == "Votre binôme vous aide-t-il ?"
    coordinator.post(
        reverse(
            "mentorships:check_in_question_delete",
            kwargs={"slug": program.slug, "pk": question.pk},
        )
    )
    assert not CheckInQuestion.objects.exists()
    summary = coordinator.get(reverse("mentorships:workspace", kwargs={"pk": pair.pk}))
    assert "5/5" in summary.content.decode()
