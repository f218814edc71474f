"""QR codes of a note's address, drawn on the server as SVG (no script, no third party)."""

import hashlib
import logging

import segno
from django.core.cache import cache

logger = logging.getLogger(__name__)


def qr_svg(url: str, *, scale: int = 3) -> str:
    """An inline SVG QR code of ``url``: black on white, sized by its ``viewBox``.

    Encoding takes about a third of a note page's time, and a code depends on nothing but
    its address, so it is kept in the shared cache for a day.
    """
    key = f"qr:{scale}:{hashlib.sha256(url.encode()).hexdigest()}"
    try:
        svg = cache.get(key)
    except Exception as error:  # the page is still served, its code drawn again
        logger.warning("The cache cannot be reached (%r): drawing the QR code.", error)
        return _draw(url, scale)
    if svg is None:
        svg = _draw(url, scale)
        try:
            cache.set(key, svg, timeout=24 * 3600)
        except Exception as error:
            logger.warning("The cache cannot be written (%r).", error)
    return svg


def _draw(url, scale):
    code = segno.make(url, error="m", micro=False)
    return code.svg_inline(
        scale=scale, border=2, dark="#000", light="#fff", omitsize=True, svgclass="qr-code"
    )
