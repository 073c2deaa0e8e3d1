"""The agreement of a partnership as a PDF document (weasyprint), as both sides keep it."""

from django.template.loader import render_to_string
from weasyprint import HTML

from mentorat.partnerships.selectors import AgreementProgress


def agreement_pdf(progress: AgreementProgress) -> bytes:
    """Render the agreement (parties, period, commitments, terms, signatures) in the
    active language."""
    html = render_to_string(
        "partnerships/agreement_pdf.html",
        {
            "agreement": progress.agreement,
            "partnership": progress.agreement.partnership,
            "sides": progress.sides,
        },
    )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
