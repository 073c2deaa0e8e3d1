from datetime import timedelta

import factory
from django.utils import timezone

from mentorat.accounts.models import User
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.mentorships.models import (
    CheckIn,
    Meeting,
    MeetingMode,
    MeetingStatus,
    Mentorship,
    SessionLog,
)
from mentorat.programs.models import Edition, ParticipantRole
from tests.factories import UserFactory
from tests.programs.factories import EditionFactory


class RunningEditionFactory(EditionFactory):
    """An edition that started 60 days ago and ends in 120 days, two meetings a month."""

    applications_open_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=100))
    applications_close_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=80))
    matching_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=70))
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=60))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=120))
    meetings_per_month = 2


def application_of(edition: Edition, user: User, role: str) -> Application:
    """`user`'s application to `edition` (one per edition), accepted if it is new."""
    found = Application.objects.filter(edition=edition, user=user).first()
    if found is not None:
        return found
    return Application.objects.create(
        edition=edition,
        user=user,
        role=role,
        status=ApplicationStatus.ACCEPTED,
        submitted_at=timezone.now(),
        accepted_at=timezone.now(),
    )


class MentorshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentorship

    class Params:
        # The people, as most tests name them; the pair points at their applications
        # of the edition (found, or created accepted).
        mentor = factory.SubFactory(UserFactory)
        mentee = factory.SubFactory(UserFactory)

    edition = factory.SubFactory(RunningEditionFactory)
    mentor_application = factory.LazyAttribute(
        lambda o: application_of(o.edition, o.mentor, ParticipantRole.MENTOR)
    )
    mentee_application = factory.LazyAttribute(
        lambda o: application_of(o.edition, o.mentee, ParticipantRole.MENTEE)
    )
    started_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=5))


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    mentorship = factory.SubFactory(MentorshipFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    duration_minutes = 60
    mode = MeetingMode.VIDEO
    video_url = "https://visio.example.org/abc"
    status = MeetingStatus.ACCEPTED
    proposed_by = factory.LazyAttribute(lambda o: o.mentorship.mentor)
    proposed_at = factory.LazyFunction(timezone.now)


class SessionLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionLog

    meeting = factory.SubFactory(
        MeetingFactory, starts_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    )
    mentorship = factory.LazyAttribute(lambda o: o.meeting.mentorship)
    duration_minutes = 60
    topics = "CV"
    written_by = factory.LazyAttribute(lambda o: o.meeting.mentorship.mentor)


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    mentorship = factory.SubFactory(MentorshipFactory)
    respondent = factory.LazyAttribute(lambda o: o.mentorship.mentee)
    role = "mentee"
    occasion = "monthly"
    period = 1
    sent_at = factory.LazyFunction(timezone.now)
