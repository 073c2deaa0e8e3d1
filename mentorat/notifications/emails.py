"""Emails are rendered from template triplets: `<name>_subject.txt`, `<name>.txt` and
`<name>.html`, in the recipient's language.

The HTML part is rendered with HTML auto-escaping, as every page is. The subject and the
text part are plain text, where escaping would show a name such as « O'Brien » as
« O&#x27;Brien »: they are rendered from the same engine (same folders, loaders, tag
libraries, cache) in a context with auto-escaping off, so no .txt template needs
`{% autoescape off %}`."""

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, Engine
from django.template.loader import render_to_string
from django.utils import translation


def render_text(template_name: str, context: dict[str, Any]) -> str:
    """A plain-text template rendered without HTML escaping; never use it for HTML."""
    template = Engine.get_default().get_template(template_name)
    return template.render(Context(context, autoescape=False))


def render_email(template: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """(subject on one line, text part, HTML part) of a triplet, in the active language."""
    full_context = {"site_url": settings.SITE_URL, **context}
    subject = render_text(f"{template}_subject.txt", full_context)
    text = render_text(f"{template}.txt", full_context)
    html = render_to_string(f"{template}.html", full_context)
    return " ".join(subject.split()), text, html


def send_templated_email(
    *,
    to: list[str],
    template: str,
    context: dict[str, Any],
    language: str = "fr",
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> None:
    with translation.override(language):
        subject, text, html = render_email(template, context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    message.send()
