"""Retention periods: the defaults promised by the privacy notice, the bounds an
organisation may choose within, and the date arithmetic of "N years/months before".

Pure values (no database): the model (`models.RetentionPolicy`) and the selectors
(`selectors.periods_for`) build on them."""

import calendar
from dataclasses import dataclass
from datetime import date

# Accounts that never confirmed their email address nor signed in are removed after this
# many days. A platform rule, not an organisation's: such accounts belong to nobody yet.
UNCONFIRMED_ACCOUNTS_DAYS = 30
# People are warned by email this many days before their account is erased.
WARNING_DAYS = 30

# (lowest, highest) value an organisation may choose.
PARTICIPANTS_YEARS_BOUNDS = (1, 10)
APPLICATIONS_MONTHS_BOUNDS = (1, 36)
AUDIT_MONTHS_BOUNDS = (6, 60)


@dataclass(frozen=True)
class RetentionPeriods:
    """How long an organisation keeps each kind of data.

    - `participants_years`: a participant's data, counted from the end of the last
      program edition they took part in (or applied to);
    - `applications_months`: declined or withdrawn applications, counted from the
      decision (or the withdrawal);
    - `audit_months`: entries of the organisation's audit log;
    - `unconfirmed_accounts_days`: accounts never confirmed nor used (platform-wide);
    - `is_default`: True when the organisation has not chosen its own periods."""

    participants_years: int = 3
    applications_months: int = 12
    audit_months: int = 12
    unconfirmed_accounts_days: int = UNCONFIRMED_ACCOUNTS_DAYS
    is_default: bool = True

    def applications_limit(self, today: date) -> date:
        """Declined/withdrawn applications closed before this day are due."""
        return months_before(today, self.applications_months)

    def audit_limit(self, today: date) -> date:
        """Audit entries written before this day are due."""
        return months_before(today, self.audit_months)


DEFAULT_PERIODS = RetentionPeriods()


def months_before(day: date, months: int) -> date:
    """The same day `months` months earlier; the month's last day when it is shorter
    (31 March minus one month is 28 or 29 February; 29 February minus a year is
    28 February)."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_after(day: date, months: int) -> date:
    """The same day `months` months later; the month's last day when it is shorter."""
    return months_before(day, -months)
