"""Open Badges 3.0: a credential checked by independent verifiers (openbadgeslib's
OB3Verifier, and jwcrypto) with the public key and the status list fetched over real
HTTP from the live server, then revoked and refused; the baked badge image; the
signing task run twice; erasure revokes."""

import json
import urllib.request

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from django.test import Client
from django.urls import reverse
from jwcrypto import jwk as jwcrypto_jwk
from jwcrypto import jws as jwcrypto_jws
from openbadgeslib import baking
from openbadgeslib.ob3.status import decode_encoded_list, set_indices
from openbadgeslib.ob3.verifier import OB3VerificationError, OB3Verifier

from mentorat.privacy.erasure.services import erase_person
from mentorat.recognition.models import Credential
from mentorat.recognition.tasks import issue_credential
from mentorat.training.signals import module_completed
from tests.recognition.factories import complete_module, mentor_world


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - the live server
        body: bytes = response.read()
        return body


@pytest.fixture
def live_site(live_server, settings, transactional_db):
    settings.SITE_URL = live_server.url
    return live_server.url


def test_a_badge_is_verified_independently_then_revoked_and_refused(
    live_site, django_capture_on_commit_callbacks
):
    world = mentor_world()
    with django_capture_on_commit_callbacks(execute=True):
        complete_module(world.mentor, "Écoute active", organization=world.organization)
    credential = Credential.objects.get(holder=world.mentor)
    slug = world.organization.slug

    # The holder downloads the credential file.
    holder = Client()
    holder.force_login(world.mentor, backend="django.contrib.auth.backends.ModelBackend")
    token = holder.get(reverse("recognition:credential_jwt", args=[credential.public_id]))
    token = token.content.decode()

    # A verifier fetches the organisation's published key over HTTP.
    jwks = json.loads(_get(live_site + reverse("recognition:jwks", args=[slug])))
    header = jwt.get_unverified_header(token)
    published = next(k for k in jwks["keys"] if k["kid"] == header["kid"])
    did = json.loads(_get(live_site + reverse("recognition:did_document", args=[slug])))
    assert did["verificationMethod"][0]["id"] == header["kid"]

    # jwcrypto checks the signature with the published key.
    signed = jwcrypto_jws.JWS()
    signed.deserialize(token)
    signed.verify(jwcrypto_jwk.JWK(**published))
    assert json.loads(signed.payload)["credentialSubject"]["achievement"]["name"] == "Écoute active"

    # openbadgeslib verifies the Open Badge, its status list (signature included) fetched
    # over HTTP.
    public_pem = jwt.PyJWK(published).key.public_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PublicFormat.SubjectPublicKeyInfo,
    )
    verifier = OB3Verifier(pubkey_pem=public_pem)
    verified = verifier.verify(token, check_status=True, download=_get)
    assert verified.achievement.name == "Écoute active"
    assert verified.issuer.name == world.organization.name

    # The coordinator revokes it: the same verification now fails.
    coordinator = Client()
    coordinator.force_login(world.coordinator, backend="django.contrib.auth.backends.ModelBackend")
    coordinator.post(reverse("recognition:credential_revoke", args=[credential.public_id]))
    with pytest.raises(OB3VerificationError, match="revocation"):
        verifier.verify(token, check_status=True, download=_get)

    # A token signed by another key is refused too.
    other = jwt.encode({"x": 1}, "secret", algorithm="HS256")
    with pytest.raises(OB3VerificationError):
        verifier.verify(other)


@pytest.mark.django_db
def test_the_baked_svg_carries_the_credential(client_for, django_capture_on_commit_callbacks):
    world = mentor_world()
    with django_capture_on_commit_callbacks(execute=True):
        complete_module(world.mentor, "Donner du feedback")
    credential = Credential.objects.get(holder=world.mentor)
    response = client_for(world.mentor).get(
        reverse("recognition:credential_svg", args=[credential.public_id])
    )
    assert response["Content-Type"] == "image/svg+xml"
    baked = baking.extract_svg(response.content, element=baking.SVG_ELEMENT_OB3)
    assert baked == credential.token


@pytest.mark.django_db
def test_signing_twice_changes_nothing_and_a_repeated_signal_issues_one_badge(
    django_capture_on_commit_callbacks,
):
    world = mentor_world()
    with django_capture_on_commit_callbacks(execute=True):
        module = complete_module(world.mentor, "Fixer des objectifs")
    credential = Credential.objects.get(holder=world.mentor)
    token = credential.token
    issue_credential.call(credential.pk)
    credential.refresh_from_db()
    assert credential.token == token

    with django_capture_on_commit_callbacks(execute=True):
        module_completed.send(
            sender=None,
            user_id=world.mentor.pk,
            module_id=module.pk,
            completed_at=credential.earned_at,
        )
    assert Credential.objects.filter(holder=world.mentor).count() == 1


@pytest.mark.django_db
def test_an_unsigned_credential_left_by_a_dead_worker_is_signed_on_retry(
    django_capture_on_commit_callbacks,
):
    world = mentor_world()
    # The worker died before signing: the row exists, without a token.
    complete_module(world.mentor, "Gérer un conflit", organization=world.organization)
    credential = Credential.objects.get(holder=world.mentor)
    assert credential.token == ""
    issue_credential.call(credential.pk)
    credential.refresh_from_db()
    assert credential.token.count(".") == 2


@pytest.mark.django_db
def test_erasing_the_holder_sets_the_badges_bit_in_the_status_list(
    client_for, django_capture_on_commit_callbacks
):
    world = mentor_world()
    with django_capture_on_commit_callbacks(execute=True):
        complete_module(world.mentor, "Biais et stéréotypes", organization=world.organization)
    credential = Credential.objects.get(holder=world.mentor)
    index = credential.status_index

    def revoked_bits() -> set[int]:
        token = (
            client_for(None)
            .get(reverse("recognition:status_list", args=[world.organization.slug]))
            .content.decode()
        )
        subject = jwt.decode(token, options={"verify_signature": False})["credentialSubject"]
        return set(set_indices(decode_encoded_list(subject["encodedList"])))

    assert index not in revoked_bits()
    erase_person(person=world.mentor, actor=None, reason="request")
    assert not Credential.objects.exists()
    assert index in revoked_bits()
