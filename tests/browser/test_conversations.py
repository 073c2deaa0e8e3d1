"""A pair's conversation in the browser: the mentor sends a message with a file, the
mentee's open page shows it without reloading (htmx polling), the mentee is told by
email (the notification's delay set to 0), replies, and the menu's unread badge of the
mentor shows the reply, then clears once the thread is read."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from mentorat.conversations import views
from mentorat.conversations.models import Attachment, Message
from tests.browser.axe import assert_accessible
from tests.browser.flows import sign_in
from tests.mentorships.factories import MentorshipFactory, RunningEditionFactory
from tests.notifications.smtp import SmtpSink, use_smtp
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _badge(page: Page):
    inbox = reverse("conversations:inbox")
    return page.locator(f".main-nav a[href='{inbox}'] .badge:not([hidden])")


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP server capturing what the platform sends."""
    with SmtpSink() as sink:
        use_smtp(settings, sink.port)
        yield sink


def test_message_with_file_appears_live_and_the_reply_updates_the_badge(
    open_page, cast, smtp_sink, monkeypatch, settings
):
    monkeypatch.setattr(views, "POLL_SECONDS", 1)
    settings.MESSAGE_NOTIFICATION_DELAY_SECONDS = 0
    program = ProgramFactory(organization=cast.org_a, slug="echanges", name="Échanges")
    pair = MentorshipFactory(
        edition=RunningEditionFactory(program=program), mentor=cast.mentor, mentee=cast.mentee
    )
    thread_url = reverse("conversations:thread", kwargs={"pk": pair.pk})

    mentee: Page = open_page()
    sign_in(mentee, cast.mentee.email)
    mentee.goto(thread_url)
    expect(mentee.locator("#no-messages")).to_be_visible()
    assert_accessible(mentee)

    mentor: Page = open_page()
    sign_in(mentor, cast.mentor.email)
    mentor.goto(thread_url)
    form = mentor.locator("#message-form")
    form.locator("textarea[name=body]").fill("Bonjour ! Voici **la fiche** pour jeudi.")
    form.locator("input[name=attachments]").set_input_files(
        [{"name": "fiche-metier.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    form.locator("button[type=submit]").click()
    expect(mentor).to_have_url(re.compile(rf"{thread_url}#message-\d+$"))
    assert_accessible(mentor)
    message = Message.objects.get()
    assert Attachment.objects.get(message=message).name == "fiche-metier.pdf"

    # The mentee's page, left open, shows it without reloading.
    shown = mentee.locator(f"#message-{message.pk}")
    expect(shown).to_contain_text("la fiche")
    expect(shown.locator("strong", has_text="la fiche")).to_be_visible()
    expect(shown.get_by_role("link", name="fiche-metier.pdf")).to_be_visible()
    with mentee.expect_download() as download:
        shown.get_by_role("link", name="fiche-metier.pdf").click()
    assert download.value.suggested_filename == "fiche-metier.pdf"

    # The mentor waits on the inbox; the mentee replies.
    mentor.goto(reverse("conversations:inbox"))
    expect(_badge(mentor)).to_have_count(0)
    form = mentee.locator("#message-form")
    form.locator("textarea[name=body]").fill("Merci, à jeudi !")
    form.locator("button[type=submit]").click()
    expect(mentee.locator("#thread-messages")).to_contain_text("à jeudi")

    mentor.reload()
    expect(_badge(mentor)).to_have_text(re.compile(r"^\s*1"))
    assert_accessible(mentor)
    mentor.goto(thread_url)
    expect(mentor.locator("#thread-messages")).to_contain_text("à jeudi")
    expect(_badge(mentor)).to_have_count(0)  # read once shown (the badge is swapped)
    mentor.goto(reverse("conversations:inbox"))
    expect(_badge(mentor)).to_have_count(0)

    # The mentee was told of the first message by email (delay 0), received by a real
    # SMTP server, with a link to the thread.
    told = smtp_sink.messages_to(cast.mentee.email)
    assert told, "the mentee was told of the message"
    assert thread_url in told[0].get_body(("plain",)).get_content()
