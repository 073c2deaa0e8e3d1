from django.db.models import QuerySet

from mentorat.api.models import ApiKey
from mentorat.organizations.models import Organization


def keys_of(*, organization: Organization) -> QuerySet[ApiKey]:
    return ApiKey.objects.filter(organization=organization).select_related("created_by")
