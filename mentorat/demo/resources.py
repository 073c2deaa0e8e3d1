"""Demo resource library: for each organisation running pairs, guides and kits shared
by all its programs (first meeting, goals, closing, mentors' tips), and goal templates
with their skills; each program with pairs gets its own closing sheet. Idempotent."""

from django.core.files.base import ContentFile
from django.db import transaction

from mentorat.participants.models import Skill
from mentorat.programs.models import Program
from mentorat.resources.models import (
    Audience,
    GoalTemplate,
    LibraryResource,
    Phase,
    ResourceKind,
)

FIRST_MEETING = """Guide du premier rendez-vous

Avant : relisez le profil de votre binôme et notez trois questions.
Pendant (1 h) :
1. Faites connaissance : parcours, centres d'intérêt, ce que chacun·e attend du mentorat.
2. Fixez le cadre : rythme des rencontres, moyens de contact (la messagerie de la
   plateforme), confidentialité, ce qui se fait et ne se fait pas.
3. Parlez du premier objectif, sans le rédiger encore.
4. Planifiez la prochaine rencontre avant de vous quitter.
Après : écrivez le compte rendu sur la plateforme (cinq minutes suffisent).
"""

GOALS_KIT = """Kit pour fixer des objectifs

Un bon objectif est SMART : Spécifique, Mesurable, Atteignable, Réaliste, Temporellement
défini. Exemple : « Obtenir trois entretiens pour une alternance en logistique d'ici le
30 avril » plutôt que « Trouver une alternance ».
Étapes :
1. Partir du projet du ou de la mentoré·e, pas de celui du ou de la mentor·e.
2. Choisir un à trois objectifs, pas plus.
3. Pour chacun : comment saurons-nous qu'il est atteint ? Pour quand ?
4. Découper en petites étapes à faire avant la prochaine rencontre.
5. Faire le point sur la progression à chaque rencontre (sur la plateforme).
"""

CLOSING_SHEET = """Fiche de clôture du mentorat

À remplir ensemble lors de la dernière rencontre :
- Nos objectifs : atteints, en partie, abandonnés ? Pourquoi ?
- Ce que le ou la mentoré·e a appris ; ce que le ou la mentor·e a appris.
- La situation du ou de la mentoré·e aujourd'hui (emploi, stage, formation, recherche).
- Les prochaines étapes, et les personnes ou ressources qui peuvent aider.
- Restez-vous en contact ? Par quel moyen, si vous le souhaitez tous les deux ?
Pensez à répondre au point d'étape final : vos réponses améliorent le programme.
"""

# (title, kind, audience, phase, description, url, file name and content)
ORGANIZATION_RESOURCES: list[tuple[str, str, str, str, str, str, tuple[str, str] | None]] = [
    (
        "Guide du premier rendez-vous",
        ResourceKind.GUIDE,
        Audience.BOTH,
        Phase.BEFORE_FIRST_MEETING,
        "Comment préparer et mener **la première rencontre** : faire connaissance, fixer "
        "le cadre, planifier la suite.",
        "",
        ("guide-premier-rendez-vous.txt", FIRST_MEETING),
    ),
    (
        "Kit pour fixer des objectifs",
        ResourceKind.KIT,
        Audience.BOTH,
        Phase.DURING,
        "La méthode *SMART* en cinq étapes, avec un exemple. À utiliser avec les modèles "
        "d'objectifs proposés dans votre espace.",
        "",
        ("kit-objectifs.txt", GOALS_KIT),
    ),
    (
        "Le mentorat avec 1 jeune 1 mentor",
        ResourceKind.LINK,
        Audience.MENTORS,
        Phase.BEFORE_FIRST_MEETING,
        "Le programme national : rôle du ou de la mentor·e, engagements, ressources.",
        "https://www.1jeune1solution.gouv.fr/mentorat",
        None,
    ),
    (
        "1 jeune 1 solution : offres et aides",
        ResourceKind.LINK,
        Audience.MENTEES,
        Phase.DURING,
        "Offres de stage, d'alternance et d'emploi, aides et accompagnements pour les "
        "moins de 30 ans.",
        "https://www.1jeune1solution.gouv.fr/",
        None,
    ),
]

# (title, measure, description, skill names)
GOAL_TEMPLATES: list[tuple[str, str, str, tuple[str, ...]]] = [
    (
        "Décrocher un stage ou une alternance",
        "Une convention de stage ou un contrat d'alternance signé",
        "Cibler cinq entreprises, adapter le CV à chacune, relancer au bout d'une semaine.",
        ("Recherche d'emploi", "Communication"),
    ),
    (
        "Réussir ses entretiens",
        "Deux entretiens blancs menés avec le ou la mentor·e, puis un entretien obtenu",
        "Préparer le pitch de deux minutes et les questions difficiles.",
        ("Prise de parole en public", "Gestion du stress"),
    ),
    (
        "Construire son réseau professionnel",
        "Cinq professionnel·les du métier visé rencontré·es",
        "Le ou la mentor·e présente deux contacts ; le ou la mentoré·e en trouve trois.",
        ("Communication",),
    ),
    (
        "Clarifier son projet professionnel",
        "Un projet écrit en une page et discuté avec le ou la mentor·e",
        "Explorer trois métiers (fiches, enquêtes métier), puis choisir et argumenter.",
        ("Organisation", "Esprit critique"),
    ),
]


def _resource(*, file: tuple[str, str] | None, **fields: object) -> int:
    """Create the resource (its file first: a resource needs a link or a file) unless
    it exists; 1 if created."""
    key = {name: fields.pop(name) for name in ("organization_id", "program", "title")}
    if LibraryResource.objects.filter(**key).exists():
        return 0
    resource = LibraryResource(**key, **fields)
    if file is not None:
        name, text = file
        resource.file.save(name, ContentFile(text.encode()), save=False)
        resource.file_name, resource.content_type = name, "text/plain"
    resource.save()
    return 1


@transaction.atomic
def seed() -> int:
    """The library of every organisation whose programs have pairs; the number of rows
    created (0 when run again)."""
    programs = list(
        Program.objects.filter(editions__mentorships__isnull=False).distinct().order_by("pk")
    )
    skills = {s.name: s for s in Skill.objects.all()}
    created = 0
    for organization_id in sorted({p.organization_id for p in programs}):
        for title, kind, audience, phase, description, url, file in ORGANIZATION_RESOURCES:
            created += _resource(
                organization_id=organization_id,
                program=None,
                title=title,
                kind=kind,
                audience=audience,
                phase=phase,
                description=description,
                url=url,
                file=file,
            )
        for title, measure, description, names in GOAL_TEMPLATES:
            template, new = GoalTemplate.objects.get_or_create(
                organization_id=organization_id,
                program=None,
                title=title,
                defaults={"measure": measure, "description": description},
            )
            if new:
                template.skills.set([skills[n] for n in names if n in skills])
                created += 1
    for program in programs:
        created += _resource(
            organization_id=program.organization_id,
            program=program,
            title="Fiche de clôture",
            kind=ResourceKind.FILE,
            audience=Audience.BOTH,
            phase=Phase.CLOSING,
            description="À remplir ensemble lors de la **dernière rencontre**.",
            url="",
            file=("fiche-de-cloture.txt", CLOSING_SHEET),
        )
    return created
