"""QR codes of registrations (segno: pure Python, SVG and PNG without Pillow)."""

import io

import segno


def qr_svg(data: str) -> str:
    """An inline SVG of `data`'s QR code, for a page."""
    buffer = io.BytesIO()
    segno.make(data, error="m").save(
        buffer, kind="svg", scale=6, border=2, xmldecl=False, svgns=True, title=None
    )
    return buffer.getvalue().decode()


def qr_png(data: str) -> bytes:
    """A PNG of `data`'s QR code, attached to an email."""
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()
