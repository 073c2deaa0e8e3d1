"""Every URL of the platform against every persona of the fixed cast.

`test_every_url_has_permission_cases` walks the URL configuration: a view added without a
case makes the suite fail. Each app lists its cases in `tests/<app>/permission_cases.py`
(a `CASES` dict); the generic ones are below. Cross-organisation requests must answer
404 (nothing leaks), same-organisation requests without the right role 403, anonymous
ones a redirect to the sign-in page (the rules in full: tests/permissions.py).

Around each case's objects, `set_the_scene` shares A's programs with its partner C and
gives the edition of the cast's pair another pair (`other_side` with the minor). Below the
matrix: the other side of a pair on one-sided pages, and a partner's coordinator with their
own people. Parent/child URLs bound to the wrong parent: tests/test_permission_mismatch.py.
"""

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from mentorat.accounts.models import User
from mentorat.organizations.links import invitation_token
from mentorat.organizations.models import Invitation, Role
from mentorat.programs.models import Edition
from tests.applications.factories import ApplicationFactory
from tests.conftest import PERSONAS, Cast, make_cast, shared_scene
from tests.factories import MembershipFactory, UserFactory
from tests.imports.permission_cases import previewed_batch_kwargs
from tests.mentorships.factories import MentorshipFactory, RunningEditionFactory
from tests.permissions import (
    ADMIN_OF_A,
    LOGIN,
    MEMBERS_OF_A_ONLY,
    STAFF_OF_A,
    Case,
    everyone,
    org_a,
    set_the_scene,
)
from tests.programs.factories import ProgramFactory
from tests.programs.permission_cases import program_of_a


def invitation_kwargs(cast: Cast) -> dict[str, str]:
    invitation = Invitation.objects.create(
        organization=cast.org_a,
        email="new@example.org",
        role=Role.MENTOR,
        invited_by=cast.coordinator_a,
        expires_at="2099-01-01T00:00:00Z",
    )
    return {"token": invitation_token(invitation)}


MATRIX: dict[str, Case] = {
    "web:home": Case(everyone(200)),
    "web:healthz": Case(everyone(200)),
    "web:set_language": Case(everyone(302), method="post", data={"language": "en", "next": "/"}),
    "legal:page": Case(everyone(200), kwargs=lambda cast: {"kind": "privacy"}),
    "organizations:list": Case(everyone(200) | {"anonymous": LOGIN}),
    "organizations:detail": Case(MEMBERS_OF_A_ONLY, kwargs=org_a),
    "organizations:members": Case(STAFF_OF_A, kwargs=org_a),
    "organizations:invite": Case(STAFF_OF_A, kwargs=org_a),
    "organizations:invitation": Case(everyone(200), kwargs=invitation_kwargs),
    "audit:organization_log": Case(ADMIN_OF_A, kwargs=org_a),
    "admin:index": Case(everyone(LOGIN) | {"platform_admin": 200}),
    "account_login": Case(everyone(200) | {p: 302 for p in PERSONAS if p != "anonymous"}),
    "account_signup": Case(everyone(200) | {p: 302 for p in PERSONAS if p != "anonymous"}),
    "account_email": Case(everyone(200) | {"anonymous": LOGIN}),
    "mfa_index": Case(everyone(200) | {"anonymous": LOGIN}),
}


def _app_cases() -> dict[str, Case]:
    cases: dict[str, Case] = {}
    for module in pkgutil.iter_modules(tests.__path__):
        if module.ispkg:
            name = f"tests.{module.name}.permission_cases"
            try:
                found = importlib.import_module(name)
            except ModuleNotFoundError as error:
                if error.name != name:
                    raise  # a broken import must not silently drop an app's cases
                continue
            cases.update(found.CASES)
    return cases


MATRIX.update(_app_cases())

# Third-party views: allauth's account and two-factor pages are public or guard themselves
# (a sample is in MATRIX above); Django's admin checks `is_staff` on every page.
THIRD_PARTY_MODULES = (
    "allauth.",
    "django.contrib.admin.",
    "django.contrib.auth.admin.",
    "django.contrib.contenttypes.",
    "django.views.static",
)


