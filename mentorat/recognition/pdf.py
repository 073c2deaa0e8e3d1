"""The attestation as a PDF (weasyprint), with its verification address as a QR code
(segno, SVG)."""

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from weasyprint import HTML

from mentorat.recognition.models import Attestation


def verification_url(attestation: Attestation) -> str:
    path = reverse("recognition:verify", kwargs={"public_id": attestation.public_id})
    return settings.SITE_URL.rstrip("/") + path


def qr_data_uri(url: str) -> str:
    """The address as an SVG QR code, inlined as a data URI."""
    uri: str = segno.make(url, error="m").svg_data_uri(scale=4, border=2)
    return uri


def attestation_pdf(attestation: Attestation) -> bytes:
    """Render the attestation in its own language (chosen when it was issued)."""
    url = verification_url(attestation)
    with translation.override(attestation.language):
        html = render_to_string(
            "recognition/attestation_pdf.html",
            {
                "attestation": attestation,
                "details": attestation.details,
                "url": url,
                "qr": qr_data_uri(url),
            },
        )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
