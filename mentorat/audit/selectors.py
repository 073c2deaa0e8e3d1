from django.db.models import QuerySet

from mentorat.audit.models import AuditEntry
from mentorat.organizations.models import Organization


def entries_for_organization(*, organization: Organization) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(organization=organization).select_related("actor")
