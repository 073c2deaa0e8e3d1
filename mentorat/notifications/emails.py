"""Emails are rendered from template triplets: `<name>_subject.txt`, `<name>.txt` and
`<name>.html`, in the recipient's language.

The HTML part is rendered with HTML auto-escaping, as every page is. The subject and the
text part are plain text, where escaping would show a name such as « O'Brien » as
« O&#x27;Brien »: they are rendered from the same engine (same folders, loaders, tag
libraries, cache) in a context with auto-escaping off, so no .txt template needs
`{% autoescape off %}`.

Every email belongs to a kind (`kinds.KIND_BY_TEMPLATE`). For a kind one can turn off,
`send_templated_email` finds the recipient's account, sends nothing (`NotWanted`) if they
turned it off, and otherwise adds the one-click unsubscribe headers (RFC 8058) and a
visible unsubscribe link at the bottom of both parts."""

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.template import Context, Engine
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from mentorat.accounts.models import User
from mentorat.notifications import links, preferences
from mentorat.notifications.kinds import MANDATORY, EmailKind, kind_of


class NotWanted(Exception):
    """The recipient turned this kind of email off: nothing was sent.
    `outbox.send_each` records the email as skipped."""


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


def _footer(html: str, footer: str) -> str:
    """`html` with `footer` at the end of its body."""
    end = html.rfind("</body>")
    return html + footer if end < 0 else html[:end] + footer + html[end:]


def _account_of(to: list[str]) -> User | None:
    if len(to) != 1:
        return None
    return User.objects.filter(email__iexact=to[0]).first()


def send_templated_email(
    *,
    to: list[str],
    template: str,
    context: dict[str, Any],
    language: str = "fr",
    attachments: list[tuple[str, bytes, str]] | None = None,
    recipient: User | None = None,
    kind: EmailKind | None = None,
    connection: BaseEmailBackend | None = None,
) -> None:
    """Send the triplet `template` to `to`. `kind` defaults to the template's kind;
    `recipient` to the account of the address (one address only), looked up only for a
    kind one can turn off. Raises `NotWanted`, sending nothing, when the recipient
    turned that kind off. An address without an account gets the email without
    unsubscribe link (nothing to turn off). `connection`: a mail connection kept open
    across many emails (`outbox.mail_connection`), else one per email."""
    kind = kind or kind_of(template)
    unsubscribe = ""
    if kind not in MANDATORY:
        person = recipient or _account_of(to)
        if person is not None:
            if not preferences.wants(person, kind):
                raise NotWanted(f"{kind} turned off by user {person.pk}")
            unsubscribe = links.unsubscribe_url(user_id=person.pk, kind=kind)
    with translation.override(language):
        subject, text, html = render_email(template, context)
        if unsubscribe:
            footer = {
                "kind": kind,
                "unsubscribe_url": unsubscribe,
                "preferences_url": settings.SITE_URL + reverse("notifications:preferences"),
            }
            text = text.rstrip("\n") + "\n" + render_text("notifications/footer.txt", footer)
            html = _footer(html, render_to_string("notifications/footer.html", footer))
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        connection=connection,
        headers=(
            {
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            }
            if unsubscribe
            else None
        ),
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    message.send()
