"""An edition of a program of A shared with its partner C, with one person of each kind
a segment can pick (see `Scene`)."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from mentorat.accounts.models import User
from mentorat.announcements.models import Announcement, Segment
from mentorat.applications.models import ApplicationStatus
from mentorat.organizations.models import Organization
from mentorat.programs.models import Edition, ParticipantRole, Program
from tests.applications.factories import ApplicationFactory, ProfileFactory
from tests.conftest import Cast
from tests.factories import UserFactory
from tests.mentorships.factories import MeetingFactory, MentorshipFactory, RunningEditionFactory
from tests.programs.factories import ProgramFactory


@dataclass
class Scene:
    program: Program
    edition: Edition
    # The cast's mentee (A) and mentor (A): a pair started 40 days ago that never met
    # (at risk, not met).
    at_risk_mentee: User
    at_risk_mentor: User
    # A mentee of C with a mentor of A: met yesterday (on track).
    met_mentee: User
    met_mentor: User
    # Accepted without a pair: a mentee of A (in Île-de-France), a mentee of C, a mentor of A.
    unmatched_mentee: User
    unmatched_partner_mentee: User
    unmatched_mentor: User
    # A mentee of A whose application waits for a decision.
    submitted: User

    def everyone(self) -> set[User]:
        return {
            self.at_risk_mentee,
            self.at_risk_mentor,
            self.met_mentee,
            self.met_mentor,
            self.unmatched_mentee,
            self.unmatched_partner_mentee,
            self.unmatched_mentor,
        }


def _accepted(edition: Edition, user: User, role: str, organization: Organization) -> None:
    ApplicationFactory(
        edition=edition,
        user=user,
        role=role,
        organization=organization,
        status=ApplicationStatus.ACCEPTED,
        accepted_at=timezone.now(),
    )


def build_scene(cast: Cast) -> Scene:
    program = ProgramFactory(organization=cast.org_a, slug="messages-a", name="Messages A")
    program.shared_with.add(cast.org_c)
    edition = RunningEditionFactory(program=program)
    a, c = cast.org_a, cast.org_c
    people = {
        "met_mentee": UserFactory(email="met-mentee@example.org"),
        "met_mentor": UserFactory(email="met-mentor@example.org"),
        "unmatched_mentee": UserFactory(email="alone-mentee@example.org"),
        "unmatched_partner_mentee": UserFactory(email="alone-c@example.org"),
        "unmatched_mentor": UserFactory(email="alone-mentor@example.org"),
        "submitted": UserFactory(email="submitted@example.org"),
    }
    for user, role, organization in (
        (cast.mentee, ParticipantRole.MENTEE, a),
        (cast.mentor, ParticipantRole.MENTOR, a),
        (people["met_mentee"], ParticipantRole.MENTEE, c),
        (people["met_mentor"], ParticipantRole.MENTOR, a),
        (people["unmatched_mentee"], ParticipantRole.MENTEE, a),
        (people["unmatched_partner_mentee"], ParticipantRole.MENTEE, c),
        (people["unmatched_mentor"], ParticipantRole.MENTOR, a),
    ):
        _accepted(edition, user, role, organization)
    ApplicationFactory(
        edition=edition, user=people["submitted"], role=ParticipantRole.MENTEE, organization=a
    )
    ProfileFactory(user=people["unmatched_mentee"], region="IDF", field="Droit")
    today = timezone.localdate()
    MentorshipFactory(
        edition=edition,
        mentor=cast.mentor,
        mentee=cast.mentee,
        started_on=today - timedelta(days=40),
    )
    met = MentorshipFactory(
        edition=edition,
        mentor=people["met_mentor"],
        mentee=people["met_mentee"],
        started_on=today - timedelta(days=5),
    )
    MeetingFactory(mentorship=met, starts_at=timezone.now() - timedelta(days=1))
    return Scene(
        program=program,
        edition=edition,
        at_risk_mentee=cast.mentee,
        at_risk_mentor=cast.mentor,
        **people,
    )


def draft(
    scene: Scene,
    author: User,
    *,
    organization: Organization | None = None,
    segment: str = Segment.MENTEES,
    subject: str = "Lancement de la promotion",
) -> Announcement:
    return Announcement.objects.create(
        program=scene.program,
        edition=scene.edition,
        organization=organization or scene.program.organization,
        author=author,
        segment=segment,
        subject=subject,
        body="Bonjour à **toutes et tous**, rendez-vous le [12 janvier](https://example.org).",
    )
