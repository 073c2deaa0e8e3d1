"""A job-dating evening of organisation A with registered mentees and professionals."""

from dataclasses import dataclass

from mentorat.accounts.models import User
from mentorat.events.models import Event, EventKind, Registration, RegistrationStatus
from mentorat.organizations.models import Organization, Role
from mentorat.programs.models import Edition, ParticipantRole
from tests.applications.factories import ProfileFactory
from tests.events.factories import make_event
from tests.factories import MembershipFactory, UserFactory
from tests.mentorships.factories import RunningEditionFactory, application_of


@dataclass
class Evening:
    event: Event
    edition: Edition
    mentees: list[User]
    professionals: list[User]


def job_dating(
    organization: Organization,
    *,
    mentees: int = 6,
    professionals: int = 3,
    fields: tuple[str, ...] = ("Informatique", "Santé", "Commerce"),
) -> Evening:
    """An evening for A's members; mentee k and professional k % len(fields) share a field."""
    edition = RunningEditionFactory(program__organization=organization)
    event = make_event(
        organization, kind=EventKind.JOB_DATING, title="Job dating", capacity=None,
        edition=None,
    )  # fmt: skip
    people: dict[str, list[User]] = {"mentee": [], "mentor": []}
    for role, count in (("mentee", mentees), ("mentor", professionals)):
        for k in range(count):
            user = UserFactory(
                email=f"{role}{k}@example.org", first_name=f"{role.title()}{k}", last_name="Doe"
            )
            MembershipFactory(
                user=user, organization=organization,
                role=Role.MENTEE if role == "mentee" else Role.MENTOR,
            )  # fmt: skip
            ProfileFactory(user=user, field=fields[k % len(fields)], rome_domain="")
            application_of(
                edition,
                user,
                ParticipantRole.MENTEE if role == "mentee" else ParticipantRole.MENTOR,
            )
            Registration.objects.create(
                event=event, user=user, status=RegistrationStatus.REGISTERED
            )
            people[role].append(user)
    return Evening(event, edition, people["mentee"], people["mentor"])
