"""People and data at known dates, and `run` to call the daily command at a given moment
(08:00 in Paris) with its emails sent."""

from datetime import UTC, date, datetime, timedelta
from io import StringIO

import time_machine
from django.core.management import call_command
from django.test import TestCase

from mentorat.accounts.models import User
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.organizations.models import Organization
from mentorat.programs.models import Edition, ParticipantRole
from tests.factories import OrganizationFactory, UserFactory
from tests.programs.factories import EditionFactory, ProgramFactory

# When the test data are created: long before anything is due.
SETUP = datetime(2022, 9, 1, 7, 0, tzinfo=UTC)
# The last edition of most participants ends on this day: with the default three years,
# their data are due on 1 July 2026 and they are warned from 1 June 2026.
ENDS_ON = date(2023, 6, 30)
DUE_ON = date(2026, 7, 1)


def morning(day: date) -> datetime:
    """08:00 in Paris on `day`, when the daily job runs."""
    return datetime(day.year, day.month, day.day, 6, 0, tzinfo=UTC)


def run(day: date, *, dry_run: bool = False) -> str:
    """Run `manage.py apply_retention` on `day`; its console output."""
    out = StringIO()
    args = ["--dry-run"] if dry_run else []
    with (
        time_machine.travel(morning(day), tick=False),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def edition_ending(ends_on: date, organization: Organization | None = None) -> Edition:
    program = ProgramFactory(organization=organization or OrganizationFactory())
    return EditionFactory(
        program=program,
        applications_open_on=ends_on - timedelta(days=300),
        applications_close_on=ends_on - timedelta(days=280),
        matching_on=ends_on - timedelta(days=270),
        starts_on=ends_on - timedelta(days=260),
        ends_on=ends_on,
    )


def participant(
    *,
    ends_on: date = ENDS_ON,
    organization: Organization | None = None,
    status: str = ApplicationStatus.ACCEPTED,
    **user_fields: object,
) -> User:
    """A person (confirmed address) whose only application is to an edition ending on
    `ends_on`, created at SETUP."""
    with time_machine.travel(SETUP, tick=False):
        user = UserFactory(**user_fields)
        apply(user, edition_ending(ends_on, organization), status=status)
    return user


def apply(user: User, edition: Edition, *, status: str = ApplicationStatus.ACCEPTED) -> Application:
    return Application.objects.create(
        edition=edition,
        user=user,
        role=ParticipantRole.MENTEE,
        status=status,
        submitted_at=datetime.combine(edition.applications_open_on, datetime.min.time(), UTC),
        answers={"1": {"question": "Pourquoi ?", "answer": "Ma motivation secrète"}},
        decision_reason="Raison confidentielle",
    )


def is_erased(user: User) -> bool:
    user.refresh_from_db()
    return not user.is_active and user.email == f"erased-{user.pk}@invalid"
