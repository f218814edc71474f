"""The PDF of a published note, typeset by Typst (the ``typst`` package, which
brings the compiler in its wheel: no system library is needed).

A note's PDF is made on the first request for the note as it is now and kept
in the private storage (no URL serves it; the view hands it out while the note
is published) under a digest of everything printed on it (text, byline,
corrections, the template), so any change that shows makes a new file and the
old one is deleted; app servers sharing that storage share the file. Chinese needs a CJK
font on the machine (Debian: ``fonts-noto-cjk``; or a folder named in
``PDF_FONT_DIRS``): without one, :class:`PdfUnavailable` says so.
"""

import hashlib
import json
import logging
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import translation
from django.utils.translation import gettext as _

from notes.citations import reference_of_note
from notes.models import private_storage
from notes.pdf.document import note_document

logger = logging.getLogger(__name__)

TEMPLATE = Path(__file__).with_name("note.typ")
#: Bump when document.py changes what is printed, so cached files are made anew.
LAYOUT = 1
#: Font families for body text and for headings, in order of preference; the
#: template gets those installed. Libertinus Serif comes with Typst.
SERIF = (
    {"name": "Libertinus Serif", "covers": "latin-in-cjk"},
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
)
SANS = ("Noto Sans CJK SC", "Source Han Sans SC")
#: One of these must be installed: the headings, and the fallback for body text.
CJK_FAMILIES = SANS
STORAGE_DIR = "notes/pdf"

_fonts = None


class PdfUnavailable(Exception):
    """The PDF cannot be made on this machine; the message says why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def fonts():
    """The fonts Typst may use (the system's and ``PDF_FONT_DIRS``), found once per process."""
    global _fonts
    if _fonts is None:
        import typst

        _fonts = typst.Fonts(
            include_system_fonts=True,
            include_embedded_fonts=True,
            font_paths=[str(path) for path in settings.PDF_FONT_DIRS],
        )
    return _fonts


def missing_fonts_message() -> str | None:
    """Why PDFs cannot be made here, or ``None`` when the fonts they need are installed."""
    families = set(fonts().families())
    if any(family in families for family in CJK_FAMILIES):
        return None
    return _(
        "服务器上没有中文字体（%(families)s），无法生成 PDF。"
        "Debian/Ubuntu 上请安装 fonts-noto-cjk，或在 PDF_FONT_DIRS 中指定字体所在的文件夹。"
    ) % {"families": "、".join(CJK_FAMILIES)}


def font_stacks() -> dict:
    """The font families of ``SERIF`` and ``SANS`` that are installed."""
    installed = {family.lower() for family in fonts().families()}

    def stack(families):
        return [
            family
            for family in families
            if (family["name"] if isinstance(family, dict) else family).lower() in installed
        ]

    return {"serif": stack(SERIF), "sans": stack(SANS)}


def render(document: dict) -> bytes:
    """Typeset ``document`` (see ``document.py``) as PDF bytes."""
    message = missing_fonts_message()
    if message:
        raise PdfUnavailable(message)
    import typst

    pdf, warnings = typst.compile_with_warnings(
        str(TEMPLATE),
        root=str(TEMPLATE.parent),
        font_paths=fonts(),
        sys_inputs={"data": json.dumps(document, ensure_ascii=False)},
    )
    for warning in warnings:
        logger.info("Typst: %s", getattr(warning, "message", warning))
    return pdf


def digest_of(document: dict) -> str:
    source = json.dumps(document, ensure_ascii=False, sort_keys=True).encode()
    hasher = hashlib.sha256(source)
    hasher.update(TEMPLATE.read_bytes())
    hasher.update(str(LAYOUT).encode())
    return hasher.hexdigest()[:32]


def document_for(note) -> dict:
    """The data of ``note``'s PDF. It is the same whatever the reader's language (the
    note's own decides addresses and labels), so a note has one PDF at a time."""
    with translation.override("en" if note.language == "en" else settings.LANGUAGE_CODE):
        document = note_document(
            note,
            authorships=list(note.authorships.select_related("author").order_by("position")),
            sections=list(note.sections.order_by("position")),
            corrections=list(note.corrections.order_by("number")),
            reference=reference_of_note(note),
            figures=list(note.figures.all()),
        )
    document["fonts"] = font_stacks()
    return document


def note_pdf(note) -> tuple[bytes, str]:
    """``(PDF bytes, digest)`` of ``note`` as it is now: from storage, or made and stored."""
    document = document_for(note)
    digest = digest_of(document)
    storage = private_storage()
    folder = f"{STORAGE_DIR}/{note.pk}"
    name = f"{folder}/{digest}.pdf"
    if storage.exists(name):
        with storage.open(name, "rb") as handle:
            return handle.read(), digest
    pdf = render(document)
    saved = storage.save(name, ContentFile(pdf))
    if saved != name:  # another server stored the same file meanwhile
        storage.delete(saved)
    _, files = storage.listdir(folder)
    for other in files:
        if other != f"{digest}.pdf":
            storage.delete(f"{folder}/{other}")
    return pdf, digest
