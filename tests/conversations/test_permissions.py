"""Who reads a thread and its files: the pair, its members and, in a minors' pair, the
school's staff always; a coordinator of another organisation or of a partner never
(404), unless made a member. Reports reach the school's coordinators by email."""

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from mentorat.conversations.models import MessageReport, Thread, ThreadMember
from mentorat.conversations.services import (
    add_coordinator,
    join_thread,
    post_message,
    report_message,
)
from mentorat.lib.errors import DomainError
from mentorat.organizations.models import Role
from mentorat.permissions.conversations import can_read_thread, readers_of
from tests.conversations.conftest import upload
from tests.factories import MembershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def _get(client_for, user, name, **kwargs):
    return client_for(user).get(reverse(name, kwargs=kwargs))


def test_minors_thread_is_read_by_the_school_staff_only(cast, client_for, minors_pair):
    message = post_message(
        mentorship=minors_pair, author=cast.minor, body="Bonjour", files=[upload("cv.pdf")]
    )
    file_pk = message.attachments.get().pk
    cast.org_c  # noqa: B018 - A's partner exists
    minors_pair.edition.program.shared_with.add(cast.org_c)
    for user in (cast.coordinator_a, cast.admin_a, cast.minor, cast.other_side):
        page = _get(client_for, user, "conversations:thread", pk=minors_pair.pk)
        assert page.status_code == 200, user
        assert b"Bonjour" in page.content
        assert _get(client_for, user, "conversations:attachment", pk=file_pk).status_code == 200
    page = _get(client_for, cast.coordinator_a, "conversations:thread", pk=minors_pair.pk)
    assert b'id="minors-notice"' in page.content
    for user in (cast.coordinator_b, cast.partner_coordinator, cast.mentor, cast.outsider):
        for name, pk in (
            ("conversations:thread", minors_pair.pk),
            ("conversations:attachment", file_pk),
        ):
            assert _get(client_for, user, name, pk=pk).status_code == 404, (user, name)
    # Both sides are told who reads: the school's staff are listed.
    page = _get(client_for, cast.minor, "conversations:thread", pk=minors_pair.pk)
    assert b'id="minors-notice"' in page.content
    assert cast.coordinator_a.display_name.encode() in page.content
    assert {r.why for r in readers_of(message.thread)} == {"mentor", "mentee", "school"}


def test_adult_pair_thread_the_staff_join_visibly(cast, client_for, pair):
    message = post_message(mentorship=pair, author=cast.mentor, body="Premier message")
    thread = message.thread
    join_page = _get(client_for, cast.coordinator_a, "conversations:thread", pk=pair.pk)
    assert join_page.status_code == 200
    assert b"Premier message" not in join_page.content
    assert (
        _get(client_for, cast.coordinator_a, "conversations:new_messages", pk=pair.pk).status_code
        == 404
    )
    client_for(cast.coordinator_a).post(reverse("conversations:join", kwargs={"pk": pair.pk}))
    assert ThreadMember.objects.filter(thread=thread, user=cast.coordinator_a).exists()
    assert (
        b"Premier message"
        in _get(client_for, cast.coordinator_a, "conversations:thread", pk=pair.pk).content
    )
    # The pair sees the coordinator among the readers.
    page = _get(client_for, cast.mentee, "conversations:thread", pk=pair.pk)
    assert cast.coordinator_a.display_name.encode() in page.content


def test_another_organisations_coordinator_reads_only_once_a_member(cast, pair):
    message = post_message(mentorship=pair, author=cast.mentee, body="Salut")
    thread = message.thread
    thread.mentorship = pair
    assert not can_read_thread(cast.coordinator_b, thread)
    # Only the program's own coordinators can be added.
    with pytest.raises(DomainError, match="coordinators"):
        add_coordinator(mentorship=pair, coordinator_id=cast.coordinator_b.pk, actor=cast.mentee)
    add_coordinator(mentorship=pair, coordinator_id=cast.coordinator_a.pk, actor=cast.mentee)
    thread = Thread.objects.select_related("mentorship").get(pk=thread.pk)
    assert can_read_thread(cast.coordinator_a, thread)
    assert not can_read_thread(cast.admin_a, thread)


def test_report_alerts_the_school_coordinators_without_copying_a_minors_message(
    cast, client_for, minors_pair
):
    second = MembershipFactory(organization=cast.org_a, role=Role.COORDINATOR).user
    message = post_message(mentorship=minors_pair, author=cast.other_side, body="Donne-moi ton 06")
    mail.outbox.clear()
    url = reverse("conversations:report", kwargs={"pk": message.pk})
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client_for(cast.minor).post(url, {"reason": "Il demande mon numéro"})
    assert response.status_code == 302
    report = MessageReport.objects.get(message=message)
    assert report.reported_by == cast.minor
    thread_url = reverse("conversations:thread", kwargs={"pk": minors_pair.pk})
    alerts = [m for m in mail.outbox if thread_url in m.body]
    assert sorted(m.to[0] for m in alerts) == sorted([cast.coordinator_a.email, second.email])
    # A minor's messages are never copied into an email, the alert included.
    for alert in alerts:
        assert "Donne-moi ton 06" not in alert.body
        assert "Donne-moi ton 06" not in str(alert.alternatives[0][0])
    assert "Il demande mon numéro" in alerts[0].body
    # The report waits on the coordinators' list, and not on another organisation's.
    assert (
        b"Donne-moi ton 06" in _get(client_for, cast.coordinator_a, "conversations:reports").content
    )
    assert (
        b"Donne-moi ton 06"
        not in _get(client_for, cast.coordinator_b, "conversations:reports").content
    )
    # The author cannot report their own message; a second report by the same side waits.
    assert client_for(cast.other_side).get(url).status_code == 403
    with pytest.raises(DomainError, match="already"):
        report_message(message=message, reporter=cast.minor, reason="encore")


def test_report_in_an_adults_pair_quotes_the_message(cast, pair):
    message = post_message(mentorship=pair, author=cast.mentor, body="Rappelle-moi ce soir")
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        report_message(message=message, reporter=cast.mentee, reason="Insistant")
    [alert] = [m for m in mail.outbox if m.to == [cast.coordinator_a.email]]
    assert "> Rappelle-moi ce soir" in alert.body
    assert "Insistant" in alert.body


def test_removed_message_and_its_files_are_hidden_from_the_pair(cast, client_for, pair):
    message = post_message(
        mentorship=pair, author=cast.mentor, body="À retirer", files=[upload("doc.pdf")]
    )
    join_thread(mentorship=pair, user=cast.coordinator_a)
    file_url = reverse("conversations:attachment", kwargs={"pk": message.attachments.get().pk})
    client_for(cast.coordinator_a).post(reverse("conversations:remove", kwargs={"pk": message.pk}))
    message.refresh_from_db()
    assert message.removed_by == cast.coordinator_a
    assert (
        b"\xc3\x80 retirer"
        not in _get(client_for, cast.mentee, "conversations:thread", pk=pair.pk).content
    )
    assert client_for(cast.mentee).get(file_url).status_code == 404
    assert client_for(cast.coordinator_a).get(file_url).status_code == 200
