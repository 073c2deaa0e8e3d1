"""Signed links in emails: each check-in score is its own link, answered in one click,
and each reminder carries a "stop these reminders" link. Opening a link (GET, as mail
scanners do for every link of a message) never writes; the page's POST does, sent on
load by a static script or by its visible button."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation

from mentorat.audit.models import AuditEntry
from mentorat.lib.errors import DomainError
from mentorat.mentorships.links import check_in_token, reminders_stop_token
from mentorat.mentorships.models import CheckIn, Mentorship, Reminder
from mentorat.mentorships.services import check_ins as check_in_services
from mentorat.mentorships.services.followup import send_pair_reminders
from mentorat.mentorships.tasks import send_check_in_email
from tests.mentorships.clock import at, run
from tests.mentorships.factories import CheckInFactory
from tests.mentorships.permission_cases import pair_of_a

SCORE_LINK = re.compile(r"^([1-5]): \S*?(/check-in/[^/\s]+/)$", re.MULTILINE)
STOP_LINK = re.compile(r"\S*?(/reminders/stop/[^/\s]+/)")


def emailed_score_links(mailoutbox, check_in: CheckIn) -> dict[int, str]:
    """The five score links of the check-in email, read from the email (the tokens
    embed a timestamp, so they cannot be rebuilt)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        send_check_in_email.enqueue(check_in.pk)
    mail = mailoutbox[-1]
    assert mail.to == [check_in.respondent.email]
    links = {int(n): path for n, path in SCORE_LINK.findall(mail.body)}
    html = mail.alternatives[0][0]
    assert all(f'href="http://127.0.0.1:8000{path}"' in html for path in links.values())
    return links


def test_opening_score_links_records_nothing_posting_records_the_linked_score(
    cast, client_for, mailoutbox
):
    check_in = CheckInFactory(mentorship=pair_of_a(cast))
    links = emailed_score_links(mailoutbox, check_in)
    assert sorted(links) == [1, 2, 3, 4, 5]
    assert len(set(links.values())) == 5  # each score is its own signed link

    scanner = client_for(None)
    for path in links.values():  # a mail scanner fetches every link of the message
        page = scanner.get(path)
        assert page.status_code == 200
    check_in.refresh_from_db()
    assert check_in.answered_at is None
    assert not AuditEntry.objects.filter(action__startswith="mentorships.check_in").exists()

    page = scanner.get(links[4])
    content = page.content.decode()
    assert "Votre réponse : satisfaction 4 sur 5." in content
    # The form the script sends on load, and the same form's button without JavaScript.
    assert re.search(r'<form method="post" data-auto-submit[^>]*>', content)
    assert "Enregistrer ma réponse (4/5)</button>" in content
    assert re.search(r'<script src="/static/js/auto-submit\.js" defer></script>', content)
    assert "<script>" not in content  # no inline script: the CSP forbids them
    assert "script-src 'self'" in page["Content-Security-Policy"]
    assert page["Cache-Control"].startswith("max-age=0")

    person = client_for(None)
    # The score comes from the signed link; a posted value cannot change it.
    response = person.post(links[4], {"confirm": "1", "satisfaction": "1"})
    assert response.status_code == 302
    assert response["Location"] == links[4]
    check_in.refresh_from_db()
    assert (check_in.satisfaction, check_in.progress, check_in.comment) == (4, None, "")
    assert check_in.answered_at is not None
    entry = AuditEntry.objects.get(action="mentorships.check_in.answered")
    assert entry.actor == cast.mentee
    assert entry.data["satisfaction"] == 4

    # Another score link, or the same one again, does not answer a second time.
    person.post(links[2], {"confirm": "1"})
    person.post(links[4], {"confirm": "1"})
    check_in.refresh_from_db()
    assert check_in.satisfaction == 4
    assert AuditEntry.objects.filter(action="mentorships.check_in.answered").count() == 1


