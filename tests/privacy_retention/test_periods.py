"""The periods' arithmetic and defaults: the privacy notice's promises, month ends and
leap days, and an organisation's policy read back."""

from datetime import date

import pytest
from django.db import IntegrityError

from mentorat.privacy.retention.models import RetentionPolicy
from mentorat.privacy.retention.periods import DEFAULT_PERIODS, months_after, months_before
from mentorat.privacy.retention.selectors import participants_due_on, periods_for
from tests.factories import OrganizationFactory


def test_the_defaults_are_the_privacy_notices():
    assert DEFAULT_PERIODS.participants_years == 3
    assert DEFAULT_PERIODS.applications_months == 12
    assert DEFAULT_PERIODS.unconfirmed_accounts_days == 30
    assert DEFAULT_PERIODS.audit_months == 12


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 3, 31), 1, date(2026, 2, 28)),
        (date(2024, 2, 29), 12, date(2023, 2, 28)),
        (date(2026, 1, 15), 1, date(2025, 12, 15)),
        (date(2026, 7, 10), 6, date(2026, 1, 10)),
    ],
)
def test_months_before_keeps_the_day_or_takes_the_months_last(day, months, expected):
    assert months_before(day, months) == expected


def test_participants_are_due_the_day_after_the_anniversary():
    assert participants_due_on(reference_on=date(2023, 6, 30), years=3) == date(2026, 7, 1)
    assert participants_due_on(reference_on=date(2024, 2, 29), years=1) == date(2025, 3, 1)
    assert months_after(date(2023, 6, 30), 36) == date(2026, 6, 30)


@pytest.mark.django_db
def test_an_organisations_policy_is_read_back_and_bounded_in_the_database():
    organization = OrganizationFactory()
    assert periods_for(organization=organization) is DEFAULT_PERIODS
    assert periods_for(organization=None) is DEFAULT_PERIODS
    RetentionPolicy.objects.create(organization=organization, participants_years=5)
    periods = periods_for(organization=organization)
    assert (periods.participants_years, periods.applications_months, periods.is_default) == (
        5,
        12,
        False,
    )
    with pytest.raises(IntegrityError):
        RetentionPolicy.objects.filter(organization=organization).update(audit_months=3)
