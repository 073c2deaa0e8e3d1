"""Builds the deterministic demo data set: six organisations, about 300 people with
French names, fields, occupations and skills, partnerships, and one login per role."""

import random
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction
from faker import Faker

from mentorat.accounts.models import User
from mentorat.demo.announcements import seed as load_demo_announcements
from mentorat.demo.conversations import seed as load_demo_conversations
from mentorat.demo.data import FIELD_SKILLS, FIELDS_BY_DOMAIN, TRANSVERSAL_SKILLS
from mentorat.demo.events import seed as load_demo_events
from mentorat.demo.matching import load_demo_matching
from mentorat.demo.mentorships import load_demo_mentorships
from mentorat.demo.opportunities import seed as load_demo_opportunities
from mentorat.demo.partnerships import seed as load_demo_partnerships

# The published password and secret are read from here by the commands and the tests.
from mentorat.demo.people import DEMO_PASSWORD as DEMO_PASSWORD
from mentorat.demo.people import DEMO_TOTP_SECRET as DEMO_TOTP_SECRET
from mentorat.demo.people import named_user, two_factor
from mentorat.demo.programs import load_demo_programs
from mentorat.demo.recognition import seed as load_demo_recognition
from mentorat.demo.resources import seed as load_demo_resources
from mentorat.demo.safeguarding import load_demo_safeguarding
from mentorat.demo.training import seed as load_demo_training
from mentorat.organizations.models import Organization, OrganizationKind, PartnershipKind, Role
from mentorat.organizations.services import add_membership, create_organization, create_partnership
from mentorat.participants.models import Profile, Skill, SkillKind
from mentorat.participants.services import ProfileData, update_profile


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    two_factor: bool


@dataclass(frozen=True)
class _OrgSpec:
    key: str
    name: str
    kind: OrganizationKind
    city: str
    region: str
    mentees: int
    mentors: int
    domains: tuple[str, ...]
    description: str


ORGANIZATIONS = [
    _OrgSpec(
        "universite",
        "Université Rhône-Loire",
        OrganizationKind.UNIVERSITY,
        "Lyon",
        "ARA",
        105,
        0,
        ("M", "C", "E", "J", "D"),
        "Université pluridisciplinaire : 32 000 étudiant·es, licences et masters.",
    ),
    _OrgSpec(
        "lycee",
        "Lycée professionnel Jean-Jaurès",
        OrganizationKind.VOCATIONAL_SCHOOL,
        "Villeurbanne",
        "ARA",
        45,
        0,
        ("H", "I", "F", "G"),
        "Bacs pros industriels, bâtiment et hôtellerie-restauration.",
    ),
    _OrgSpec(
        "nexalis",
        "Nexalis Ingénierie",
        OrganizationKind.COMPANY,
        "Lyon",
        "ARA",
        18,
        55,
        ("H", "I", "M", "F"),
        "Ingénierie industrielle, 1 200 salarié·es ; programme interne d'intégration.",
    ),
    _OrgSpec(
        "banque",
        "Banque Horizon",
        OrganizationKind.COMPANY,
        "Paris",
        "IDF",
        0,
        35,
        ("C", "M", "D"),
        "Banque de détail engagée auprès des écoles partenaires.",
    ),
    _OrgSpec(
        "association",
        "Passerelles Avenir",
        OrganizationKind.ASSOCIATION,
        "Grenoble",
        "ARA",
        0,
        22,
        ("K", "E", "M", "N"),
        "Association de parrainage professionnel pour les jeunes et les reconversions.",
    ),
    _OrgSpec(
        "formation",
        "Institut Compétences Pro",
        OrganizationKind.TRAINING_BODY,
        "Saint-Étienne",
        "ARA",
        20,
        4,
        ("N", "J", "K", "D"),
        "Organisme de formation pour adultes en reconversion professionnelle.",
    ),
]

PARTNERSHIPS = [
    (
        "banque",
        "universite",
        PartnershipKind.MENTOR_COMMITMENT,
        "Trente mentors de la banque pour les masters de l'université.",
    ),
    (
        "nexalis",
        "lycee",
        PartnershipKind.MENTOR_COMMITMENT,
        "Techniciens et ingénieurs mentors des élèves de bac pro.",
    ),
    (
        "association",
        "universite",
        PartnershipKind.JOINT_PROGRAM,
        "Programme commun d'insertion des étudiant·es boursier·es.",
    ),
    (
        "association",
        "formation",
        PartnershipKind.JOINT_PROGRAM,
        "Mentorat des adultes en reconversion.",
    ),
    ("formation", "association", PartnershipKind.REFERRAL, "Orientation de stagiaires."),
]


