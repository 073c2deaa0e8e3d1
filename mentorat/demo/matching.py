"""Demo matching, called by `load_demo` after the programs and the pairs:

- "Premier emploi", edition starting soon: a finished run waiting for the coordinator's
  review (the acceptance scenario starts from it), with part of the bank's mentor places
  reserved for the university's students under their partnership (issue 20): the pairs
  on those places say « Place réservée au partenariat Banque … – Université … » and the
  summary counts the reserved places filled and left empty;
- same program, running winter edition: late joiners matched by a run published nine
  days ago (incremental re-matching: the existing pairs stay), several pairs confirmed
  by both sides, one answered "not a good fit", the others overdue; six mentors took a
  second mentee;
- "Reconversion professionnelle" (mentees choose their mentor): a request waiting for
  the demo mentor, an expired one, a declined one and an accepted one, with a mentee
  and a coordinator login of their own.

Past events are written through the services with `notify=False` (their emails went out
long ago), then dated back."""

from datetime import datetime, timedelta

from django.utils import timezone

from mentorat.accounts.models import User
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.audit.services import record
from mentorat.demo.people import named_user, two_factor
from mentorat.matching.models import (
    DeclineReason,
    MatchRun,
    MentorRequest,
    PairIntroduction,
    RequestStatus,
)
from mentorat.matching.parameters import RunParameters
from mentorat.matching.services.capacity import set_mentor_capacity
from mentorat.matching.services.publication import answer_days, answer_pair, publish_run
from mentorat.matching.services.requests import answer_request, request_mentor
from mentorat.matching.services.reservations import set_reservation
from mentorat.matching.services.runs import execute_run, start_run
from mentorat.mentorships.models import Mentorship, PairAnswer
from mentorat.organizations.models import Organization, Partnership, PartnershipStatus, Role
from mentorat.organizations.services import add_membership
from mentorat.participants.models import Profile, Skill
from mentorat.programs.models import Edition, MatchingSettings, Program, ProgramKind

PUBLISHED_DAYS_AGO = 9
#: Of the bank's mentor places in the edition under review, those kept for the
#: university's students (the bank pledged mentors to the university's masters).
RESERVED_FOR_PARTNER = 2
LATE_JOINERS = 7
MENTEE_EMAIL = "reconversion@formation.demo"
COORDINATOR_EMAIL = "coordination@formation.demo"


def load_demo_matching() -> MatchRun | None:
    program = (
        Program.objects.filter(organization__slug="universite", kind=ProgramKind.STUDENT_INSERTION)
        .order_by("pk")
        .first()
    )
    coordinator = User.objects.filter(email="coordination@universite.demo").first()
    if program is None or coordinator is None:
        return None
    edition = program.editions.order_by("-starts_on").first()
    if edition is None:
        return None
    now = timezone.now()
    running = program.editions.filter(starts_on__lt=now.date(), ends_on__gt=now.date()).first()
    if running is not None:
        _published_run(running, coordinator, now)
    _self_matching(now)
    _reserve_places(edition, coordinator)
    return _run(edition, coordinator)


def _reserve_places(edition: Edition, coordinator: User) -> None:
    """Reserve some of the bank's mentor places in `edition` for the university's
    mentees, through the service a coordinator uses (a second call changes nothing)."""
    partnership = (
        Partnership.objects.filter(
            organization__slug="banque",
            partner__slug="universite",
            status=PartnershipStatus.ACTIVE,
        )
        .select_related("organization")
        .first()
    )
    if partnership is None:
        return
    set_reservation(
        edition=edition,
        partnership=partnership,
        mentor_organization=partnership.organization,
        places=RESERVED_FOR_PARTNER,
        actor=coordinator,
    )


def _run(edition: Edition, coordinator: User) -> MatchRun:
    settings = MatchingSettings.objects.filter(program=edition.program).first()
    run, _created = start_run(
        edition=edition, parameters=RunParameters.from_settings(settings), actor=coordinator
    )
    # Executed here rather than by the queued task, so the demo is ready at once; the
    # task then finds the run finished and does nothing.
    execute_run(run_id=run.pk)
    run.refresh_from_db()
    return run


# Published run -------------------------------------------------------------------------------


