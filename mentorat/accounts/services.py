from django.db import transaction
from django.utils import timezone

from mentorat.accounts.models import User
from mentorat.audit.services import record
from mentorat.legal.models import LegalPageKind
from mentorat.legal.selectors import current_version


@transaction.atomic
def accept_privacy_notice(*, user: User) -> None:
    """Record that `user` accepted the privacy notice currently published."""
    notice = current_version(kind=LegalPageKind.PRIVACY)
    user.privacy_notice_version = notice
    user.privacy_notice_accepted_at = timezone.now()
    user.save(update_fields=["privacy_notice_version", "privacy_notice_accepted_at"])
    record(
        action="accounts.privacy_notice.accepted",
        actor=user,
        data={"version": notice.version if notice else None},
    )


def set_language(*, user: User, language: str) -> None:
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
