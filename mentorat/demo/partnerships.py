"""Demo partnerships that run themselves: each partnership of the demo gets an agreement
for the current edition of a program one side shares with the other (or for the current
school year), with commitments on each side, signed by both; and one organisation waits
for the platform admin's approval.

Call `seed()` after the programs, pairs and applications are loaded (it reads the
editions); running it again changes nothing."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from mentorat.accounts.models import User
from mentorat.demo.people import named_user, two_factor
from mentorat.organizations.models import (
    Membership,
    Organization,
    OrganizationKind,
    Partnership,
    PartnershipStatus,
    Role,
)
from mentorat.organizations.services import sign_up_organization
from mentorat.partnerships.models import Agreement, CommitmentKind
from mentorat.partnerships.selectors import school_year_of
from mentorat.partnerships.services import save_agreement, sign_agreement
from mentorat.programs.models import Edition

# What each kind of organisation commits to, by kind of commitment.
COMMITMENTS: dict[str, dict[str, int]] = {
    OrganizationKind.COMPANY: {
        CommitmentKind.MENTORS: 20,
        CommitmentKind.INTERNSHIPS: 6,
        CommitmentKind.ALTERNANCE: 3,
        CommitmentKind.CLASS_INTERVENTIONS: 4,
    },
    OrganizationKind.ASSOCIATION: {CommitmentKind.MENTORS: 10, CommitmentKind.EVENTS: 2},
    OrganizationKind.TRAINING_BODY: {
        CommitmentKind.MENTEES: 12,
        CommitmentKind.TUTORED_PROJECTS: 3,
    },
    OrganizationKind.VOCATIONAL_SCHOOL: {CommitmentKind.MENTEES: 20, CommitmentKind.EVENTS: 1},
    OrganizationKind.UNIVERSITY: {CommitmentKind.MENTEES: 30, CommitmentKind.TUTORED_PROJECTS: 2},
}
SIGNATORIES: dict[str, tuple[str, str]] = {
    OrganizationKind.COMPANY: ("Marc Dubois", "Directeur des ressources humaines"),
    OrganizationKind.ASSOCIATION: ("Nadia Benali", "Présidente"),
    OrganizationKind.TRAINING_BODY: ("Julien Roux", "Directeur"),
    OrganizationKind.VOCATIONAL_SCHOOL: ("Claire Martin", "Proviseure"),
    OrganizationKind.UNIVERSITY: ("Hélène Garnier", "Vice-présidente insertion"),
}
PENDING_ADMIN = "contact@atelier-numerique.demo"


def _current_edition(partnership: Partnership) -> Edition | None:
    """The latest edition of a program one side shares with the other."""
    first, second = partnership.organization, partnership.partner
    return (
        Edition.objects.filter(
            Q(program__organization=first, program__shared_with=second)
            | Q(program__organization=second, program__shared_with=first)
        )
        .select_related("program")
        .order_by("-starts_on", "pk")
        .first()
    )


def _acting_person(organization: Organization) -> User | None:
    """Who records the side's signature: its admin, else a coordinator, else nobody."""
    for role in (Role.ADMIN, Role.COORDINATOR):
        found = (
            Membership.objects.filter(organization=organization, role=role)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if found is not None:
            return found.user
    return None


@transaction.atomic
def seed() -> int:
    """Signed agreements for the demo's active partnerships and one organisation waiting
    for approval; the number of agreements created (0 when run again)."""
    created = 0
    admin = User.objects.filter(is_staff=True).order_by("pk").first()
    for partnership in Partnership.objects.filter(status=PartnershipStatus.ACTIVE).select_related(
        "organization", "partner"
    ):
        if Agreement.objects.filter(partnership=partnership).exists():
            continue
        edition = _current_edition(partnership)
        sides = (partnership.organization, partnership.partner)
        commitments = {
            (side.pk, kind): quantity
            for side in sides
            for kind, quantity in COMMITMENTS.get(side.kind, {}).items()
        }
        actor = _acting_person(partnership.organization) or admin
        assert actor is not None, "the demo has a platform admin"
        agreement = save_agreement(
            partnership=partnership,
            school_year=None if edition else school_year_of(timezone.localdate()),
            edition=edition,
            terms=(
                "Chaque binôme se rencontre au moins deux fois par mois. Les deux structures "
                "désignent un·e référent·e et font un point à mi-parcours."
            ),
            commitments=commitments,
            actor=actor,
        )
        for side in sides:
            name, role = SIGNATORIES.get(side.kind, ("Camille Petit", "Directrice"))
            sign_agreement(
                agreement=agreement,
                organization=side,
                signatory_name=name,
                signatory_role=role,
                actor=_acting_person(side) or actor,
            )
        created += 1
    if not User.objects.filter(email=PENDING_ADMIN).exists():
        founder = named_user(PENDING_ADMIN, "Samia", "Haddad")
        two_factor(founder)
        sign_up_organization(
            user=founder,
            name="Atelier Numérique Solidaire",
            kind=OrganizationKind.ASSOCIATION,
            siret="84217359000014",  # a made-up number with a valid check digit
            address="8 place Bellecour",
            city="Lyon",
            region="ARA",
            description="Association d'inclusion numérique : ateliers et mentorat de jeunes.",
        )
    return created
