"""Text out of a brief file: plain text or Markdown, PDF, Word (.docx).

Every reader is bounded: files over ``MAX_FILE_SIZE`` are refused before they
are read, PDFs past ``MAX_PDF_PAGES`` pages are refused, and a .docx is
checked entry by entry (count and real uncompressed size) before python-docx
opens it, so a zip bomb costs at most ``MAX_DOCX_UNCOMPRESSED`` bytes of work.
"""

import io
import re
import zipfile
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from notes.importing.errors import BriefError
from notes.importing.figures import (
    MAX_FIGURES,
    MIN_SIDE,
    ExtractedFigure,
    attach_captions,
    placeholder,
)
from notes.importing.pdf import MAX_PDF_PAGES, Extracted, read_pdf
from notes.importing.text import join_lines

__all__ = ["MAX_PDF_PAGES", "Extracted", "extract", "read_bytes", "read_path"]

MAX_FILE_SIZE = 20 * 1024 * 1024
MAX_DOCX_ENTRIES = 1000
MAX_DOCX_UNCOMPRESSED = 60 * 1024 * 1024
TEXT_EXTENSIONS = {".txt", ".md", ".markdown", ".text"}
EXTENSIONS = (*sorted(TEXT_EXTENSIONS), ".pdf", ".docx")

#: Encodings a brief may come in when it is not UTF-8.
_FALLBACK_ENCODINGS = ["gb18030", "big5", "utf_16", "cp1252"]


def check_size(size: int) -> None:
    if size > MAX_FILE_SIZE:
        raise BriefError(
            _("文件太大（%(size).1f MB），上限为 %(limit)d MB。")
            % {"size": size / 1024 / 1024, "limit": MAX_FILE_SIZE // 1024 // 1024}
        )


def read_path(path: Path) -> Extracted:
    """The text of the brief at ``path`` (and what its reader noticed)."""
    path = Path(path)
    try:
        check_size(path.stat().st_size)
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_SIZE + 1)
    except OSError as error:
        raise BriefError(
            _("无法读取文件：%(error)s") % {"error": error.strerror or error}
        ) from None
    return extract(path.name, data)


def read_bytes(name: str, data: bytes) -> str:
    """The text of a brief named ``name``."""
    return extract(name, data).text


def extract(name: str, data: bytes) -> Extracted:
    """The text of a brief named ``name`` (the extension picks the reader)."""
    check_size(len(data))
    if not data.strip():
        raise BriefError(_("文件是空的。"))
    suffix = Path(name).suffix.lower()
    if suffix in TEXT_EXTENSIONS:
        return Extracted(decode_text(data))
    if suffix == ".pdf":
        return read_pdf(data)
    if suffix == ".docx":
        return read_docx(data)
    if suffix == ".doc":
        raise BriefError(_("不支持旧版 Word（.doc）文件，请另存为 .docx 后再导入。"))
    raise BriefError(
        _("不支持的文件类型“%(suffix)s”，可导入：%(allowed)s。")
        % {"suffix": suffix or name, "allowed": "、".join(EXTENSIONS)}
    )


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def _looks_binary(text: str) -> bool:
    controls = len(_CONTROL.findall(text))
    return "\x00" in text or controls > max(2, len(text) // 200)


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else the likeliest of GB18030, Big5, UTF-16, cp1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = None
        if text is None:
            if b"\x00" in data:
                raise BriefError(_("这不是文本文件（含有二进制内容），请检查文件类型。"))
            from charset_normalizer import from_bytes

            best = from_bytes(data, cp_isolation=_FALLBACK_ENCODINGS).best()
            if best is None or best.chaos > 0.2:
                raise BriefError(_("无法识别文件的文字编码，请另存为 UTF-8 或 GB18030 后再导入。"))
            encoding = "gb18030" if best.encoding in ("gb2312", "gbk", "gb18030") else best.encoding
            text = data.decode(encoding, errors="replace")
    if _looks_binary(text):
        raise BriefError(_("这不是文本文件（含有二进制内容），请检查文件类型。"))
    return text


def _check_zip(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError):
        raise BriefError(_("这不是有效的 Word（.docx）文件。")) from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_DOCX_ENTRIES:
            raise BriefError(_("Word 文件内部条目过多，疑似压缩炸弹，已拒绝。"))
        if sum(entry.file_size for entry in entries) > MAX_DOCX_UNCOMPRESSED:
            raise BriefError(_("Word 文件解压后过大，疑似压缩炸弹，已拒绝。"))
        budget = MAX_DOCX_UNCOMPRESSED
        try:
            for entry in entries:  # the declared sizes may lie: count what really comes out
                with archive.open(entry) as member:
                    while chunk := member.read(1024 * 1024):
                        budget -= len(chunk)
                        if budget < 0:
                            raise BriefError(_("Word 文件解压后过大，疑似压缩炸弹，已拒绝。"))
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError):
            raise BriefError(_("Word 文件已损坏或不完整，无法读取。")) from None


