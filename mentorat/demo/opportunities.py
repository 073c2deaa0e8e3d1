"""Demo opportunities: Nexalis offers the lycée's pupils an internship, an alternance
place and a job-shadowing day, and the lycée asks Nexalis for a class intervention; the
bank offers the university's students an internship and a tutored project. Mentees in a
pair showed interest; a mentor recommended one; Nexalis shortlisted one and accepted
another, recorded as her outcome — so the partnership page and report have figures.

Call `seed()` after the partnerships (it reads pairs and partners); running it again
changes nothing."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from mentorat.accounts.models import User
from mentorat.mentorships.models import Mentorship, MentorshipStatus
from mentorat.opportunities.models import Candidacy, CandidacyStatus, Opportunity
from mentorat.opportunities.services import (
    OpportunityData,
    express_interest,
    publish_opportunity,
    record_candidacy_outcome,
    save_opportunity,
)
from mentorat.organizations.models import Membership, Organization, Role

# (offering organisation, audience organisation, kind, title, domain, place, places,
# start in days, deadline in days, description)
OFFERS = [
    (
        "nexalis",
        "lycee",
        "internship",
        "Stage de technicien·ne de maintenance industrielle",
        "I",
        "Lyon 7e — site de Gerland",
        3,
        45,
        25,
        "Six semaines dans l'équipe maintenance : **diagnostic de pannes**, maintenance "
        "préventive, sécurité.\n\n- tuteur ou tutrice dédié·e\n- gratification légale",
    ),
    (
        "nexalis",
        "lycee",
        "alternance",
        "Alternance BTS maintenance des systèmes",
        "I",
        "Lyon 7e",
        2,
        270,
        60,
        "Deux ans en alternance après le bac pro, rythme deux semaines / deux semaines.",
    ),
    (
        "nexalis",
        "lycee",
        "job_shadowing",
        "Journée découverte du bureau d'études",
        "H",
        "Lyon 7e",
        8,
        20,
        12,
        "Une journée avec nos dessinateurs·rices et ingénieur·es : CAO, prototypes, essais.",
    ),
    (
        "lycee",
        "nexalis",
        "class_intervention",
        "Intervention en classe : les métiers de l'industrie",
        "H",
        "Villeurbanne — Lycée Jean-Jaurès",
        2,
        30,
        18,
        "Deux heures devant une classe de première bac pro pour présenter votre métier.",
    ),
    (
        "banque",
        "universite",
        "internship",
        "Stage conseiller·e clientèle particuliers",
        "C",
        "Paris 9e",
        4,
        60,
        30,
        "Stage de fin de master en agence : accueil, conseil, premiers dossiers de crédit.",
    ),
    (
        "banque",
        "universite",
        "tutored_project",
        "Projet tutoré : la banque et l'inclusion financière",
        "C",
        "À distance et Paris 9e",
        2,
        40,
        35,
        "Un projet de groupe encadré par deux analystes : étude, recommandations, soutenance.",
    ),
]


def _staff(organization: Organization) -> User:
    membership = (
        Membership.objects.filter(
            organization=organization, role__in=(Role.COORDINATOR, Role.ADMIN)
        )
        .select_related("user")
        .order_by("role", "pk")
        .first()
    )
    assert membership is not None, f"the demo gives {organization} a coordinator"
    return membership.user


def _pairs_of(organization: Organization) -> list[Mentorship]:
    """Pairs whose mentee belongs to `organization`, running ones first (the lycée's
    only pair is last year's)."""
    return list(
        Mentorship.objects.filter(
            status__in=(MentorshipStatus.ACTIVE, MentorshipStatus.ENDED),
            mentee_application__user__memberships__organization=organization,
            mentee_application__user__memberships__role=Role.MENTEE,
        )
        .select_related("mentee_application__user", "mentor_application__user")
        .order_by("status", "pk")
        .distinct()[:3]
    )


def _other_mentees(organization: Organization, exclude: set[int]) -> list[User]:
    """A few adult mentees of `organization` accepted in one of its programs."""
    return list(
        User.objects.filter(
            applications__edition__program__organization=organization,
            applications__role="mentee",
            applications__status="accepted",
            applications__is_minor=False,
        )
        .exclude(pk__in=exclude)
        .distinct()
        .order_by("pk")[:2]
    )


@transaction.atomic
def seed() -> int:
    """The demo's opportunities and candidacies; the number of opportunities created
    (0 when run again)."""
    orgs = {
        o.slug: o
        for o in Organization.objects.filter(slug__in=["nexalis", "lycee", "banque", "universite"])
    }
    if len(orgs) < 4:
        return 0
    today = timezone.localdate()
    created = 0
    offers: dict[str, Opportunity] = {}
    for slug, audience, kind, title, domain, place, places, start, deadline, text in OFFERS:
        found = Opportunity.objects.filter(organization=orgs[slug], title=title).first()
        if found is None:
            contact = _staff(orgs[slug])
            found = save_opportunity(
                organization=orgs[slug],
                data=OpportunityData(
                    kind=kind,
                    title=title,
                    deadline=today + timedelta(days=deadline),
                    field="",
                    rome_domain=domain,
                    place=place,
                    starts_on=today + timedelta(days=start),
                    places=places,
                    description=text,
                    contact=contact,
                    audience_organizations=(orgs[audience],),
                ),
                actor=contact,
            )
            publish_opportunity(opportunity=found, actor=contact)
            created += 1
        offers[f"{slug}:{kind}"] = found
    internship = offers["nexalis:internship"]
    if not internship.candidacies.exists():
        pairs = _pairs_of(orgs["lycee"])
        _candidacies(internship, pairs, accept=True)
        taken = {pair.mentee_application.user_id for pair in pairs}
        for index, pupil in enumerate(_other_mentees(orgs["lycee"], taken)):
            express_interest(
                opportunity=internship, candidate=pupil, message=MESSAGES[(index + 1) % 3]
            )
    bank = offers["banque:internship"]
    if not bank.candidacies.exists():
        _candidacies(bank, _pairs_of(orgs["universite"])[:2], accept=False)
    return created


MESSAGES = [
    "Je prépare un bac pro maintenance et ce stage correspond à ce que je veux faire.",
    "Bonjour, je suis très intéressée par la maintenance industrielle.",
    "J'ai déjà fait un stage d'observation en atelier, je voudrais aller plus loin.",
]


def _candidacies(opportunity: Opportunity, pairs: list[Mentorship], *, accept: bool) -> None:
    contact = opportunity.contact or _staff(opportunity.organization)
    now = timezone.now()
    for index, pair in enumerate(pairs):
        candidacy = express_interest(
            opportunity=opportunity,
            candidate=pair.mentee_application.user,
            message=MESSAGES[index % len(MESSAGES)],
        )
        if index == 0:
            # Decisions written directly: the demo's people are not emailed as it loads.
            Candidacy.objects.filter(pk=candidacy.pk).update(
                recommended_by=pair.mentor_application.user,
                recommended_at=now,
                status=CandidacyStatus.ACCEPTED if accept else CandidacyStatus.SHORTLISTED,
                decided_by=contact,
                decided_at=now,
            )
            if accept:
                candidacy.refresh_from_db()
                record_candidacy_outcome(candidacy=candidacy, actor=contact)
        elif index == 1:
            Candidacy.objects.filter(pk=candidacy.pk).update(
                status=CandidacyStatus.SHORTLISTED, decided_by=contact, decided_at=now
            )
