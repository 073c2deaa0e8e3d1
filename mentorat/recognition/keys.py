"""Each organisation's Ed25519 signing key, kept server-side and encrypted at rest.

The private key is stored as PKCS#8 encrypted with a passphrase derived (HKDF-SHA256)
from `SECRET_KEY`: a copy of the database alone cannot sign badges. Changing
`SECRET_KEY` makes existing keys unreadable (new keys would have to be published)."""

import json
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import transaction
from jwt.algorithms import OKPAlgorithm

from mentorat.organizations.models import Organization
from mentorat.recognition.models import IssuerKey


def _passphrase() -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"mentorat-issuer-keys", info=b"ed25519"
    ).derive(settings.SECRET_KEY.encode())


def public_jwk_of(private_key: Ed25519PrivateKey) -> dict[str, Any]:
    jwk: dict[str, Any] = json.loads(OKPAlgorithm.to_jwk(private_key.public_key()))
    return jwk


@transaction.atomic
def issuer_key_for(organization: Organization) -> IssuerKey:
    """The organisation's key, generated on first use (one per organisation, even when
    two workers ask at once: the unique organisation decides)."""
    found = IssuerKey.objects.select_for_update().filter(organization=organization).first()
    if found is not None:
        return found
    private_key = Ed25519PrivateKey.generate()
    encrypted = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(_passphrase()),
    )
    jwk = public_jwk_of(private_key)
    key, _created = IssuerKey.objects.get_or_create(
        organization=organization,
        defaults={"public_jwk": jwk, "private_key_encrypted": encrypted, "kid": "key-1"},
    )
    return IssuerKey.objects.select_for_update().get(pk=key.pk)


def private_key_of(key: IssuerKey) -> Ed25519PrivateKey:
    loaded = serialization.load_pem_private_key(
        bytes(key.private_key_encrypted), password=_passphrase()
    )
    assert isinstance(loaded, Ed25519PrivateKey)
    return loaded


def private_pem_of(key: IssuerKey) -> bytes:
    """The decrypted PEM, for the signing library (kept in memory only)."""
    return private_key_of(key).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
