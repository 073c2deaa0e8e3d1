"""A large accepted cohort, written in bulk (no factories: 5,000 people in a second)."""

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from mentorat.accounts.models import User
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.programs.models import Edition, ParticipantRole


def accepted_mentees(edition: Edition, count: int) -> list[str]:
    """`count` accepted mentees of `edition`'s owner; returns their addresses."""
    now = timezone.now()
    password = make_password(None)  # unusable, hashed once
    users = User.objects.bulk_create(
        [
            User(
                email=f"cohorte{n}@example.org",
                first_name=f"Prénom{n}",
                password=password,
            )
            for n in range(count)
        ],
        batch_size=1000,
    )
    Application.objects.bulk_create(
        [
            Application(
                edition=edition,
                user=user,
                role=ParticipantRole.MENTEE,
                organization=edition.program.organization,
                status=ApplicationStatus.ACCEPTED,
                submitted_at=now,
                accepted_at=now,
            )
            for user in users
        ],
        batch_size=1000,
    )
    return [user.email for user in users]
