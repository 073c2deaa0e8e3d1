"""Attestations: the PDF's text (pypdf), its verification page (genuine, revoked, 404),
revocation by the coordinators, the report's figures, and erasure."""

import io
import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from pypdf import PdfReader

from mentorat.lib.errors import DomainError
from mentorat.privacy.erasure.services import erase_person
from mentorat.programs.models import Program
from mentorat.recognition.models import Attestation, AttestationKind
from mentorat.recognition.selectors import recognition_report
from mentorat.recognition.services import issue_attestation
from tests.recognition.factories import complete_module, mentor_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def _pdf_text(response) -> str:
    content = b"".join(response.streaming_content)
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def _ask(client, world, kind: str, language: str) -> Attestation:
    response = client.post(
        reverse("recognition:attestation_create"),
        {"kind": kind, "organization": world.organization.pk, "language": language},
        follow=True,
    )
    assert response.status_code == 200
    return Attestation.objects.filter(holder=world.mentor).latest("issued_at")


def test_an_engagement_attestation_in_french_states_hours_period_program_and_signatory(client_for):
    world = mentor_world()
    mentor = client_for(world.mentor)
    attestation = _ask(mentor, world, AttestationKind.ENGAGEMENT, "fr")

    text = _pdf_text(
        mentor.get(reverse("recognition:attestation_pdf", args=[attestation.public_id]))
    )
    # (The French wording comes with the catalogue; the figures follow the language.)
    assert "Claire Martin" in text
    assert "Sophie Durand" in text  # the organisation's coordinator signs
    assert "Université Rhône" in text
    assert "Cap Emploi" in text
    assert "2,5" in text  # French number
    verification = reverse("recognition:verify", args=[attestation.public_id])
    assert verification in text.replace(" ", "")


def test_a_training_attestation_in_english_lists_the_modules(client_for):
    world = mentor_world()
    complete_module(world.mentor, "Active listening", organization=world.organization)
    mentor = client_for(world.mentor)
    attestation = _ask(mentor, world, AttestationKind.TRAINING, "en")
    text = _pdf_text(
        mentor.get(reverse("recognition:attestation_pdf", args=[attestation.public_id]))
    )
    assert "Attestation of completed training" in text
    assert "Active listening" in text


def test_nothing_to_attest_is_said_clearly(client_for):
    world = mentor_world()
    response = client_for(world.mentor).post(
        reverse("recognition:attestation_create"),
        {"kind": AttestationKind.TRAINING, "organization": world.organization.pk, "language": "en"},
        follow=True,
    )
    assert "There is no completed training module to attest yet." in response.content.decode()
    assert not Attestation.objects.exists()


def test_the_public_page_says_genuine_then_revoked_and_404_for_unknown_ids(client, client_for):
    world = mentor_world()
    attestation = _ask(client_for(world.mentor), world, AttestationKind.ENGAGEMENT, "en")
    url = reverse("recognition:verify", args=[attestation.public_id])

    client.logout()
    page = client.get(url).content.decode()
    assert "Genuine" in page
    assert "Claire Martin" in page
    assert "Cap Emploi" in page
    # Nothing the attestation does not show: no address, no mentee.
    assert world.mentor.email not in page
    assert "Petit" not in page

    tampered = attestation.public_id[:-1] + ("A" if attestation.public_id[-1] != "A" else "B")
    assert client.get(reverse("recognition:verify", args=[tampered])).status_code == 404
    assert client.get(reverse("recognition:verify", args=["unknown"])).status_code == 404

    # The holder cannot revoke; the coordinator can.
    revoke = reverse("recognition:attestation_revoke", args=[attestation.public_id])
    assert client_for(world.mentor).post(revoke).status_code == 403
    client_for(world.coordinator).post(revoke)
    client.logout()
    page = client.get(url).content.decode()
    assert "Revoked" in page
    assert "Genuine" not in page


def test_the_report_counts_hours_attestations_and_awards(client_for):
    world = mentor_world()
    _ask(client_for(world.mentor), world, AttestationKind.ENGAGEMENT, "fr")
    rows = recognition_report(Program.objects.filter(pk=world.program.pk))
    assert [(r.hours, r.attestations, r.awards) for r in rows] == [(2.5, 1, 0)]


def test_erasing_the_holder_deletes_the_attestation_and_its_file(
    client_for, django_capture_on_commit_callbacks
):
    world = mentor_world()
    attestation = _ask(client_for(world.mentor), world, AttestationKind.ENGAGEMENT, "fr")
    storage, name = attestation.file.storage, attestation.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        erase_person(person=world.mentor, actor=None, reason="request")
    assert not Attestation.objects.exists()
    assert not storage.exists(name)
    response = client_for(None).get(reverse("recognition:verify", args=[attestation.public_id]))
    assert response.status_code == 404


def test_an_organisation_without_coordinator_cannot_sign():
    world = mentor_world()
    world.coordinator.memberships.all().delete()
    with pytest.raises(DomainError, match="no coordinator or admin"):
        issue_attestation(
            holder=world.mentor,
            kind=AttestationKind.ENGAGEMENT,
            organization=world.organization,
            language="en",
            actor=world.mentor,
        )


def test_the_report_include_shows_the_figures_per_program(client_for):
    world = mentor_world()
    _ask(client_for(world.mentor), world, AttestationKind.ENGAGEMENT, "en")
    html = Template("{% load recognition_tags %}{% recognition_report programs %}").render(
        Context({"programs": Program.objects.filter(pk=world.program.pk)})
    )
    assert "Hours recognised" in html
    assert "<td>Cap Emploi</td><td>2.5</td><td>1</td><td>0</td>" in html
