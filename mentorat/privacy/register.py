"""The data map in words: what the processing register (GDPR Art. 30) and the privacy
notice say about each purpose, generated from the declarations so that they cannot
drift from what the code stores, exports and erases.

What the map cannot know (who the people are, who receives the data, how long each
purpose keeps them, the security measures) is stated here once per purpose."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.apps import apps
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from mentorat.lib.personal_data import Category, Erasure, ModelData, PersonalField, Purpose
from mentorat.privacy.retention.periods import RetentionPeriods

# Categories of people (Art. 30.1.c).
MENTORS = gettext_lazy("Mentors")
MENTEES = gettext_lazy("Mentees")
MINORS = gettext_lazy("Minors and their legal guardians")
STAFF = gettext_lazy("Admins and coordinators of the organisations")
CONTACTS = gettext_lazy("Invited people and contacts of partner organisations")

PEOPLE: dict[Purpose, tuple[Promise, ...]] = {
    Purpose.ACCOUNT: (MENTORS, MENTEES, STAFF, CONTACTS),
    Purpose.ENROLLMENT: (MENTORS, MENTEES, MINORS, STAFF),
    Purpose.MATCHING: (MENTORS, MENTEES, STAFF),
    Purpose.FOLLOW_UP: (MENTORS, MENTEES, STAFF),
    Purpose.SAFEGUARDING: (MINORS, MENTORS, STAFF),
    Purpose.COMMUNICATION: (MENTORS, MENTEES, MINORS, STAFF, CONTACTS),
    Purpose.STATISTICS: (MENTORS, MENTEES),
    Purpose.SECURITY: (MENTORS, MENTEES, STAFF, CONTACTS),
}

# Recipients (Art. 30.1.d).
COORDINATORS = gettext_lazy(
    "Admins and coordinators of the organisation running the program, and of the partner "
    "organisations taking part in it"
)
PAIR = gettext_lazy(
    "The other side of the pair: the profile shown to them and what the pair shares "
    "(never private notes)"
)
ORG_ADMINS = gettext_lazy("The organisation's admins (audit log)")
PLATFORM_ADMINS = gettext_lazy("The platform's administrators (security log)")
HOST = gettext_lazy("The host of the platform, as processor")
MAILER = gettext_lazy("The email service of the host, as processor")

RECIPIENTS: dict[Purpose, tuple[Promise, ...]] = {
    Purpose.ACCOUNT: (COORDINATORS, HOST),
    Purpose.ENROLLMENT: (COORDINATORS, HOST),
    Purpose.MATCHING: (COORDINATORS, PAIR, HOST),
    Purpose.FOLLOW_UP: (COORDINATORS, PAIR, HOST),
    Purpose.SAFEGUARDING: (COORDINATORS, HOST),
    Purpose.COMMUNICATION: (HOST, MAILER),
    Purpose.STATISTICS: (COORDINATORS, HOST),
    Purpose.SECURITY: (ORG_ADMINS, PLATFORM_ADMINS, HOST),
}

# Which retention periods apply to each purpose (keys of `retention_lines`).
RETENTION: dict[Purpose, tuple[str, ...]] = {
    Purpose.ACCOUNT: ("participants", "unconfirmed"),
    Purpose.ENROLLMENT: ("participants", "applications"),
    Purpose.MATCHING: ("participants",),
    Purpose.FOLLOW_UP: ("participants",),
    Purpose.SAFEGUARDING: ("participants",),
    Purpose.COMMUNICATION: ("participants",),
    Purpose.STATISTICS: ("participants", "statistics"),
    Purpose.SECURITY: ("audit",),
}

SECURITY_MEASURES = (
    gettext_lazy("Encrypted connections only (HTTPS, HSTS); secure, HTTP-only cookies."),
    gettext_lazy(
        "Two-factor authentication required for organisation admins, coordinators and "
        "platform administrators."
    ),
    gettext_lazy(
        "Access checked on every page by organisation and role: other organisations' "
        "data cannot be seen."
    ),
    gettext_lazy("Passwords stored hashed; repeated failed sign-ins are blocked."),
    gettext_lazy(
        "Every change recorded in the organisation's audit log; a pseudonymous security log."
    ),
    gettext_lazy("No personal data in page addresses or in the technical logs."),
    gettext_lazy(
        "Exports of personal data downloadable only once signed in, never from a public address."
    ),
    gettext_lazy("Erasure and retention periods applied by the platform every day."),
)
TRANSFERS = gettext_lazy("None: no data are transferred outside the European Union.")


@dataclass(frozen=True)
class DataGroup:
    """Fields of one category that erasure treats alike, in words."""

    category: str
    data: list[str]  # "Application: answers, reason"
    bases: list[str]
    erasure: str


@dataclass(frozen=True)
class Processing:
    """One purpose of the register, in the active language."""

    purpose: str
    people: list[str]
    groups: list[DataGroup]
    bases: list[str]
    recipients: list[str]
    retention: list[str]


def _field_words(model_label: str, name: str) -> str:
    field = apps.get_model(model_label)._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


def _model_words(model_label: str) -> str:
    return str(capfirst(apps.get_model(model_label)._meta.verbose_name))


def _data_in_words(fields: Iterable[tuple[str, str]]) -> list[str]:
    """(model label, field name) pairs as "Model: field, field" lines, in map order."""
    by_model: dict[str, list[str]] = {}
    for model_label, name in fields:
        words = _field_words(model_label, name)
        listed = by_model.setdefault(model_label, [])
        if words not in listed:
            listed.append(words)
    return [
        _("%(model)s: %(fields)s") % {"model": _model_words(label), "fields": ", ".join(names)}
        for label, names in by_model.items()
    ]


def _distinct(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _declared(
    declarations: Sequence[ModelData],
) -> list[tuple[str, str, PersonalField]]:
    return [(d.model, name, f) for d in declarations for name, f in d.fields.items()]


def _groups(items: list[tuple[str, str, PersonalField]]) -> list[DataGroup]:
    keys = _distinct(f"{f.category}|{f.erasure}" for _m, _n, f in items)
    order = {c: i for i, c in enumerate(Category.values)}
    keys.sort(key=lambda k: order[k.split("|")[0]])
    groups = []
    for key in keys:
        category, erasure = key.split("|")
        chosen = [(m, n, f) for m, n, f in items if f"{f.category}|{f.erasure}" == key]
        groups.append(
            DataGroup(
                category=str(Category(category).label),
                data=_data_in_words((m, n) for m, n, _f in chosen),
                bases=_distinct(str(f.basis.label) for _m, _n, f in chosen),
                erasure=str(Erasure(erasure).label),
            )
        )
    return groups


def _duration_in_months(months: int) -> str:
    if months % 12 == 0:
        years = months // 12
        return ngettext("%(count)d year", "%(count)d years", years) % {"count": years}
    return ngettext("%(count)d month", "%(count)d months", months) % {"count": months}


def retention_lines(periods: RetentionPeriods) -> dict[str, str]:
    """How long each kind of data is kept under `periods`, as sentences."""
    years = periods.participants_years
    days = periods.unconfirmed_accounts_days
    return {
        "participants": _("Participants' data: %(duration)s after the end of their last program")
        % {"duration": ngettext("%(count)d year", "%(count)d years", years) % {"count": years}},
        "applications": _("Declined or withdrawn applications: %(duration)s")
        % {"duration": _duration_in_months(periods.applications_months)},
        "unconfirmed": _("Accounts never confirmed: %(duration)s")
        % {"duration": ngettext("%(count)d day", "%(count)d days", days) % {"count": days}},
        "audit": _("Audit log entries: %(duration)s")
        % {"duration": _duration_in_months(periods.audit_months)},
        "statistics": _(
            "Then only pseudonymous records (no name, contact or free text) for the statistics"
        ),
    }


def processings(declarations: Sequence[ModelData], periods: RetentionPeriods) -> list[Processing]:
    """The register's entries, one per purpose that some declared field serves."""
    items = _declared(declarations)
    lines = retention_lines(periods)
    result = []
    for purpose in Purpose:
        chosen = [(m, n, f) for m, n, f in items if f.purpose == purpose]
        if not chosen:
            continue
        people = list(PEOPLE[purpose])
        if any(f.category == Category.MINORS for _m, _n, f in chosen) and MINORS not in people:
            people.append(MINORS)
        result.append(
            Processing(
                purpose=str(purpose.label),
                people=[str(p) for p in people],
                groups=_groups(chosen),
                bases=_distinct(str(f.basis.label) for _m, _n, f in chosen),
                recipients=[str(r) for r in RECIPIENTS[purpose]],
                retention=[lines[key] for key in RETENTION[purpose]],
            )
        )
    return result


@dataclass(frozen=True)
class NoticeRow:
    """One line of the privacy notice's table of data."""

    category: str
    data: list[str]
    purpose: str
    bases: list[str]
    retention: list[str]
    recipients: list[str]


def notice_rows(declarations: Sequence[ModelData], periods: RetentionPeriods) -> list[NoticeRow]:
    """The privacy notice's table: one line per category of data and purpose."""
    items = _declared(declarations)
    lines = retention_lines(periods)
    rows = []
    for category in Category:
        for purpose in Purpose:
            chosen = [
                (m, n, f) for m, n, f in items if f.category == category and f.purpose == purpose
            ]
            if not chosen:
                continue
            rows.append(
                NoticeRow(
                    category=str(category.label),
                    data=_data_in_words((m, n) for m, n, _f in chosen),
                    purpose=str(purpose.label),
                    bases=_distinct(str(f.basis.label) for _m, _n, f in chosen),
                    retention=[lines[key] for key in RETENTION[purpose]],
                    recipients=[str(r) for r in RECIPIENTS[purpose]],
                )
            )
    return rows
