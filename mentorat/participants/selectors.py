"""Reads about people's own data."""

from dataclasses import dataclass
from datetime import datetime

from mentorat.accounts.models import User
from mentorat.participants.consent_texts import ConsentText, text_for
from mentorat.participants.models import SensitiveDataConsent, SensitiveDataKind


@dataclass(frozen=True)
class ConsentRecord:
    """One consent to sensitive data, as a person reads it: what, which text, when."""

    pk: int
    kind: str
    kind_label: str
    text_version: str
    text: ConsentText | None  # None only for a version this code no longer knows
    given_at: datetime
    withdrawn_at: datetime | None

    @property
    def is_active(self) -> bool:
        """Given and not withdrawn."""
        return self.withdrawn_at is None


def consents_for(*, user: User) -> list[ConsentRecord]:
    """Every consent to sensitive data `user` has given, active or withdrawn, newest
    first, with the text of the version they agreed to. One query.

    For the person's own pages (profile, "my data", export); callers check that the
    reader is that person (or an admin handling their request)."""
    labels = dict(SensitiveDataKind.choices)
    return [
        ConsentRecord(
            pk=consent.pk,
            kind=consent.kind,
            kind_label=str(labels.get(consent.kind, consent.kind)),
            text_version=consent.text_version,
            text=text_for(consent.kind, consent.text_version),
            given_at=consent.given_at,
            withdrawn_at=consent.withdrawn_at,
        )
        for consent in SensitiveDataConsent.objects.filter(user=user).order_by("-given_at", "-pk")
    ]
