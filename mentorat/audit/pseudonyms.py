"""Pseudonyms of accounts in the security log (see `SecurityEvent` for why).

`pseudonym_for` is an HMAC-SHA256 of the user id under a key derived from `SECRET_KEY`
(Django's `salted_hmac`, with a salt of its own so the key serves nothing else). Without
the secret key nobody can link a pseudonym to an id; with it, a platform admin can, on
purpose, through `identify` (the `security_pseudonym` command).
"""

from collections.abc import Iterator

from django.conf import settings
from django.utils.crypto import salted_hmac

from mentorat.accounts.models import User

# Frozen: changing it changes every pseudonym (the data migration 0003 holds a copy).
_SALT = "mentorat.audit.SecurityEvent.user_pseudonym"
LENGTH = 32  # hex digits: 128 bits, no collision at any realistic number of accounts


def pseudonym_for(user_id: int, *, secret: str | bytes | None = None) -> str:
    """The pseudonym of account `user_id` under `secret` (default: `SECRET_KEY`)."""
    digest = salted_hmac(_SALT, str(user_id), secret=secret, algorithm="sha256")
    return digest.hexdigest()[:LENGTH]


def _secrets() -> list[str | bytes]:
    return [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]


def pseudonyms_of(user_id: int) -> list[str]:
    """The account's pseudonym under the current key and each fallback key (events
    written before a key rotation carry the old one)."""
    return [pseudonym_for(user_id, secret=secret) for secret in _secrets()]


def identify(pseudonym: str) -> User | None:
    """The account behind `pseudonym`, or None (unknown, deleted account, or a key no
    longer configured). Recomputes the HMAC of every user id: a deliberate, slow act."""
    wanted = pseudonym.strip().lower()
    for user_id in _user_ids():
        if wanted in pseudonyms_of(user_id):
            return User.objects.get(pk=user_id)
    return None


def _user_ids() -> Iterator[int]:
    yield from User.objects.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=5000)
