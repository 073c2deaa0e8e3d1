"""What people write and send cannot run in anyone's browser: `<script>`, `javascript:`
links and event handlers render inert, and files are served as downloads with a safe
type. Files are checked by extension and by content, with errors naming each file."""

import re

import pytest
from django.test import TestCase
from django.urls import reverse

from mentorat.conversations.files import MAX_FILE_BYTES
from mentorat.conversations.models import Attachment, Message
from mentorat.conversations.services import post_message
from mentorat.lib.errors import DomainError
from tests.conversations.conftest import PDF, PNG, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

ATTACK = """Bonjour <script>alert('x')</script>
[clique](javascript:alert(1)) <a href="javascript:alert(2)">lien</a>
<img src=x onerror="alert(3)"> <b onmouseover="alert(4)">gras</b>
**vrai gras** et [un site](https://emploi.example.org)"""


def test_message_markup_is_inert(cast, client_for, pair):
    client = client_for(cast.mentor)
    url = reverse("conversations:thread", kwargs={"pk": pair.pk})
    client.post(url, {"body": ATTACK})
    message = Message.objects.get()
    for page in (
        client_for(cast.mentee).get(url),
        client_for(cast.mentee).get(
            reverse("conversations:new_messages", kwargs={"pk": pair.pk}) + "?after=0"
        ),
        client_for(cast.mentee).get(reverse("conversations:report", kwargs={"pk": message.pk})),
    ):
        html = page.content.decode()
        body = html[html.index(f'id="message-{message.pk}"') :] if "message-" in html else html
        assert "<script>alert" not in body
        assert not re.search(r"<a\s[^>]*href=[\"']?\s*javascript:", body)
        assert not re.search(r"<[a-z][^>]*\son\w+=", body)  # no event handler in a tag
        assert "<img src=x" not in body
        assert '<img src="x"' not in body
    html = client_for(cast.mentee).get(url).content.decode()
    assert "<strong>vrai gras</strong>" in html
    assert 'href="https://emploi.example.org"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


@pytest.mark.parametrize(
    ("name", "content", "served_as"),
    [
        ("cv.pdf", PDF, "application/pdf"),
        ("photo.png", PNG, "image/png"),
        ("notes.txt", b"<html><script>alert(1)</script></html>", "text/plain; charset=utf-8"),
    ],
)
def test_files_are_served_as_downloads_with_a_safe_type(
    cast, client_for, pair, name, content, served_as
):
    message = post_message(
        mentorship=pair, author=cast.mentor, body="", files=[upload(name, content, "text/html")]
    )
    attachment = message.attachments.get()
    assert attachment.content_type != "text/html"  # the browser's claim is not kept
    response = client_for(cast.mentee).get(
        reverse("conversations:attachment", kwargs={"pk": attachment.pk})
    )
    assert response.status_code == 200
    assert response["Content-Type"] == served_as
    assert response["Content-Disposition"].startswith("attachment;")
    assert name in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == content
    # The stored name is random: the person's file name stays in the database.
    assert name not in attachment.file.name


def test_an_unknown_stored_type_is_served_as_octet_stream(cast, client_for, pair):
    message = post_message(mentorship=pair, author=cast.mentor, body="", files=[upload("a.pdf")])
    Attachment.objects.filter(message=message).update(content_type="text/html")
    response = client_for(cast.mentee).get(
        reverse("conversations:attachment", kwargs={"pk": message.attachments.get().pk})
    )
    assert response["Content-Type"] == "application/octet-stream"


def _send(client, pair, files, body="Voici"):
    url = reverse("conversations:thread", kwargs={"pk": pair.pk})
    return client.post(url, {"body": body, "attachments": files})


def test_file_limits_are_explained_file_by_file(cast, client_for, pair, settings):
    client = client_for(cast.mentor)
    big = upload("gros.pdf", PDF + b"0" * MAX_FILE_BYTES)
    response = _send(
        client,
        pair,
        [
            upload("virus.exe", b"MZ\x90\x00"),
            upload("faux.pdf", b"MZ\x90\x00 not a pdf"),
            upload("image.png", PDF),
            big,
            upload("vide.txt", b""),
        ],
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "virus.exe" in html
    assert "PDF, PNG" in html
    assert "faux.pdf" in html
    assert "image.png" in html
    assert "gros.pdf" in html
    assert "10" in html
    assert "vide.txt" in html
    assert not Message.objects.exists()

    too_many = [upload(f"f{n}.pdf") for n in range(6)]
    response = _send(client, pair, too_many)
    assert "5" in response.content.decode()
    assert not Message.objects.exists()


def test_office_and_text_files_are_accepted(cast, pair):
    import io
    import zipfile

    def archive(entries: dict[str, bytes], stored_first: str | None = None) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            if stored_first:
                z.writestr(
                    zipfile.ZipInfo("mimetype"), stored_first, compress_type=zipfile.ZIP_STORED
                )
            for name, data in entries.items():
                z.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
        return buffer.getvalue()

    docx = archive({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"})
    odt = archive({"content.xml": b"<x/>"}, stored_first="application/vnd.oasis.opendocument.text")
    message = post_message(
        mentorship=pair,
        author=cast.mentee,
        body="Mes documents",
        files=[
            upload("lettre.docx", docx),
            upload("cv.odt", odt),
            upload("notes.txt", "Très bien, merci".encode()),
        ],
    )
    assert message.attachments.count() == 3
    with pytest.raises(DomainError, match=r"tableur\.xlsx"):
        post_message(
            mentorship=pair, author=cast.mentee, body="", files=[upload("tableur.xlsx", docx)]
        )


def test_a_closed_thread_refuses_messages(cast, client_for, pair):
    from mentorat.conversations.services import close_thread, join_thread, reopen_thread

    thread = join_thread(mentorship=pair, user=cast.coordinator_a)
    with TestCase.captureOnCommitCallbacks(execute=True):
        close_thread(thread=thread, actor=cast.coordinator_a, reason="Pause pendant l'enquête")
    response = _send(client_for(cast.mentor), pair, [], body="Encore moi")
    assert "closed" in response.content.decode() or "fermée" in response.content.decode()
    page = client_for(cast.mentor).get(reverse("conversations:thread", kwargs={"pk": pair.pk}))
    assert b'id="closed-notice"' in page.content
    assert b'id="message-form"' not in page.content
    with pytest.raises(DomainError, match="closed"):
        post_message(mentorship=pair, author=cast.mentor, body="Encore")
    reopen_thread(thread=thread, actor=cast.coordinator_a, reason="Fin de l'enquête")
    post_message(mentorship=pair, author=cast.mentor, body="Encore")
