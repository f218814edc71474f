"""QR codes of a note's address, drawn on the server as SVG (no script, no third party)."""

import segno


def qr_svg(url: str, *, scale: int = 3) -> str:
    """An inline SVG QR code of ``url``: black on white, sized by its ``viewBox``."""
    code = segno.make(url, error="m", micro=False)
    return code.svg_inline(
        scale=scale, border=2, dark="#000", light="#fff", omitsize=True, svgclass="qr-code"
    )
