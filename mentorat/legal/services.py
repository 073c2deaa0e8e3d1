from django.db import transaction
from django.db.models import Max

from mentorat.accounts.models import User
from mentorat.audit.services import record
from mentorat.legal.models import LegalPageKind, LegalPageVersion


@transaction.atomic
def publish_legal_page(
    *,
    kind: LegalPageKind | str,
    title_fr: str,
    title_en: str,
    body_fr: str,
    body_en: str,
    published_by: User | None = None,
) -> LegalPageVersion:
    """Publish a new version of a legal page; earlier versions stay as they were."""
    # Lock the existing rows so two admins publishing at once get distinct numbers.
    current = (
        LegalPageVersion.objects.select_for_update()
        .filter(kind=kind)
        .aggregate(latest=Max("version"))["latest"]
    )
    page = LegalPageVersion.objects.create(
        kind=kind,
        version=(current or 0) + 1,
        title_fr=title_fr,
        title_en=title_en,
        body_fr=body_fr,
        body_en=body_en,
        published_by=published_by,
    )
    record(action="legal.page.published", actor=published_by, target=page)
    return page