def read_docx(data: bytes) -> Extracted:
    """The paragraphs of a .docx as text; Word heading styles become Markdown headings.

    Paragraphs and tables are read in document order (a box drawn as a one-cell
    table, often the summary, stays where it is; each cell's paragraphs once,
    however many cells a merged cell spans). Style "Title" gives ``# `` (the
    title), "Heading 1" ``## `` (a section), deeper headings ``### `` (a
    sub-heading). Paragraphs are separated by blank lines, so the text parser
    sees one paragraph per block. Page headers and footers are not part of the
    text; their parts (separated by tabs) are kept as furniture, where series
    and type are sometimes printed.
    """
    _check_zip(data)
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    pictures = _Pictures()
    try:
        document = docx.Document(io.BytesIO(data))
        pictures.part = document.part
        blocks = [
            block for item in document.iter_inner_content() for block in _blocks(item, pictures)
        ]
        furniture = _header_parts(document)
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile):
        raise BriefError(_("这不是有效的 Word（.docx）文件。")) from None
    except Exception as error:
        if "lxml" in type(error).__module__ or "docx" in type(error).__module__:
            raise BriefError(_("Word 文件已损坏或不完整，无法读取。")) from None
        raise
    if not blocks:
        raise BriefError(_("Word 文件里没有文字。"))
    blocks, warnings = attach_captions(blocks, pictures.figures)
    return Extracted(
        "\n\n".join(blocks),
        furniture=furniture,
        warnings=[*pictures.warnings, *map(str, warnings)],
        figures=pictures.figures,
    )


class _Pictures:
    """The pictures of a Word file in reading order, each with its placeholder."""

    def __init__(self):
        self.part = None
        self.figures = []
        self.warnings = []
        self.seen = 0

    def placeholders(self, paragraph):
        from PIL import Image, UnidentifiedImageError

        from notes.images import READABLE

        for rel_id in paragraph._p.xpath(".//a:blip/@r:embed"):
            blob = getattr(self.part.related_parts.get(rel_id), "blob", None)
            if not blob:
                continue
            self.seen += 1
            try:
                width, height = Image.open(io.BytesIO(blob), formats=READABLE).size
            except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
                self.warnings.append(
                    str(
                        _("第 %(n)d 张图片的格式无法导入（只收 JPEG、PNG、WebP、GIF），已略去。")
                        % {"n": self.seen}
                    )
                )
                continue
            if min(width, height) < MIN_SIDE or len(self.figures) >= MAX_FIGURES:
                continue
            self.figures.append(ExtractedFigure(blob))
            yield placeholder(len(self.figures))


def _blocks(item, pictures):
    """The text blocks of a paragraph or a table (cell by cell, row by row)."""
    from docx.table import Table

    if isinstance(item, Table):
        seen = set()
        for row in item.rows:
            for cell in row.cells:
                if id(cell._tc) in seen:  # a merged cell appears once per grid column
                    continue
                seen.add(id(cell._tc))
                for inner in cell.iter_inner_content():
                    yield from _blocks(inner, pictures)
        return
    text = join_lines(item.text.split("\n"))
    if text:
        style = (item.style.name if item.style is not None else "").lower()
        level = _heading_level(style)
        yield f"{'#' * level} {text}" if level else text
    yield from pictures.placeholders(item)


def _header_parts(document) -> list[str]:
    parts = []
    for section in document.sections:
        for part in (section.header, section.first_page_header, section.footer):
            if part.is_linked_to_previous:  # none of its own (reading it would add one)
                continue
            for paragraph in part.paragraphs:
                parts.extend(p.strip() for p in re.split(r"\t+|\s{3,}", paragraph.text))
    return [p for p in dict.fromkeys(parts) if p]


def _heading_level(style: str) -> int:
    if style in ("title", "标题"):
        return 1
    for prefix in ("heading ", "标题 "):
        if style.startswith(prefix) and style[len(prefix) :].strip().isdigit():
            return min(int(style[len(prefix) :]) + 1, 3)
    return 0
