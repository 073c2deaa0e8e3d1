"""Reads of single sign-on connections and domains."""

from django.db.models import QuerySet

from mentorat.organizations.models import ApprovalStatus, Organization
from mentorat.sso.models import Connection, DomainStatus, EmailDomain


def connections_of(organization: Organization) -> QuerySet[Connection]:
    return (
        Connection.objects.filter(organization=organization)
        .prefetch_related("domains")
        .order_by("name", "pk")
    )


def active_connections() -> QuerySet[Connection]:
    """Connections people may sign in with: enabled, of an approved organisation."""
    return Connection.objects.filter(
        enabled=True, organization__approval_status=ApprovalStatus.APPROVED
    ).select_related("organization")


def connection_by_key(key: str) -> Connection | None:
    return active_connections().filter(key=key).first()


def email_domain(email: str) -> str:
    """The domain of `email`, lower case ('' when there is none)."""
    _local, at, domain = email.strip().rpartition("@")
    return domain.lower().rstrip(".") if at else ""


def connection_for_email(email: str) -> Connection | None:
    """The connection that signs in `email`, if its domain is one an organisation has
    proven it controls (a pending claim routes nobody)."""
    domain = email_domain(email)
    if not domain:
        return None
    return (
        active_connections()
        .filter(domains__domain=domain, domains__status=DomainStatus.VERIFIED)
        .first()
    )


def domain_belongs_to(connection: Connection, email: str) -> bool:
    """Whether `connection`'s organisation has proven it controls the domain of
    `email`: only then may its provider sign in, or link an account with, that address."""
    domain = email_domain(email)
    return (
        bool(domain)
        and EmailDomain.objects.filter(
            connection__organization_id=connection.organization_id,
            domain=domain,
            status=DomainStatus.VERIFIED,
        ).exists()
    )


def pending_domains() -> QuerySet[EmailDomain]:
    """Claims not proven yet, of every organisation: what platform admins may approve."""
    return (
        EmailDomain.objects.exclude(status=DomainStatus.VERIFIED)
        .select_related("connection__organization")
        .order_by("domain", "pk")
    )
