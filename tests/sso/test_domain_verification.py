"""Proving control of an email domain before it routes or links anyone: a TXT record
found by a real DNS query (dnspython asking the test's own authoritative server,
tests/sso/dns_server.py), or a platform admin's approval. A claim that is not verified
sends nobody to the organisation's provider and links no account."""

import pytest
from django.db import connection as db
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from mentorat.audit.models import AuditEntry
from mentorat.lib.errors import DomainError
from mentorat.organizations.models import Role
from mentorat.sso import selectors, services
from mentorat.sso.models import DomainStatus, EmailDomain
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def _oidc(organization, name: str):
    return services.save_connection(
        organization=organization,
        protocol="oidc",
        values={
            "name": name,
            "preset": "generic",
            "server_url": f"https://id.{organization.slug}.test",
            "client_id": "x",
        },
        client_secret="y",
    )


@pytest.fixture
def connection_of_a(cast):
    return _oidc(cast.org_a, "Identity of A")


@pytest.fixture
def admin_b(cast):
    MembershipFactory(user=cast.coordinator_b, organization=cast.org_b, role=Role.ADMIN)
    return cast.coordinator_b


def _check(client, claim: EmailDomain):
    return client.post(reverse("sso:domain_check", args=[claim.pk]), follow=True)


def test_the_published_record_verifies_the_claim_and_then_it_routes(
    cast, client_for, connection_of_a, dns_zone
):
    claim = services.add_domain(connection=connection_of_a, domain="univ-a.fr")
    assert selectors.connection_for_email("ada@univ-a.fr") is None
    dns_zone.publish("_mentorat-challenge.univ-a.fr", "v=spf1 -all")
    dns_zone.publish("_mentorat-challenge.univ-a.fr", f"mentorat-verification={claim.token}")

    page = _check(client_for(cast.admin_a), claim).content.decode()

    assert "univ-a.fr is verified" in page
    assert "_mentorat-challenge.univ-a.fr" in dns_zone.questions
    claim.refresh_from_db()
    assert (claim.status, claim.method, claim.failure) == ("verified", "dns", "")
    assert claim.verified_at is not None
    assert selectors.connection_for_email("Ada@Univ-A.fr") == connection_of_a
    entry = AuditEntry.objects.get(action="sso.domain.verified")
    assert (entry.actor, entry.organization, entry.data["method"]) == (
        cast.admin_a,
        cast.org_a,
        "dns",
    )


@pytest.mark.parametrize(
    ("published", "reason", "message"),
    [
        (None, "no_record", "No TXT record was found at _mentorat-challenge.univ-a.fr."),
        (
            "mentorat-verification=not-the-token",
            "wrong_value",
            "do not contain the value expected for this claim",
        ),
        ("SERVFAIL", "dns_error", "The DNS servers did not answer"),
    ],
)
def test_a_missing_or_wrong_record_is_refused_with_the_reason(
    cast, client_for, connection_of_a, dns_zone, published, reason, message
):
    claim = services.add_domain(connection=connection_of_a, domain="univ-a.fr")
    if published == "SERVFAIL":
        dns_zone.failing.add("_mentorat-challenge.univ-a.fr")
    elif published:
        dns_zone.publish("_mentorat-challenge.univ-a.fr", published)
    # The token at the domain itself, not at the challenge name, proves nothing either.
    dns_zone.publish("univ-a.fr", f"mentorat-verification={claim.token}")

    page = _check(client_for(cast.admin_a), claim).content.decode()

    assert message in page
    claim.refresh_from_db()
    assert (claim.status, claim.failure) == ("failed", reason)
    assert claim.checked_at is not None
    assert selectors.connection_for_email("ada@univ-a.fr") is None
    entry = AuditEntry.objects.get(action="sso.domain.verification_failed")
    assert entry.data["reason"] == reason
    # Published afterwards, the record is found by the next check.
    dns_zone.failing.clear()
    dns_zone.publish("_mentorat-challenge.univ-a.fr", claim.record_value)
    _check(client_for(cast.admin_a), claim)
    claim.refresh_from_db()
    assert claim.status == "verified"


def test_a_pending_claim_of_b_routes_and_links_nobody_of_a(
    cast, client_for, connection_of_a, admin_b, dns_zone
):
    """B's admin claims A's domain: without A's DNS, B's claim stays unproven; A's
    people are not sent to B's provider, and B's provider cannot sign them in."""
    claim_of_a = services.add_domain(connection=connection_of_a, domain="univ-a.fr")
    dns_zone.publish("_mentorat-challenge.univ-a.fr", claim_of_a.record_value)
    connection_of_b = _oidc(cast.org_b, "Identity of B")
    response = client_for(admin_b).post(
        reverse("sso:domain_add", args=[connection_of_b.pk]), {"domain": "univ-a.fr"}
    )
    assert response.status_code == 302
    claim_of_b = EmailDomain.objects.get(connection=connection_of_b)
    # Each claim has its own token: A's record does not prove B's claim.
    assert claim_of_b.token != claim_of_a.token

    _check(client_for(admin_b), claim_of_b)

    claim_of_b.refresh_from_db()
    assert (claim_of_b.status, claim_of_b.failure) == ("failed", "wrong_value")
    assert selectors.connection_for_email("coordinator@univ-a.fr") is None
    assert not selectors.domain_belongs_to(connection_of_b, "coordinator@univ-a.fr")
    # Nor is A's own claim of any use before it is checked.
    assert not selectors.domain_belongs_to(connection_of_a, "coordinator@univ-a.fr")


