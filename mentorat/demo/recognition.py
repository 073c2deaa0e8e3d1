"""Demo recognition, called by `load_demo` after training: the named mentor
(mentor@banque.demo) also mentored a student in the program's past edition, who thanked
them (a note the mentor shows); the university awarded them "Mentor engagé·e 2026" (with
its Open Badge) and issued an attestation of their engagement. Idempotent."""

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from mentorat.accounts.models import User
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.mentorships.models import (
    EndReason,
    Meeting,
    MeetingMode,
    MeetingStatus,
    Mentorship,
    MentorshipStatus,
    SessionLog,
)
from mentorat.organizations.models import Role
from mentorat.recognition.models import (
    Attestation,
    AttestationKind,
    Award,
    Credential,
    ThankYouNote,
)
from mentorat.recognition.services import (
    award_recognition,
    create_recognition,
    issue_attestation,
)
from mentorat.recognition.tasks import issue_credential

NAMED_MENTOR = "mentor@banque.demo"
COORDINATOR = "coordination@universite.demo"
RECOGNITION = "Mentor engagé·e 2026"
NOTE = (
    "Merci pour ces six mois : vos simulations d'entretien m'ont donné confiance, "
    "et j'ai signé mon CDI d'analyste en juin. Je n'aurais pas osé candidater sans vous !"
)


def _ended_pair(mentor: User) -> Mentorship | None:
    """The named mentor's pair in the past edition of their current program, with a few
    logged sessions (created once)."""
    running = (
        Mentorship.objects.filter(mentor_application__user=mentor)
        .select_related("edition__program")
        .order_by("-started_on")
        .first()
    )
    if running is None:
        return None
    program = running.edition.program
    today = timezone.localdate()
    past = program.editions.filter(ends_on__lt=today).order_by("-ends_on").first()
    if past is None:
        return None
    found = Mentorship.objects.filter(edition=past, mentor_application__user=mentor).first()
    if found is not None:
        return found
    mentee = (
        User.objects.filter(memberships__organization=program.organization)
        .filter(memberships__role=Role.MENTEE)
        .exclude(applications__edition=past)
        .order_by("pk")
        .first()
    )
    if mentee is None:
        return None
    now = timezone.now()
    applications = [
        Application.objects.get_or_create(
            edition=past,
            user=user,
            defaults={
                "role": role,
                "organization_id": user.memberships.values_list("organization_id", flat=True)
                .order_by("pk")
                .first(),
                "status": ApplicationStatus.ACCEPTED,
                "submitted_at": now - timedelta(days=(today - past.starts_on).days + 30),
                "accepted_at": now - timedelta(days=(today - past.starts_on).days + 20),
                "decided_at": now - timedelta(days=(today - past.starts_on).days + 20),
                "source": "demo",
            },
        )[0]
        for user, role in ((mentor, "mentor"), (mentee, "mentee"))
    ]
    pair = Mentorship.objects.create(
        edition=past,
        mentor_application=applications[0],
        mentee_application=applications[1],
        mentor_answer="confirmed",
        mentee_answer="confirmed",
        started_on=past.starts_on,
        status=MentorshipStatus.ENDED,
        ended_on=past.ends_on,
        end_reason=EndReason.PROGRAM_ENDED,
    )
    rng = random.Random(19)
    day = past.starts_on + timedelta(days=6)
    while day < past.ends_on - timedelta(days=6):
        starts_at = timezone.make_aware(datetime.combine(day, time(18)))
        meeting = Meeting.objects.create(
            mentorship=pair,
            starts_at=starts_at,
            duration_minutes=60,
            mode=MeetingMode.VIDEO,
            video_url="https://visio.example.org/binome",
            status=MeetingStatus.ACCEPTED,
            proposed_by=mentor,
            proposed_at=starts_at - timedelta(days=7),
            accepted_at=starts_at - timedelta(days=6),
        )
        SessionLog.objects.create(
            meeting=meeting,
            mentorship=pair,
            duration_minutes=rng.choice([60, 75, 90]),
            topics="CV, entretiens, réseau",
            written_by=mentor,
        )
        day += timedelta(days=rng.randint(14, 21))
    return pair


def seed() -> None:
    """Create the demo's recognition; running it twice changes nothing."""
    mentor = User.objects.filter(email=NAMED_MENTOR).first()
    coordinator = User.objects.filter(email=COORDINATOR).first()
    if mentor is None or coordinator is None:
        return
    with transaction.atomic():
        pair = _ended_pair(mentor)
        if pair is None:
            return
        # Written as the mentee would, dated at the end of the pair, and shown by the mentor.
        ThankYouNote.objects.get_or_create(
            mentorship=pair,
            defaults={"author": pair.mentee_application.user, "text": NOTE, "shown": True},
        )
        program = pair.edition.program
        recognition = program.recognitions.filter(name=RECOGNITION).first()
        if recognition is None:
            recognition = create_recognition(
                program=program,
                name=RECOGNITION,
                description="Pour un engagement régulier et attentif tout au long de l'année.",
                actor=coordinator,
            )
        if not Award.objects.filter(recognition=recognition, mentor=mentor).exists():
            award_recognition(
                recognition=recognition,
                mentor=mentor,
                reason="Deux étudiant·es accompagné·es cette année, toutes les rencontres tenues.",
                actor=coordinator,
            )
        if not Attestation.objects.filter(holder=mentor).exists():
            issue_attestation(
                holder=mentor,
                kind=AttestationKind.ENGAGEMENT,
                organization=program.organization,
                language="fr",
                actor=coordinator,
            )
    # Signed now rather than by the worker, so the demo shows downloadable badges.
    for pk in Credential.objects.filter(token="").values_list("pk", flat=True):
        issue_credential.call(pk)