def test_after_one_click_the_page_offers_details_and_a_correction(cast, client_for, mailoutbox):
    check_in = CheckInFactory(mentorship=pair_of_a(cast))
    links = emailed_score_links(mailoutbox, check_in)
    person = client_for(None)
    page = person.post(links[3], {"confirm": "1"}, follow=True)
    content = page.content.decode()
    assert "Votre réponse est enregistrée : satisfaction 3 sur 5." in content
    assert "Quelques précisions ? (facultatif)" in content
    assert 'value="3" required id="id_satisfaction_2" checked' in content
    assert "data-auto-submit" not in content  # answered: nothing is sent on load any more

    bad = person.post(links[3], {"satisfaction": "4", "recommend": "11"})
    assert bad.status_code == 200
    assert 'id="id_recommend_error"' in bad.content.decode()
    done = person.post(
        links[3],
        {"satisfaction": "4", "progress": "3", "recommend": "9", "comment": "Très utile"},
    )
    assert "Vos précisions sont enregistrées aussi." in done.content.decode()
    check_in.refresh_from_db()
    assert (check_in.satisfaction, check_in.progress, check_in.recommend) == (4, 3, 9)
    assert check_in.comment == "Très utile"
    revised = AuditEntry.objects.get(action="mentorships.check_in.revised")
    assert (revised.actor, revised.data["satisfaction"]) == (cast.mentee, 4)


def test_without_javascript_the_button_answers(cast, client_for, mailoutbox):
    """What the button posts is what the script posts: the same form."""
    check_in = CheckInFactory(mentorship=pair_of_a(cast))
    links = emailed_score_links(mailoutbox, check_in)
    content = client_for(None).get(links[5]).content.decode()
    form = re.search(r"<form method=\"post\" data-auto-submit.*?</form>", content, re.S)
    assert form is not None
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form.group(0)))
    assert set(fields) == {"csrfmiddlewaretoken", "confirm"}
    client_for(None).post(links[5], fields)
    check_in.refresh_from_db()
    assert check_in.satisfaction == 5


def test_tampered_expired_or_foreign_links_are_refused_with_a_message(cast, client_for, mailoutbox):
    check_in = CheckInFactory(mentorship=pair_of_a(cast))
    links = emailed_score_links(mailoutbox, check_in)
    client = client_for(None)
    token = links[4].split("/")[2]
    forged = signing.dumps({"c": check_in.pk, "u": cast.mentee.pk, "s": 4}, salt="other")
    bad_score = check_in_token(check_in, satisfaction=9)
    for wrong in (token[:-2] + "xx", forged, bad_score):
        url = reverse("mentorships:check_in_link", kwargs={"token": wrong})
        for response in (client.get(url), client.post(url, {"confirm": "1"})):
            assert response.status_code == 410
            assert "Ce lien n&#x27;est pas valide." in response.content.decode()
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        expired = client.post(links[4], {"confirm": "1"})
    assert expired.status_code == 410
    assert "Ce lien a expiré." in expired.content.decode()
    check_in.refresh_from_db()
    assert check_in.answered_at is None
    # A link names one person: the same check-in handed to someone else is refused.
    CheckIn.objects.filter(pk=check_in.pk).update(respondent=cast.mentor)
    assert client.post(links[4], {"confirm": "1"}).status_code == 410
    with (
        translation.override("en"),
        pytest.raises(DomainError, match=r"^This link is not valid\.$"),
    ):
        check_in_services.check_in_from_token(token)


def test_the_plain_link_still_shows_the_whole_form(cast, client_for):
    check_in = CheckInFactory(mentorship=pair_of_a(cast))
    url = reverse("mentorships:check_in_link", kwargs={"token": check_in_token(check_in)})
    client = client_for(None)
    assert "data-auto-submit" not in client.get(url).content.decode()
    client.post(url, {"confirm": "1"})  # no score in this link: nothing to confirm
    check_in.refresh_from_db()
    assert check_in.answered_at is None
    client.post(url, {"satisfaction": "2", "comment": "Peu de nouvelles"})
    check_in.refresh_from_db()
    assert (check_in.satisfaction, check_in.comment) == (2, "Peu de nouvelles")


# "Stop these reminders" ----------------------------------------------------------------------


def _stop_link(mailoutbox, person) -> str:
    [mail] = [m for m in mailoutbox if m.to == [person.email]][-1:]
    [path] = set(STOP_LINK.findall(mail.body))
    assert f'href="http://127.0.0.1:8000{path}"' in mail.alternatives[0][0]
    return path


