"""Uploaded pictures checked and made into renditions, with Pillow.

An upload is opened by its content, never by its name: only JPEG, PNG, WebP and
GIF are read (an SVG or an HTML page named ``.png`` is refused), and its pixel
count is read from the header before any decoding, so a decompression bomb is
refused without being unpacked. What is kept is re-encoded from the pixels:
EXIF (camera, GPS position) and other metadata are left behind.

Renditions: each width of ``WIDTHS`` narrower than the picture, and the picture's
own width when it is narrower than the largest, in WebP and in the upload's
own kind (PNG for charts and drawings, JPEG for photographs).
"""

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
#: 30 megapixels: a 6,000 × 5,000 picture. A 40-megapixel upload is refused.
MAX_PIXELS = 30_000_000
WIDTHS = (480, 960, 1600)
READABLE = ("JPEG", "PNG", "WEBP", "GIF")
#: The kind of the fallback rendition for each kind of upload.
FALLBACK = {"JPEG": "JPEG", "PNG": "PNG", "GIF": "PNG", "WEBP": "PNG"}
EXTENSION = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MIME = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


@dataclass
class Rendition:
    name: str  # e.g. ``w960-1a2b3c4d.webp``
    width: int
    height: int
    size: int
    data: bytes

    def as_dict(self):
        return {"name": self.name, "width": self.width, "height": self.height, "size": self.size}


def _looks_like_svg(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return b"<svg" in text[:1024] or (text.startswith(b"<?xml") and b"svg" in text[:2048])


def open_checked(upload) -> Image.Image:
    """The upload as a Pillow image whose pixels are loaded, or ``ValidationError``.

    ``upload`` is a file object (an ``UploadedFile`` or any binary file).
    """
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size > MAX_BYTES:
        raise ValidationError(
            _("图片文件太大（%(size)s），上限为 %(limit)s。"),
            code="too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(MAX_BYTES)},
        )
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    if _looks_like_svg(head):
        raise ValidationError(
            _("不接受 SVG 图片（其中可含脚本）；请导出为 PNG 后上传。"), code="svg"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload, formats=READABLE)
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _(
                        "图片像素过多（%(width)s × %(height)s），上限为 %(limit)s 百万像素；"
                        "请缩小后再上传。"
                    ),
                    code="too_many_pixels",
                    params={"width": width, "height": height, "limit": MAX_PIXELS // 1_000_000},
                )
            if image.format == "JPEG":
                # Decode a large photograph at a fraction of its size: it is never shown
                # wider than the largest rendition, whichever way EXIF turns it.
                image.draft("RGB", (WIDTHS[-1], WIDTHS[-1]))
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("图片像素过多，上限为 %(limit)s 百万像素；请缩小后再上传。"),
            code="too_many_pixels",
            params={"limit": MAX_PIXELS // 1_000_000},
        ) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ValidationError(
            _("这不是可以识别的图片；请上传 JPEG、PNG 或 WebP 格式的图片。"), code="not_image"
        ) from None
    return image


def _pixels(image: Image.Image) -> Image.Image:
    """The picture upright (EXIF orientation applied) in RGB or RGBA, without metadata."""
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    clean = image.convert("RGBA" if has_alpha else "RGB")
    clean.info = {}
    return clean


def _encode(image: Image.Image, kind: str) -> bytes:
    out = io.BytesIO()
    if kind == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=82, optimize=True, progressive=True)
    elif kind == "WEBP":
        image.save(out, "WEBP", quality=80, method=4)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _scaled(image: Image.Image, width: int) -> Image.Image:
    if image.width == width:
        return image
    height = max(1, round(image.height * width / image.width))
    # Shrink by a whole factor first (fast), then finely: the same result, far quicker.
    return image.resize((width, height), Image.LANCZOS, reducing_gap=3.0)


def make_renditions(image: Image.Image) -> tuple[str, list[Rendition]]:
    """``(fallback extension, renditions)`` of an image from ``open_checked``."""
    fallback = FALLBACK[image.format or "PNG"]
    pixels = _pixels(image)
    largest = _scaled(pixels, min(pixels.width, WIDTHS[-1]))
    widths = sorted({w for w in WIDTHS if w < largest.width} | {largest.width})
    digest = hashlib.sha256(largest.tobytes()).hexdigest()[:10]
    renditions = []
    for target in widths:
        scaled = _scaled(largest, target)
        for kind in ("WEBP", fallback):
            data = _encode(scaled, kind)
            ext = EXTENSION[kind]
            renditions.append(
                Rendition(f"w{target}-{digest}.{ext}", scaled.width, scaled.height, len(data), data)
            )
    return EXTENSION[fallback], renditions