def _late_joiners(edition: Edition, now: datetime) -> None:
    """Mentees of the university accepted after the start, without a pair yet."""
    taken = Application.objects.filter(edition__program=edition.program).values_list(
        "user_id", flat=True
    )
    university = Organization.objects.get(slug="universite")
    people = (
        User.objects.filter(
            memberships__organization=university,
            memberships__role=Role.MENTEE,
            profile__isnull=False,
        )
        .exclude(pk__in=taken)
        .exclude(email="mentoree@universite.demo")
        .order_by("email")[:LATE_JOINERS]
    )
    Application.objects.bulk_create(
        [
            Application(
                edition=edition,
                user=user,
                role="mentee",
                organization=university,
                status=ApplicationStatus.ACCEPTED,
                submitted_at=now - timedelta(days=20),
                decided_at=now - timedelta(days=14),
                accepted_at=now - timedelta(days=14),
                source="demo",
            )
            for user in people
        ]
    )


def _published_run(edition: Edition, coordinator: User, now: datetime) -> None:
    _late_joiners(edition, now)
    mentors = list(
        Application.objects.filter(
            edition=edition, role="mentor", status=ApplicationStatus.ACCEPTED
        ).select_related("user")
    )
    # Six mentors said they could take a second mentee.
    for mentor in sorted(mentors, key=lambda a: a.user.email)[:6]:
        set_mentor_capacity(application=mentor, capacity=2, actor=mentor.user)
    run = _run(edition, coordinator)
    publish_run(run=run, actor=coordinator, notify=False)
    pairs = list(
        Mentorship.objects.filter(introduction__run=run)
        .select_related("mentor_application__user", "mentee_application__user")
        .order_by("pk")
    )
    reasons = {
        3: "Nos disponibilités ne se recoupent pas : je suis en alternance le soir et le week-end.",
    }
    for index, pair in enumerate(pairs):
        if index < 3:  # confirmed by both sides
            answer_pair(mentorship=pair, user=pair.mentee, answer=PairAnswer.CONFIRMED)
            answer_pair(mentorship=pair, user=pair.mentor, answer=PairAnswer.CONFIRMED)
        elif index in reasons:  # the mentee asks for another mentor
            answer_pair(
                mentorship=pair,
                user=pair.mentee,
                answer=PairAnswer.NOT_A_FIT,
                reason=reasons[index],
            )
        elif index == 4:  # half answered; the mentor is overdue
            answer_pair(mentorship=pair, user=pair.mentee, answer=PairAnswer.CONFIRMED)
    # Everything above happened nine days ago: the answer deadline has passed.
    back = timedelta(days=PUBLISHED_DAYS_AGO)
    published_at = now - back
    MatchRun.objects.filter(pk=run.pk).update(
        created_at=published_at - timedelta(hours=2),
        started_at=published_at - timedelta(hours=2),
        finished_at=published_at - timedelta(hours=2),
        published_at=published_at,
    )
    PairIntroduction.objects.filter(run=run).update(
        created_at=published_at, answer_by=published_at + timedelta(days=answer_days())
    )
    for pair in Mentorship.objects.filter(pk__in=[p.pk for p in pairs]):
        pair.created_at = published_at
        # The site's day, not UTC's: a pair never starts the day before its publication.
        pair.started_on = timezone.localdate(published_at)
        if pair.mentee_answered_at:
            pair.mentee_answered_at -= back - timedelta(days=1)
        if pair.mentor_answered_at:
            pair.mentor_answered_at -= back - timedelta(days=2)
        if pair.ended_on:
            pair.ended_on = timezone.localdate(published_at + timedelta(days=1))
        pair.save(
            update_fields=[
                "created_at",
                "started_on",
                "mentee_answered_at",
                "mentor_answered_at",
                "ended_on",
            ]
        )


# Self-matching -------------------------------------------------------------------------------


def _persona(email: str, first: str, last: str) -> User:
    return User.objects.filter(email=email).first() or named_user(email, first, last)