def test_stop_link_stops_then_the_workspace_restarts_still_weekly(
    cast, client_for, pair, mailoutbox
):
    assert run(send_pair_reminders, at(16)) == 2  # 16 days without meeting: both reminded
    stop = _stop_link(mailoutbox, cast.mentee)

    scanner = client_for(None)
    with time_machine.travel(at(17)):
        page = scanner.get(stop)
        assert "Nous arrêtons les relances." in page.content.decode()
        assert "data-auto-submit" in page.content.decode()
    pair.refresh_from_db()
    assert not pair.mentee_reminders_off  # opening the link changed nothing

    with time_machine.travel(at(17)):
        response = client_for(None).post(stop, {"confirm": "1"}, follow=True)
    content = response.content.decode()
    assert "Les relances sont arrêtées" in content
    assert cast.mentor.display_name in content  # names the pair it stops
    pair.refresh_from_db()
    assert (pair.mentee_reminders_off, pair.mentor_reminders_off) == (True, False)
    entry = AuditEntry.objects.get(action="mentorships.reminders.stopped")
    assert (entry.actor, entry.data["via"]) == (cast.mentee, "email")

    mailoutbox.clear()
    assert run(send_pair_reminders, at(23)) == 1  # a week later: the mentor only
    assert [m.to for m in mailoutbox] == [[cast.mentor.email]]
    assert run(send_pair_reminders, at(30)) == 1
    assert not Reminder.objects.filter(recipient=cast.mentee, sent_at__gt=at(16)).exists()

    # The workspace shows the state and turns them back on.
    mentee = client_for(cast.mentee)
    workspace = reverse("mentorships:workspace", kwargs={"pk": pair.pk}) + "?tab=end"
    with time_machine.travel(at(31)):
        page = mentee.get(workspace).content.decode()
        assert "Vous avez arrêté les relances pour vous rencontrer." in page
        response = mentee.post(
            reverse("mentorships:reminders", kwargs={"pk": pair.pk}), {"enabled": "1"}
        )
        assert response["Location"] == workspace  # back on the tab it came from
        assert "Vous avez arrêté" not in mentee.get(workspace).content.decode()
    assert AuditEntry.objects.get(action="mentorships.reminders.enabled").data["via"] == "app"
    mailoutbox.clear()
    # Back on, and still at most one a week: the mentor was reminded on day 30.
    assert run(send_pair_reminders, at(32)) == 1
    assert [m.to for m in mailoutbox] == [[cast.mentee.email]]
    assert run(send_pair_reminders, at(36)) == 0
    assert run(send_pair_reminders, at(37)) == 1  # the mentor, a week after day 30
    assert run(send_pair_reminders, at(39)) == 1  # the mentee, a week after day 32


def test_stop_link_opened_twice_and_bad_links(cast, client_for, pair, mailoutbox):
    run(send_pair_reminders, at(16))
    stop = _stop_link(mailoutbox, cast.mentor)
    client = client_for(None)
    with time_machine.travel(at(17)):
        client.post(stop, {"confirm": "1"})
        client.post(stop, {"confirm": "1"})
        page = client.get(stop).content.decode()
    assert "Les relances sont arrêtées" in page
    assert "data-auto-submit" not in page
    assert AuditEntry.objects.filter(action="mentorships.reminders.stopped").count() == 1

    token = stop.split("/")[3]
    tampered = reverse("mentorships:reminders_stop_link", kwargs={"token": token + "x"})
    assert client.post(tampered, {"confirm": "1"}).status_code == 410
    # A check-in link's token is not a stop link, and the reverse.
    check_in_link_token = check_in_token(CheckInFactory(mentorship=pair))
    wrong = reverse("mentorships:reminders_stop_link", kwargs={"token": check_in_link_token})
    assert client.post(wrong, {"confirm": "1"}).status_code == 410
    with time_machine.travel(at(17 + 61)):
        expired = client.post(stop, {"confirm": "1"})
    assert expired.status_code == 410
    assert "Ce lien a expiré. Connectez-vous pour arrêter les relances" in (
        expired.content.decode()
    )
    # A link names one person of the pair: someone who left the pair cannot use it.
    outsider_link = reverse(
        "mentorships:reminders_stop_link",
        kwargs={"token": reminders_stop_token(mentorship=pair, user_id=cast.outsider.pk)},
    )
    assert client.post(outsider_link, {"confirm": "1"}).status_code == 410
    assert Mentorship.objects.filter(pk=pair.pk, mentee_reminders_off=False).exists()
