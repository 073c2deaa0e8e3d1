"""Demo training: the platform's starter set in French and English; a module written by
the university and shared with the bank; modules assigned by four programs (required
before matching, before the first meeting, within 30 days, or recommended); and some
mentors who already completed theirs (through the quiz, as a person would). Idempotent."""

import random

from django.db import transaction

from mentorat.accounts.models import User
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.organizations.models import Organization, Role
from mentorat.programs.models import ParticipantRole, Program
from mentorat.programs.services import partner_organizations
from mentorat.training.models import (
    Assignment,
    Audience,
    Completion,
    Module,
    ModuleStatus,
    Requirement,
)
from mentorat.training.services import (
    ChoiceData,
    ModuleData,
    QuestionData,
    SectionData,
    add_question,
    add_section,
    assign_module,
    create_module,
    submit_attempt,
    update_module,
)
from mentorat.training.starter import load_starter_set, starter_group

UNIVERSITY_MODULE = "Accompagner un·e étudiant·e de master vers son premier emploi"

# program name → [(starter key or None for the university's module, audience, requirement, days)]
ASSIGNMENTS: dict[str, list[tuple[str | None, str, str, int | None]]] = {
    "Premier emploi — masters de l'université": [
        ("mentor-role", Audience.MENTORS, Requirement.BEFORE_MATCHING, None),
        ("goals", Audience.BOTH, Requirement.WITHIN_DAYS, 30),
        ("active-listening", Audience.MENTORS, Requirement.RECOMMENDED, None),
        (None, Audience.MENTORS, Requirement.BEFORE_FIRST_MEETING, None),
    ],
    "Mixité des métiers industriels": [
        ("safeguarding-minors", Audience.MENTORS, Requirement.BEFORE_MATCHING, None),
        ("avoiding-bias", Audience.MENTORS, Requirement.BEFORE_FIRST_MEETING, None),
    ],
    "Reconversion professionnelle": [
        ("mentor-role", Audience.MENTORS, Requirement.BEFORE_MATCHING, None),
        ("feedback", Audience.MENTORS, Requirement.RECOMMENDED, None),
        ("conflict-closure", Audience.MENTORS, Requirement.RECOMMENDED, None),
    ],
    "Intégration des recrues et stagiaires Nexalis": [
        ("active-listening", Audience.MENTORS, Requirement.WITHIN_DAYS, 30),
    ],
}
# The named mentor keeps something to do on their home page: these stay open for them.
NAMED_MENTOR = "mentor@banque.demo"
NAMED_MENTOR_OPEN = {starter_group("active-listening"), starter_group("goals")}


def _university_module() -> Module | None:
    university = Organization.objects.filter(slug="universite").first()
    if university is None:
        return None
    found = Module.objects.filter(organization=university, title=UNIVERSITY_MODULE).first()
    if found is not None:
        return found
    author = User.objects.filter(
        memberships__organization=university, memberships__role=Role.COORDINATOR
    ).first()
    if author is None:
        return None
    module = create_module(
        organization=university,
        data=ModuleData(
            title=UNIVERSITY_MODULE,
            summary=(
                "Le programme Premier emploi, ses étapes et ce que nous attendons des mentors "
                "des entreprises partenaires."
            ),
            duration_minutes=10,
            passing_score=100,
        ),
        actor=author,
    )
    add_section(
        module=module,
        data=SectionData(
            title="Le programme en bref",
            body=(
                "Six mois, deux rencontres par mois, un objectif principal : **le premier "
                "emploi** ou une alternance à la sortie du master.\n\n"
                "1. Premier rendez-vous avant la fin du premier mois ;\n"
                "2. Objectifs fixés ensemble sur la plateforme ;\n"
                "3. Point d’étape mensuel ;\n"
                "4. Clôture et bilan à six mois."
            ),
        ),
        actor=author,
    )
    add_section(
        module=module,
        data=SectionData(
            title="Ce que nous attendons des mentors",
            body=(
                "- Répondre aux messages sous une semaine ;\n"
                "- Prévenir la coordination en cas de difficulté ;\n"
                "- Écrire un court compte rendu après chaque rencontre."
            ),
            video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        ),
        actor=author,
    )
    add_question(
        module=module,
        data=QuestionData(
            text="Combien de rencontres par mois le programme prévoit-il\u202f?",
            kind="single",
            explanation="Deux rencontres par mois, pendant six mois.",
            choices=(
                ChoiceData("Une"),
                ChoiceData("Deux", is_correct=True),
                ChoiceData("Quatre"),
            ),
        ),
        actor=author,
    )
    partners = [p.pk for p in partner_organizations(organization=university) if p.slug == "banque"]
    update_module(
        module=module,
        data=ModuleData(
            title=module.title,
            summary=module.summary,
            duration_minutes=10,
            passing_score=100,
            status=ModuleStatus.PUBLISHED,
            shared_with=tuple(partners),
        ),
        actor=author,
    )
    return module


def _right_answers(module: Module) -> dict[int, set[int]]:
    return {
        q.pk: {c.pk for c in q.choices.all() if c.is_correct}
        for q in module.questions.prefetch_related("choices")
    }


@transaction.atomic
def seed() -> None:
    """Create the demo's training; running it twice changes nothing."""
    load_starter_set()
    own = _university_module()
    rng = random.Random(19)
    for program_name, lines in ASSIGNMENTS.items():
        program = Program.objects.filter(name=program_name).select_related("organization").first()
        if program is None:
            continue
        actor = User.objects.filter(
            memberships__organization=program.organization,
            memberships__role__in=(Role.COORDINATOR, Role.ADMIN),
        ).first()
        if actor is None:
            continue
        for key, audience, requirement, days in lines:
            module = (
                own
                if key is None
                else Module.objects.filter(group=starter_group(key), language="fr").first()
            )
            if module is None or Assignment.objects.filter(program=program, module=module).exists():
                continue
            assign_module(
                program=program,
                module=module,
                audience=audience,
                requirement=requirement,
                days=days,
                actor=actor,
            )
        _complete_some(program, rng)


def _complete_some(program: Program, rng: random.Random) -> None:
    """About two mentors in three of the program's accepted ones completed its modules."""
    assignments = list(Assignment.objects.filter(program=program).select_related("module"))
    mentors = (
        Application.objects.filter(
            edition__program=program,
            role=ParticipantRole.MENTOR,
            status=ApplicationStatus.ACCEPTED,
        )
        .select_related("user")
        .order_by("pk")
    )
    for application in mentors:
        if rng.random() > 0.67:
            continue
        for assignment in assignments:
            module = assignment.module
            if application.user.email == NAMED_MENTOR and module.group in NAMED_MENTOR_OPEN:
                continue
            if Completion.objects.filter(
                user=application.user, module__group=module.group
            ).exists():
                continue
            submit_attempt(user=application.user, module=module, answers=_right_answers(module))
