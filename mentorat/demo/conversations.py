"""Demo conversations, called by `load_demo` after the pairs and the protection of minors:

- the named pair (mentor@banque.demo and mentoree@universite.demo) has a thread of a few
  messages over the last days, the mentor's last one not read by the mentee yet (the
  menu's badge and the home to-do show it);
- another pair of the running edition has a message the mentee reported, waiting for the
  university's coordinators (their "Reported messages" list);
- in the lycée's program, a pupil under 18 and a mentor of its partner Nexalis wrote to
  each other last year; the lycée's coordinator reads the thread by right and wrote in
  it too.

History is written directly, dated within each pair's dates (services date messages
now)."""

from datetime import datetime, timedelta

from django.utils import timezone

from mentorat.accounts.models import User
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.conversations.models import Message, MessageReport, ReadState, Thread
from mentorat.mentorships.models import EndReason, Mentorship, MentorshipStatus
from mentorat.organizations.models import Role
from mentorat.programs.models import ParticipantRole, Program, ProgramKind

NAMED_MENTOR = "mentor@banque.demo"
NAMED_MENTEE = "mentoree@universite.demo"
LYCEE_COORDINATOR = "coordination@lycee.demo"

NAMED_THREAD = [
    (
        "mentee",
        6,
        "Bonjour ! Merci d'avoir accepté d'être mon mentor. Je cherche un premier "
        "poste d'analyste : par quoi commencer ?",
    ),
    (
        "mentor",
        6,
        "Bonjour, avec plaisir. Commençons par votre CV : pouvez-vous me "
        "l'envoyer avant notre première rencontre ?\n\n- une page\n- vos projets en premier",
    ),
    ("mentee", 4, "Voici ma dernière version, j'ai suivi vos conseils. **Merci !**"),
    (
        "mentor",
        1,
        "C'est bien mieux. Regardez aussi les offres de "
        "[l'APEC](https://www.apec.fr) pour les intitulés de poste.",
    ),
]
REPORTED = ("Ajoute-moi plutôt sur WhatsApp, ce sera plus simple : 06 12 34 56 78", 3)
REPORT_REASON = "Je préfère que nous restions sur la plateforme, comme le dit la charte."
MINORS_THREAD = [
    (
        "mentee",
        300,
        "Bonjour, je suis en CAP et je voudrais savoir comment se passe un "
        "stage en atelier chez Nexalis.",
    ),
    (
        "mentor",
        299,
        "Bonjour ! Un stage chez nous commence par une semaine avec un tuteur. "
        "On en parle à notre rencontre au lycée jeudi ?",
    ),
    (
        "school",
        299,
        "Bonjour à tous les deux, je suis la coordinatrice du lycée : je lis "
        "ce fil, comme pour tous les binômes avec un·e élève mineur·e. Bonne rencontre jeudi !",
    ),
    ("mentee", 298, "D'accord, merci à vous deux."),
]


def _write(
    thread: Thread, lines: list[tuple[str, int, str]], people: dict[str, User], now: datetime
) -> list[Message]:
    written = []
    for k, (who, days_ago, body) in enumerate(lines):
        message = Message.objects.create(thread=thread, author=people[who], body=body)
        at = now - timedelta(days=days_ago, hours=3 - min(k, 3))
        Message.objects.filter(pk=message.pk).update(created_at=at)
        message.created_at = at
        written.append(message)
    Thread.objects.filter(pk=thread.pk).update(
        last_message_at=written[-1].created_at, created_at=written[0].created_at
    )
    # Each one has read up to their own last message.
    for who, person in people.items():
        own = [m for m, (w, _d, _b) in zip(written, lines, strict=True) if w == who]
        if own:
            ReadState.objects.update_or_create(
                thread=thread, user=person, defaults={"last_read_at": own[-1].created_at}
            )
    return written


def _pair_people(mentorship: Mentorship) -> dict[str, User]:
    return {
        "mentor": mentorship.mentor_application.user,
        "mentee": mentorship.mentee_application.user,
    }


def _running_threads(now: datetime) -> None:
    pairs = list(
        Mentorship.objects.filter(
            status=MentorshipStatus.ACTIVE, edition__program__kind=ProgramKind.STUDENT_INSERTION
        )
        .select_related("mentor_application__user", "mentee_application__user")
        .order_by("pk")
    )
    named = next((p for p in pairs if p.mentor_application.user.email == NAMED_MENTOR), None)
    if named is not None:
        thread = Thread.objects.create(mentorship=named)
        _write(thread, NAMED_THREAD, _pair_people(named), now)
    other = next((p for p in pairs if p is not named), None)
    if other is not None:
        thread = Thread.objects.create(mentorship=other)
        people = _pair_people(other)
        lines = [
            ("mentee", 5, "Bonjour, voici mes disponibilités pour la semaine prochaine."),
            ("mentor", REPORTED[1], REPORTED[0]),
        ]
        written = _write(thread, lines, people, now)
        report = MessageReport.objects.create(
            message=written[-1], reported_by=people["mentee"], reason=REPORT_REASON
        )
        MessageReport.objects.filter(pk=report.pk).update(
            created_at=written[-1].created_at + timedelta(hours=2)
        )


def _minors_thread(now: datetime) -> None:
    program = (
        Program.objects.filter(organization__slug="lycee", kind=ProgramKind.GENDER_DIVERSITY)
        .select_related("organization")
        .first()
    )
    school = User.objects.filter(email=LYCEE_COORDINATOR).first()
    if program is None or school is None:
        return
    past = program.editions.filter(ends_on__lt=timezone.localdate()).order_by("-ends_on").first()
    pupil = (
        Application.objects.filter(
            edition=past, role=ParticipantRole.MENTEE, status=ApplicationStatus.ACCEPTED
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    mentor = (
        User.objects.filter(
            memberships__organization__slug="nexalis", memberships__role=Role.MENTOR
        )
        .order_by("email")
        .first()
    )
    if past is None or pupil is None or mentor is None or pupil.accepted_at is None:
        return
    # Last year's pupils were under 18 when they applied (a lycée professionnel).
    pupil.is_minor = pupil.contact_through_platform_only = True
    pupil.save(update_fields=["is_minor", "contact_through_platform_only"])
    mentor_application, _created = Application.objects.get_or_create(
        edition=past,
        user=mentor,
        defaults={
            "role": ParticipantRole.MENTOR,
            "organization": mentor.memberships.first().organization,  # type: ignore[union-attr]
            "status": ApplicationStatus.ACCEPTED,
            "submitted_at": pupil.submitted_at,
            "accepted_at": pupil.accepted_at,
            "decided_at": pupil.decided_at,
            "source": "demo",
        },
    )
    mentorship = Mentorship.objects.create(
        edition=past,
        mentor_application=mentor_application,
        mentee_application=pupil,
        started_on=past.starts_on,
        status=MentorshipStatus.ENDED,
        ended_on=past.ends_on,
        end_reason=EndReason.PROGRAM_ENDED,
        mentor_answer="confirmed",
        mentee_answer="confirmed",
    )
    thread = Thread.objects.create(mentorship=mentorship)
    people = _pair_people(mentorship) | {"school": school}
    _write(thread, MINORS_THREAD, people, now)


def seed(*, now: datetime | None = None) -> None:
    """The demo's threads (see the module's docstring); nothing if already there."""
    if Thread.objects.exists():
        return
    now = now or timezone.now()
    _running_threads(now)
    _minors_thread(now)
