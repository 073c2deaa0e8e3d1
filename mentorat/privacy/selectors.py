"""Reads of the data protection pages: the processing register of an organisation, and
the privacy notice's tables of data and cookies, all in the active language."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from mentorat.accounts.devices import COOKIE_NAME as DEVICE_COOKIE
from mentorat.organizations.models import Organization
from mentorat.privacy.datamap import declarations
from mentorat.privacy.register import (
    SECURITY_MEASURES,
    TRANSFERS,
    NoticeRow,
    Processing,
    notice_rows,
    processings,
)
from mentorat.privacy.retention.periods import DEFAULT_PERIODS
from mentorat.privacy.retention.selectors import periods_for

# How long the device cookie lasts (`mentorat.accounts.devices`, checked by a test).
DEVICE_COOKIE_DAYS = 180


@dataclass(frozen=True)
class Register:
    """The processing register (GDPR Art. 30) of one organisation as controller."""

    organization: Organization
    processings: list[Processing]
    security_measures: list[str]
    transfers: str
    default_periods: bool  # the organisation has not chosen its own retention periods


def processing_register(*, organization: Organization) -> Register:
    """The register of `organization`, with its own retention periods (one query)."""
    periods = periods_for(organization=organization)
    return Register(
        organization=organization,
        processings=processings(declarations(), periods),
        security_measures=[str(m) for m in SECURITY_MEASURES],
        transfers=str(TRANSFERS),
        default_periods=periods.is_default,
    )


def register_csv_rows(register: Register) -> list[list[str]]:
    """The register as a table: a header, then one row per group of data of a purpose."""
    rows = [
        [
            _("Purpose"),
            _("Controller"),
            _("Categories of people"),
            _("Category of data"),
            _("Data"),
            _("Legal basis"),
            _("On erasure"),
            _("Recipients"),
            _("Retention"),
            _("Transfers outside the EU"),
            _("Security measures"),
        ]
    ]
    security = " ".join(register.security_measures)
    for processing in register.processings:
        for group in processing.groups:
            rows.append(
                [
                    processing.purpose,
                    register.organization.name,
                    ", ".join(processing.people),
                    group.category,
                    "; ".join(group.data),
                    "; ".join(group.bases),
                    group.erasure,
                    "; ".join(processing.recipients),
                    "; ".join(processing.retention),
                    register.transfers,
                    security,
                ]
            )
    return rows


def privacy_notice_data() -> list[NoticeRow]:
    """The privacy notice's table of data, with the default retention periods (each
    organisation may choose its own, shown in its register)."""
    return notice_rows(declarations(), DEFAULT_PERIODS)


@dataclass(frozen=True)
class Cookie:
    """A cookie the platform sets, as the privacy notice lists it."""

    name: str
    purpose: str
    duration: str


def _days(count: int) -> str:
    return ngettext("%(count)d day", "%(count)d days", count) % {"count": count}


UNTIL_CLOSED: Promise = gettext_lazy("until the browser is closed")


def privacy_notice_cookies() -> list[Cookie]:
    """Every cookie the platform sets: all strictly necessary, none for tracking or
    advertising."""
    idle = settings.SESSION_COOKIE_AGE // 60
    language_age = settings.LANGUAGE_COOKIE_AGE
    return [
        Cookie(
            settings.SESSION_COOKIE_NAME,
            _("Keeps you signed in."),
            ngettext(
                "%(count)d minute without activity", "%(count)d minutes without activity", idle
            )
            % {"count": idle},
        ),
        Cookie(
            settings.CSRF_COOKIE_NAME,
            _("Protects the forms against requests forged by other sites."),
            _days(settings.CSRF_COOKIE_AGE // 86400),
        ),
        Cookie(
            settings.LANGUAGE_COOKIE_NAME,
            _("Remembers the language you chose."),
            str(UNTIL_CLOSED) if language_age is None else _days(language_age // 86400),
        ),
        Cookie(
            "messages",
            _("Shows the confirmation of what you just did on the next page."),
            str(UNTIL_CLOSED),
        ),
        Cookie(
            DEVICE_COOKIE,
            _(
                "Recognises a browser where you have signed in before, so that failed "
                "sign-ins from elsewhere do not lock you out. It holds a digest, not your "
                "email address."
            ),
            _days(DEVICE_COOKIE_DAYS),
        ),
    ]