def test_a_domain_verified_by_one_organisation_cannot_be_claimed_by_another(
    cast, client_for, connection_of_a, admin_b, dns_zone
):
    connection_of_b = _oidc(cast.org_b, "Identity of B")
    # B claimed first (a squatter cannot keep A out), and even publishes its own record.
    early_claim_of_b = services.add_domain(connection=connection_of_b, domain="univ-a.fr")
    claim_of_a = services.add_domain(connection=connection_of_a, domain="univ-a.fr")
    dns_zone.publish("_mentorat-challenge.univ-a.fr", claim_of_a.record_value)
    _check(client_for(cast.admin_a), claim_of_a)
    claim_of_a.refresh_from_db()
    assert claim_of_a.status == "verified"

    dns_zone.publish("_mentorat-challenge.univ-a.fr", early_claim_of_b.record_value)
    page = _check(client_for(admin_b), early_claim_of_b).content.decode()
    assert "Another organisation has already proven that it controls this domain." in page
    early_claim_of_b.refresh_from_db()
    assert (early_claim_of_b.status, early_claim_of_b.failure) == ("failed", "taken")

    other = _oidc(cast.org_b, "Second connection of B")
    refused = client_for(admin_b).post(
        reverse("sso:domain_add", args=[other.pk]), {"domain": "UNIV-A.fr"}
    )
    assert "univ-a.fr is already signed in through a connection." in refused.content.decode()
    with pytest.raises(DomainError):
        services.approve_domain(email_domain=early_claim_of_b, actor=cast.platform_admin)
    assert list(
        EmailDomain.objects.filter(status=DomainStatus.VERIFIED).values_list("pk", flat=True)
    ) == [claim_of_a.pk]
    assert selectors.connection_for_email("x@univ-a.fr") == connection_of_a


def test_a_platform_admin_approves_a_school_without_dns_access(cast, client_for, connection_of_a):
    claim = services.add_domain(connection=connection_of_a, domain="lycee-a.fr")
    settings_url = reverse("sso:settings", args=[cast.org_a.slug])
    assert (
        "Approve as platform admin"
        not in client_for(cast.admin_a).get(settings_url).content.decode()
    )
    # The organisation's own admin cannot vouch for its domain.
    refused = client_for(cast.admin_a).post(reverse("sso:domain_approve", args=[claim.pk]))
    assert refused.status_code == 403
    claim.refresh_from_db()
    assert claim.status == "pending"

    platform = client_for(cast.platform_admin)
    assert "Approve as platform admin" in platform.get(settings_url).content.decode()
    page = platform.post(reverse("sso:domain_approve", args=[claim.pk]), follow=True)

    assert "Domain approved" in page.content.decode()
    claim.refresh_from_db()
    assert (claim.status, claim.method) == ("verified", "platform_admin")
    entry = AuditEntry.objects.get(action="sso.domain.approved")
    assert (entry.actor, entry.organization) == (cast.platform_admin, cast.org_a)
    assert selectors.connection_for_email("eleve@lycee-a.fr") == connection_of_a


@pytest.mark.django_db(transaction=True)
def test_domains_added_before_verification_existed_must_be_proven_again(cast, connection_of_a):
    """The migration turns domains confirmed by a tick box back into pending claims."""
    executor = MigrationExecutor(db)
    executor.migrate([("sso", "0001_initial")])
    old_apps = executor.loader.project_state([("sso", "0001_initial")]).apps
    OldDomain = old_apps.get_model("sso", "EmailDomain")
    OldDomain.objects.create(
        connection_id=connection_of_a.pk, domain="univ-a.fr", verified_at=timezone.now()
    )
    executor = MigrationExecutor(db)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes("sso"))

    claim = EmailDomain.objects.get(domain="univ-a.fr")
    assert (claim.status, claim.verified_at) == ("pending", None)
    assert len(claim.token) == 32
    assert selectors.connection_for_email("ada@univ-a.fr") is None


def test_a_platform_admin_is_needed_for_the_other_users_too(cast, client_for, connection_of_a):
    claim = services.add_domain(connection=connection_of_a, domain="univ-a.fr")
    outsider = UserFactory()
    response = client_for(outsider).post(reverse("sso:domain_approve", args=[claim.pk]))
    assert response.status_code == 404
