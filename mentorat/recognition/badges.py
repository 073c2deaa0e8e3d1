"""Open Badges 3.0 with openbadgeslib: the credential document, its JWT-VC signature
(EdDSA, pyjwt), the organisation's revocation list (Bitstring Status List), its
did:web document and JWKS, and the baked SVG badge (ADR 0011).

Addresses are absolute, from `SITE_URL`: the issuer is `did:web:<host>:credentials:
issuers:<slug>`, whose document is served at `/credentials/issuers/<slug>/did.json`."""

import secrets
from datetime import timedelta
from typing import Any
from urllib.parse import quote, urlsplit

import jwt
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from openbadgeslib import baking
from openbadgeslib.ob3.credential import Achievement, IdentityObject, Issuer, OpenBadgeCredential
from openbadgeslib.ob3.did import build_did_document
from openbadgeslib.ob3.status_list import (
    build_status_list_credential,
    sign_status_list_credential,
    status_entry,
)

from mentorat.organizations.models import Organization
from mentorat.recognition.keys import issuer_key_for, private_key_of, private_pem_of
from mentorat.recognition.models import Credential, IssuerKey

STATUS_PURPOSE = "revocation"
# The list is signed for a day; it is signed afresh at each request (no stale copy).
STATUS_LIST_VALIDITY = timedelta(days=1)
# 16 KiB, the spec's minimum size: the population of the list hides in it.
STATUS_LIST_BITS = 131072


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def issuer_did(organization: Organization) -> str:
    """did:web of the organisation as issuer (the host keeps its port, percent-encoded)."""
    parts = urlsplit(settings.SITE_URL)
    authority = parts.hostname or "localhost"
    if parts.port:
        authority += f":{parts.port}"
    return f"did:web:{quote(authority, safe='')}:credentials:issuers:{organization.slug}"


def key_id(organization: Organization, key: IssuerKey) -> str:
    return f"{issuer_did(organization)}#{key.kid}"


def status_list_url(organization: Organization) -> str:
    return _absolute(reverse("recognition:status_list", kwargs={"slug": organization.slug}))


def published_jwk(organization: Organization, key: IssuerKey) -> dict[str, Any]:
    return {**key.public_jwk, "kid": key_id(organization, key), "use": "sig", "alg": "EdDSA"}


def jwks(organization: Organization, key: IssuerKey) -> dict[str, Any]:
    return {"keys": [published_jwk(organization, key)]}


def did_document(organization: Organization, key: IssuerKey) -> dict[str, Any]:
    return build_did_document(issuer_did(organization), [(key.kid, dict(key.public_jwk))])


def achievement_id(credential: Credential) -> str:
    """The same for every holder of the same module or recognition."""
    subject = credential.module_id if credential.award_id is None else credential.award_id
    if credential.award is not None:
        subject = credential.award.recognition_id
    return f"urn:mentorat:{credential.organization.slug}:{credential.kind}:{subject}"


def _document(credential: Credential) -> OpenBadgeCredential:
    organization = credential.organization
    return OpenBadgeCredential(
        id=f"urn:uuid:{credential.public_id}",
        issuer=Issuer(id=issuer_did(organization), name=organization.name, url=settings.SITE_URL),
        # The holder is named by a salted hash of their address, not the address itself.
        recipient_id=None,
        identifiers=[IdentityObject.create(credential.holder.email, salt=secrets.token_hex(8))],
        achievement=Achievement(
            id=achievement_id(credential),
            name=credential.achievement_name,
            description=credential.achievement_description or credential.achievement_name,
            criteria_narrative=credential.get_kind_display(),
            achievement_type="Achievement",
        ),
        issuance_date=credential.earned_at,
        credential_status=[
            status_entry(status_list_url(organization), STATUS_PURPOSE, credential.status_index)
        ],
    )


def sign(credential: Credential) -> str:
    """The credential as a compact JWT-VC signed with its organisation's key; the header
    names the key (`kid`, in the did:web document and the JWKS) and carries it (`jwk`)."""
    key = issuer_key_for(credential.organization)
    payload = _document(credential).to_jwt_payload()
    return jwt.encode(
        payload,
        private_key_of(key),
        algorithm="EdDSA",
        headers={"kid": key_id(credential.organization, key), "jwk": dict(key.public_jwk)},
    )


def revoked_indices(organization: Organization, key: IssuerKey) -> set[int]:
    """Bits set in the list: revoked credentials, and bits no credential holds any
    more (deleted with an erased person's data): nothing ever un-revokes."""
    live = set(
        Credential.objects.filter(organization=organization, revoked_at__isnull=True).values_list(
            "status_index", flat=True
        )
    )
    return set(range(key.next_status_index)) - live


def status_list_token(organization: Organization, key: IssuerKey) -> str:
    """The organisation's revocation list, a signed BitstringStatusListCredential."""
    now = timezone.now()
    document = build_status_list_credential(
        issuer_did(organization),
        status_list_url(organization),
        STATUS_PURPOSE,
        revoked_indices(organization, key),
        size_bits=STATUS_LIST_BITS,
        issued=now,
        valid_until=now + STATUS_LIST_VALIDITY,
    )
    return sign_status_list_credential(document, private_pem_of(key), "EdDSA")


def baked_svg(credential: Credential) -> bytes:
    """The badge image with the signed credential baked in (OB 3.0 SVG baking)."""
    image = render_to_string(
        "recognition/badge.svg",
        {"name": credential.achievement_name, "issuer": credential.organization.name},
    ).encode()
    return baking.bake_svg(
        image, credential.token, element=baking.SVG_ELEMENT_OB3, namespace=baking.SVG_NS_OB3
    )