def _walk(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", p.lookup_str


def test_every_url_has_permission_cases():
    ours = {
        name
        for name, module in _walk(get_resolver().url_patterns)
        if not module.startswith(THIRD_PARTY_MODULES)
    }
    missing = ours - MATRIX.keys()
    assert not missing, f"URLs without permission tests: {sorted(missing)}"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url_name", sorted(MATRIX), scope="class")
class TestPermissionMatrix:
    """One test per URL and persona. The URL's scene (the cast, the case's objects,
    `set_the_scene`, every persona) is built once for its personas, in a transaction
    rolled back after them; each persona's request runs in a savepoint of it, rolled back
    after the request, so that what one persona's request writes, the next never sees.
    Personas are made with the scene, so each request sees all of them."""

    @pytest.fixture(scope="class")
    @classmethod
    def class_scene(cls, url_name, django_db_setup, django_db_blocker, tmp_path_factory):
        def build() -> tuple[Cast, str]:
            cast = make_cast()
            url = reverse(url_name, kwargs=MATRIX[url_name].kwargs(cast))
            set_the_scene(cast)
            for persona in PERSONAS:
                cast.persona(persona)
            return cast, url

        yield from shared_scene(build, django_db_blocker, tmp_path_factory)

    def test_permission_matrix(self, class_scene, db, client_for, url_name, persona):
        cast, url = class_scene.value
        case = MATRIX[url_name]
        client = client_for(cast.persona(persona))
        response = getattr(client, case.method)(url, case.data)
        expected = case.expected[persona]
        assert response.status_code == expected, (
            f"{persona} {case.method.upper()} {url}: {response.status_code}, expected {expected}"
        )
        if expected == LOGIN and persona == "anonymous" and url_name != "web:set_language":
            assert "login" in response["Location"]


def test_cross_organisation_404_goes_to_the_security_log(cast, client_for):
    from django.core.cache import cache

    from mentorat.audit.models import AuditEntry, SecurityEvent
    from mentorat.audit.pseudonyms import pseudonym_for

    cache.clear()
    client_for(cast.coordinator_b).get(reverse("organizations:detail", kwargs=org_a(cast)))
    event = SecurityEvent.objects.get(kind="access.organization.denied")
    assert event.user_pseudonym == pseudonym_for(cast.coordinator_b.pk)
    assert not AuditEntry.objects.filter(action__startswith="access.").exists()


def test_unknown_organisation_is_404_like_a_forbidden_one(cast, client_for):
    client = client_for(cast.coordinator_b)
    missing = client.get(reverse("organizations:detail", kwargs={"slug": "does-not-exist"}))
    forbidden = client.get(reverse("organizations:detail", kwargs=org_a(cast)))
    assert missing.status_code == forbidden.status_code == 404


# The other side of a pair --------------------------------------------------------------
# Pages only one side of a pair uses (the mentee's application, requests and check-ins, the
# mentor's requests and capacity, the mentee's outcome): being the person's pair partner
# must grant nothing there. Found from the matrix: a case where exactly one of the mentor
# and the mentee gets through.


def _one_sided() -> list[tuple[str, str]]:
    found = []
    for name, case in MATRIX.items():
        mentee_in, mentor_in = case.expected["mentee"] < 400, case.expected["mentor"] < 400
        if mentee_in != mentor_in:
            found.append((name, "mentor" if mentee_in else "mentee"))
    return sorted(found)


ONE_SIDED = _one_sided()


def test_one_sided_pages_are_found():
    assert {name for name, _side in ONE_SIDED} >= {
        "applications:my_detail",
        "matching:request_answer",
        "mentorships:check_in",
        "mentorships:outcome",
    }


@pytest.mark.parametrize(("url_name", "partner"), ONE_SIDED)
def test_the_other_side_of_a_pair_gets_no_more_than_anyone(cast, client_for, url_name, partner):
    case = MATRIX[url_name]
    url = reverse(url_name, kwargs=case.kwargs(cast))
    set_the_scene(cast)
    # The cast's mentor and mentee become a pair in every edition of A where the mentee
    # has none yet: wherever the page's object is, its owner's pair partner asks for it.
    for edition in Edition.objects.filter(program__organization=cast.org_a):
        if not edition.mentorships.filter(
            mentee_application__user=cast.mentee, status="active"
        ).exists():
            MentorshipFactory(edition=edition, mentor=cast.mentor, mentee=cast.mentee)
    response = getattr(client_for(cast.persona(partner)), case.method)(url, case.data)
    expected = case.expected[partner]
    assert response.status_code == expected, (
        f"{partner}, paired with the other side, {case.method.upper()} {url}: "
        f"{response.status_code}, expected {expected}"
    )


# A partner's coordinator and their own people --------------------------------------------
# In a program of A shared with C, C's coordinator reads what concerns C's people (their
# applications, the pairs where one side is theirs, their imports) but decides nothing,
# acts in no pair and runs no matching (403). A's staff see all; B's cannot tell (404).


def _person_of_c(cast: Cast, role: Role) -> User:
    user = UserFactory()
    MembershipFactory(user=user, organization=cast.org_c, role=role)
    return user


def c_application(role: str, status: str):
    def kwargs(cast: Cast) -> dict[str, str]:
        program = program_of_a(cast)
        application = ApplicationFactory(
            edition=program.editions.get(),
            user=_person_of_c(cast, Role(role)),
            role=role,
            organization=cast.org_c,
            status=status,
        )
        return {"slug": program.slug, "pk": str(application.pk)}

    return kwargs


def c_pair(cast: Cast) -> dict[str, str]:
    """A's mentee with a mentor of C."""
    program = ProgramFactory(organization=cast.org_a, slug="suivi-partenaire")
    mentorship = MentorshipFactory(
        edition=RunningEditionFactory(program=program),
        mentor=_person_of_c(cast, Role.MENTOR),
        mentee=cast.mentee,
    )
    return {"pk": str(mentorship.pk)}


def c_import(cast: Cast) -> dict[str, str]:
    """A file of C's people previewed by C's coordinator."""
    program = program_of_a(cast)
    set_the_scene(cast)
    return previewed_batch_kwargs(program, cast.org_c, cast.partner_coordinator, "partenaire.csv")


def _partner(status: int, owner: int = 200) -> dict[str, int]:
    return {"partner_coordinator": status, "coordinator_a": owner, "coordinator_b": 404}


PARTNER_PEOPLE: dict[str, Case] = {
    "applications:review": Case(_partner(200), kwargs=c_application("mentee", "submitted")),
    "applications:review POST": Case(
        _partner(403, owner=302),
        kwargs=c_application("mentee", "submitted"),
        method="post",
        data={"decision": "waitlist"},
    ),
    "matching:capacity": Case(
        _partner(403, owner=302),
        kwargs=c_application("mentor", "accepted"),
        method="post",
        data={"capacity": "2"},
    ),
    "imports:preview": Case(_partner(200), kwargs=c_import),
    "imports:discard": Case(_partner(302, owner=302), kwargs=c_import, method="post"),
    # The coordinators' summary of the pair; acting in it is the pair's.
    "mentorships:workspace": Case(_partner(200), kwargs=c_pair),
    "mentorships:goal_add": Case(_partner(403, owner=403), kwargs=c_pair),
    "mentorships:end": Case(_partner(403), kwargs=c_pair),
    "mentorships:outcome": Case(_partner(403), kwargs=lambda cast: c_pair(cast) | {"stage": "end"}),
}


@pytest.mark.parametrize(
    ("key", "persona"),
    [(key, persona) for key, case in sorted(PARTNER_PEOPLE.items()) for persona in case.expected],
)
def test_a_partner_coordinator_with_their_own_people(cast, client_for, key, persona):
    case = PARTNER_PEOPLE[key]
    url = reverse(key.split()[0], kwargs=case.kwargs(cast))
    set_the_scene(cast)
    response = getattr(client_for(cast.persona(persona)), case.method)(url, case.data)
    assert response.status_code == case.expected[persona], (
        f"{persona} {case.method.upper()} {url}: {response.status_code}, "
        f"expected {case.expected[persona]}"
    )


def test_the_pairs_a_coordinator_follows_in_bulk_are_those_they_may_open(cast):
    """The home page and the coordinators' digest list pairs with the bulk filter; it must
    agree with `follows_mentorship`, which guards the pair's page. A coordinator of C and
    of D, in a program of A shared with C only, follows the pair of a person of C, not
    the pair of a person of D."""
    from mentorat.mentorships.selectors import followed_mentorships
    from mentorat.permissions.mentorships import follows_mentorship
    from tests.factories import OrganizationFactory

    org_d = OrganizationFactory(name="Entreprise D", slug="org-d")
    MembershipFactory(user=cast.partner_coordinator, organization=org_d, role=Role.COORDINATOR)
    program = ProgramFactory(organization=cast.org_a, slug="partage-c")
    program.shared_with.add(cast.org_c)
    edition = RunningEditionFactory(program=program)
    with_c = MentorshipFactory(
        edition=edition, mentor=_person_of_c(cast, Role.MENTOR), mentee=cast.mentee
    )
    mentor_of_d = UserFactory()
    MembershipFactory(user=mentor_of_d, organization=org_d, role=Role.MENTOR)
    with_d = MentorshipFactory(edition=edition, mentor=mentor_of_d, mentee=cast.minor)
    coordinator = User.objects.get(pk=cast.partner_coordinator.pk)

    assert follows_mentorship(coordinator, with_c)
    assert not follows_mentorship(coordinator, with_d)
    assert set(followed_mentorships(user=coordinator)) == {with_c}
