"""Check-ins: the emailed one-click link (signed, expiring, answered once), the in-app
form, the first-meeting trigger and the program's own questions."""

import re
from datetime import timedelta

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from mentorat.mentorships.models import CheckIn, CheckInOccasion, CheckInQuestion
from mentorat.mentorships.services.check_ins import check_in_from_token
from tests.mentorships.factories import CheckInFactory, MeetingFactory
from tests.mentorships.permission_cases import pair_of_a


def test_first_log_sends_check_ins_answered_from_the_emailed_score(cast, client_for, mailoutbox):
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
    [link] = re.findall(r"^4: \S*?(/check-in/[^/\s]+/)$", mentee_mail.body, re.MULTILINE)
    found = check_in_from_token(link.split("/")[2])
    assert (found.check_in, found.satisfaction) == (mentee_check_in, 4)

    anonymous = client_for(None)
    anonymous.get(link)
    mentee_check_in.refresh_from_db()
    assert mentee_check_in.answered_at is None  # opening the link writes nothing
    anonymous.post(link, {"confirm": "1"})
    mentee_check_in.refresh_from_db()
    assert mentee_check_in.satisfaction == 4
    # The in-app form of an answered check-in refuses a second answer.
    mentee = client_for(cast.mentee)
    again = mentee.post(
        reverse("mentorships:check_in", kwargs={"pk": mentee_check_in.pk}), {"satisfaction": "1"}
    )
    assert "Vous avez déjà répondu à ce point d&#x27;étape." in again.content.decode()
    mentee_check_in.refresh_from_db()
    assert mentee_check_in.satisfaction == 4


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