def _person(faker: Faker, rng: random.Random, email_domain: str, used: set[str]) -> User:
    while True:
        first, last = faker.first_name(), faker.last_name()
        local = f"{first}.{last}".lower()
        for a, b in (
            ("é", "e"),
            ("è", "e"),
            ("ë", "e"),
            ("ï", "i"),
            ("ç", "c"),
            (" ", "-"),
            ("'", ""),
            ("ô", "o"),
            ("â", "a"),
            ("î", "i"),
            ("ü", "u"),
        ):
            local = local.replace(a, b)
        email = f"{local}@{email_domain}"
        if email not in used:
            used.add(email)
            break
    user = User(email=email, first_name=first, last_name=last, language="fr")
    user.set_unusable_password()
    return user


@transaction.atomic
def load_demo(*, seed: int = 2026) -> list[DemoLogin]:
    """Create the demo data set in an empty database and return the demo logins."""
    if User.objects.filter(email="admin@mentorat.demo").exists():
        return demo_logins()
    rng = random.Random(seed)
    faker = Faker("fr_FR")
    faker.seed_instance(seed)

    skills = {
        name: Skill.objects.create(name=name, kind=SkillKind.FIELD) for name in FIELD_SKILLS
    } | {
        name: Skill.objects.create(name=name, kind=SkillKind.TRANSVERSAL)
        for name in TRANSVERSAL_SKILLS
    }
    skill_list = list(skills.values())
    transversal = [skills[n] for n in TRANSVERSAL_SKILLS]

    orgs: dict[str, Organization] = {}
    for spec in ORGANIZATIONS:
        orgs[spec.key] = create_organization(
            name=spec.name,
            kind=spec.kind,
            city=spec.city,
            region=spec.region,
            description=spec.description,
            slug=spec.key,
        )
    for a, b, kind, description in PARTNERSHIPS:
        create_partnership(
            organization=orgs[a], partner=orgs[b], kind=kind, description=description
        )

    # Named personas, one per role, with the published demo password.
    admin = named_user("admin@mentorat.demo", "Claire", "Administratrice", staff=True)
    org_admin = named_user("direction@universite.demo", "Hélène", "Garnier")
    coordinator = named_user("coordination@universite.demo", "Sophie", "Martin")
    coordinator_b = named_user("coordination@lycee.demo", "Karim", "Benali")
    coordinator_c = named_user("rh@nexalis.demo", "Julien", "Roux")
    mentor = named_user("mentor@banque.demo", "Thomas", "Lefèvre")
    mentee = named_user("mentoree@universite.demo", "Inès", "Haddad")
    named_user("visiteur@mentorat.demo", "Paul", "Visiteur")
    # Every organisation has a contact who can sign in (formation's is made by the
    # matching demo): the partner company and association too.
    contact_bank = named_user("partenariats@banque.demo", "Nadia", "Colin")
    contact_association = named_user("coordination@association.demo", "Marc", "Delorme")
    staff = (admin, org_admin, coordinator, coordinator_b, coordinator_c)
    for user in (*staff, contact_bank, contact_association):
        two_factor(user)
    add_membership(user=contact_bank, organization=orgs["banque"], role=Role.COORDINATOR)
    add_membership(
        user=contact_association, organization=orgs["association"], role=Role.COORDINATOR
    )
    add_membership(user=org_admin, organization=orgs["universite"], role=Role.ADMIN)
    add_membership(user=coordinator, organization=orgs["universite"], role=Role.COORDINATOR)
    add_membership(user=coordinator_b, organization=orgs["lycee"], role=Role.COORDINATOR)
    add_membership(user=coordinator_c, organization=orgs["nexalis"], role=Role.COORDINATOR)
    add_membership(user=coordinator_c, organization=orgs["nexalis"], role=Role.ADMIN)
    add_membership(user=mentor, organization=orgs["banque"], role=Role.MENTOR)
    add_membership(user=mentee, organization=orgs["universite"], role=Role.MENTEE)
    Profile.objects.create(
        user=mentor,
        field="Banque et finance",
        occupation="Analyste crédit",
        rome_domain="C",
        region="IDF",
        years_of_experience=12,
    ).skills_offered.set(
        [skills["Analyse de données"], skills["Communication"], skills["Gestion de projet"]]
    )
    Profile.objects.create(
        user=mentee,
        field="Banque et finance",
        target_occupation="Analyste crédit",
        rome_domain="C",
        region="ARA",
    ).skills_wanted.set([skills["Analyse de données"], skills["Prise de parole en public"]])
    # Sensitive data are stored only with their explicit consent, given by the person:
    # Inès shows the consent on her profile page, with its withdrawal button.
    update_profile(
        user=mentee,
        data=ProfileData(priority_groups=["disability"], sensitive_consents=["disability"]),
        actor=mentee,
    )

    used: set[str] = set(User.objects.values_list("email", flat=True))
    for spec in ORGANIZATIONS:
        org = orgs[spec.key]
        email_domain = f"{spec.key}.demo"
        for role, count in ((Role.MENTEE, spec.mentees), (Role.MENTOR, spec.mentors)):
            people = [_person(faker, rng, email_domain, used) for _ in range(count)]
            User.objects.bulk_create(people)
            people = list(User.objects.filter(email__in=[p.email for p in people]))
            EmailAddress.objects.bulk_create(
                [EmailAddress(user=p, email=p.email, verified=True, primary=True) for p in people]
            )
            for person in people:
                add_membership(user=person, organization=org, role=role)
                domain = rng.choice(spec.domains)
                field, occupations = rng.choice(FIELDS_BY_DOMAIN[domain])
                occupation = rng.choice(occupations)
                profile = Profile.objects.create(
                    user=person,
                    field=field,
                    rome_domain=domain,
                    region=org.region if rng.random() < 0.8 else rng.choice(["IDF", "ARA", "OCC"]),
                    occupation=occupation if role == Role.MENTOR else "",
                    target_occupation=occupation if role == Role.MENTEE else "",
                    years_of_experience=rng.randint(5, 30) if role == Role.MENTOR else None,
                )
                chosen = rng.sample(skill_list, 3) + rng.sample(transversal, 2)
                if role == Role.MENTOR:
                    profile.skills_offered.set(chosen)
                else:
                    profile.skills_wanted.set(chosen)
    _load_activity(seed)
    return demo_logins()