def _self_matching(now: datetime) -> None:
    program = Program.objects.filter(kind=ProgramKind.CAREER_CHANGE).select_related("organization")
    found = program.first()
    edition = found.editions.order_by("-starts_on").first() if found else None
    mentor = User.objects.filter(email="mentor@banque.demo").first()
    if found is None or edition is None or mentor is None:
        return
    organization = found.organization
    coordinator = _persona(COORDINATOR_EMAIL, "Laure", "Chevalier")
    two_factor(coordinator)
    add_membership(user=coordinator, organization=organization, role=Role.COORDINATOR)
    mentee = _persona(MENTEE_EMAIL, "Nadia", "Rahmani")
    add_membership(user=mentee, organization=organization, role=Role.MENTEE)
    Profile.objects.update_or_create(
        user=mentee,
        defaults={
            "field": "Banque et finance",
            "rome_domain": "C",
            "target_occupation": "Conseillère clientèle",
            "occupation": "Assistante commerciale",
            "region": "ARA",
            "remote_ok": True,
            "changed_careers": True,
            "priority_groups": ["jobseeker"],
        },
    )[0].skills_wanted.set(
        Skill.objects.filter(name__in=["Analyse de données", "Communication", "Gestion de projet"])
    )
    # The bank's analyst also mentors career changers, from outside the partnership.
    accepted = {
        "status": ApplicationStatus.ACCEPTED,
        "submitted_at": now - timedelta(days=25),
        "decided_at": now - timedelta(days=22),
        "accepted_at": now - timedelta(days=22),
        "source": "demo",
    }
    own = Application.objects.update_or_create(
        edition=edition,
        user=mentee,
        defaults={"role": "mentee", "organization": organization} | accepted,
    )[0]
    thomas = Application.objects.update_or_create(
        edition=edition, user=mentor, defaults={"role": "mentor", "organization": None} | accepted
    )[0]
    set_mentor_capacity(application=thomas, capacity=2, actor=mentor)

    others = list(
        Application.objects.filter(edition=edition, status=ApplicationStatus.ACCEPTED)
        .exclude(pk__in=[own.pk, thomas.pk])
        .select_related("user")
        .order_by("pk")
    )
    mentees = [a for a in others if a.role == "mentee"]
    mentors = [a for a in others if a.role == "mentor"]
    if len(mentees) < 2 or len(mentors) < 3:
        return

    def ask(
        application: Application, mentor_app: Application, days_ago: int, message: str
    ) -> MentorRequest:
        sent = request_mentor(
            application=application,
            mentor_id=mentor_app.pk,
            message=message,
            actor=application.user,
            notify=False,
        )
        MentorRequest.objects.filter(pk=sent.pk).update(
            created_at=now - timedelta(days=days_ago),
            expires_at=now - timedelta(days=days_ago) + (sent.expires_at - sent.created_at),
        )
        sent.refresh_from_db()
        return sent

    # Nadia's first request went unanswered and expired; her second waits for Thomas.
    expired = ask(own, mentors[0], 20, "Bonjour, votre parcours de reconversion m'inspire.")
    MentorRequest.objects.filter(pk=expired.pk).update(
        status=RequestStatus.EXPIRED, answered_at=expired.expires_at, reminders_sent=2
    )
    record(action="matching.request.expired", organization=organization, target=expired, data={})
    pending = ask(
        own,
        thomas,
        4,
        "Bonjour Thomas, je quitte le commerce pour la banque et aimerais comprendre le "
        "métier d'analyste crédit.",
    )
    MentorRequest.objects.filter(pk=pending.pk).update(reminders_sent=1)
    # Another career changer was declined by one mentor, then accepted by another.
    declined = ask(mentees[0], mentors[1], 12, "")
    answer_request(
        mentor_request=declined,
        accept=False,
        reason=DeclineReason.NOT_MY_FIELD,
        actor=mentors[1].user,
        notify=False,
    )
    accepted_request = ask(mentees[0], mentors[2], 8, "Bonjour, pourrions-nous échanger ?")
    answer_request(
        mentor_request=accepted_request, accept=True, actor=mentors[2].user, notify=False
    )
    MentorRequest.objects.filter(pk=declined.pk).update(answered_at=now - timedelta(days=10))
    MentorRequest.objects.filter(pk=accepted_request.pk).update(answered_at=now - timedelta(days=6))
