"""The rows of the applications list, written in Python (issue 23).

Through the template loop, the 50 rows of a page were most of the page's time: about 900
template nodes, each resolving its variables on model instances (docs/benchmarks.md,
"Pages under load"). `table_rows` writes the same HTML, byte for byte, in one pass over
the rows of `selectors.applications_of` (dicts). Its text follows the template it
replaced, kept in tests/applications/test_list_rows.py, which compares both on every
kind of row (minors, guardians' addresses and their warnings, a hidden contact, people
without a name, profile or organisation, in both languages).
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Field, Model
from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from mentorat.applications.models import Application, ApplicationStatus
from mentorat.participants.models import Profile


def _choice_labels(model: type[Model], name: str) -> dict[Any, str]:
    """What `get_<name>_display()` writes for each value of the field's choices, in the
    current language."""
    field = model._meta.get_field(name)
    assert isinstance(field, Field)
    return {value: str(label) for value, label in field.flatchoices}


def _warning_text(warning: str) -> str:
    """applications/_guardian_warning.html, without the line end the file ends with."""
    if warning == "applicant_address":
        return gettext("The guardian's address is an address the minor has already used.")
    if warning == "minor_account":
        return gettext("The guardian's address is that of another minor's account.")
    if warning == "other_account":
        return gettext(
            "The guardian's address is that of another account on the platform: check that "
            "it belongs to a parent or guardian."
        )
    return ""


def _date(value: Any) -> str:
    """What `{{ value|date:"SHORT_DATE_FORMAT" }}` writes (in the current time zone)."""
    if value in (None, ""):
        return ""
    return escape(formats.date_format(timezone.localtime(value), "SHORT_DATE_FORMAT"))


def table_rows(
    rows: Iterable[Mapping[str, Any]],
    *,
    warnings: Mapping[int, str],
    review_url: str,
    can_decide: bool,
    full_access: bool,
) -> SafeString:
    """The `<tbody>`'s content: one `<tr>` a row, or the row saying that none matches.
    Texts are escaped as the template escaped them: every value read from the database,
    and none of the translated literals."""
    roles = _choice_labels(Application, "role")
    statuses = _choice_labels(Application, "status")
    domains = _choice_labels(Profile, "rome_domain")
    minor = gettext("minor")
    guardian = gettext("Guardian:")
    to_check = gettext("guardian's address to check")
    no_name = gettext("(no name)")
    # Called outside the f-strings below: xgettext (makemessages) does not look inside them.
    select = gettext("Select %(name)s")
    url = escape(review_url)
    awaiting = ApplicationStatus.AWAITING_GUARDIAN_CONSENT.value
    parts: list[str] = []
    write = parts.append
    for a in rows:
        pk = a["pk"]
        email = escape(a["user__email"])
        full_name = f"{a['user__first_name']} {a['user__last_name']}".strip()
        write("\n    <tr>")
        if can_decide:
            name = escape(full_name or a["user__email"])
            write(
                f'<td><input type="checkbox" name="applications" value="{pk}" '
                f'id="select-{pk}" aria-label="{select % {"name": name}}">'
                "</td>"
            )
        write(f'\n      <td><a href="{url}{pk}/">{escape(full_name) if full_name else no_name}</a>')
        if full_access or not a["contact_through_platform_only"]:
            write(f'<br><span class="muted">{email}</span>')
        if a["is_minor"]:
            write(f' <span class="badge">{minor}</span>')
        guardian_email = a["guardian_email"]
        if full_access and a["status"] == awaiting and guardian_email:
            write(f'<br><span class="muted">{guardian} {escape(guardian_email)}</span>')
        warning = warnings.get(pk, "")
        if warning:
            declined = " status-declined" if warning != "other_account" else ""
            write(
                f' <span class="badge{declined}">{to_check}<span class="visually-hidden">: '
                f"{_warning_text(warning)}\n</span></span>"
            )
        role, status, domain = a["role"], a["status"], a["user__profile__rome_domain"]
        domain = domains.get(domain, domain) if domain is not None else ""
        write(
            f"</td>\n      <td>{escape(roles.get(role, role))}</td>"
            f"<td>{escape(a['organization__name'] or '—')}</td>"
            f"\n      <td>{escape(domain) if domain else '—'}</td>"
            f"<td>{escape(a['edition__name'])}</td>"
            f"\n      <td>{_date(a['submitted_at'])}</td>"
            f'<td><span class="badge status-{escape(status)}">'
            f"{escape(statuses.get(status, status))}</span></td></tr>\n  "
        )
    if not parts:
        nothing = gettext("No application matches.")
        write(f'<tr><td colspan="8">{nothing}</td></tr>')
    return mark_safe("".join(parts))  # noqa: S308 (every value read above is escaped)