def _load_activity(seed: int) -> None:
    """Programs, pairs and everything that happens around them, once people exist."""
    load_demo_programs(seed=seed)
    load_demo_mentorships(seed=seed)
    load_demo_matching()
    load_demo_safeguarding()
    load_demo_conversations()
    load_demo_resources()
    load_demo_announcements()
    load_demo_partnerships()
    load_demo_training()
    load_demo_recognition()
    load_demo_opportunities()
    load_demo_events()


def demo_logins() -> list[DemoLogin]:
    return [
        DemoLogin("Platform admin / admin de la plateforme", "admin@mentorat.demo", True),
        DemoLogin("Organisation admin / admin d'organisation", "direction@universite.demo", True),
        DemoLogin("Coordinator (university) / coordinatrice", "coordination@universite.demo", True),
        DemoLogin("Coordinator (lycée pro) / coordinateur", "coordination@lycee.demo", True),
        DemoLogin("Coordinator + admin (company) / coordinateur", "rh@nexalis.demo", True),
        DemoLogin("Coordinator (partner bank) / coordinatrice", "partenariats@banque.demo", True),
        DemoLogin(
            "Coordinator (association) / coordinateur", "coordination@association.demo", True
        ),
        DemoLogin("Mentor / mentor", "mentor@banque.demo", False),
        DemoLogin("Mentee / mentorée", "mentoree@universite.demo", False),
        DemoLogin(
            "Coordinator (mentees choose) / coordinatrice", "coordination@formation.demo", True
        ),
        DemoLogin(
            "Mentee who chooses / mentorée qui choisit", "reconversion@formation.demo", False
        ),
        DemoLogin(
            "Admin of an organisation awaiting approval / admin d'une structure en attente",
            "contact@atelier-numerique.demo",
            True,
        ),
        DemoLogin("No organisation / sans organisation", "visiteur@mentorat.demo", False),
    ]
