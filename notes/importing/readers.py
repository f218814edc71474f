"""Text out of a brief file: plain text or Markdown, PDF, Word (.docx).

Every reader is bounded: files over ``MAX_FILE_SIZE`` are refused before they
are read, PDFs past ``MAX_PDF_PAGES`` pages are refused, and a .docx is
checked entry by entry (count and real uncompressed size) before python-docx
opens it, so a zip bomb costs at most ``MAX_DOCX_UNCOMPRESSED`` bytes of work.
"""

import io
import itertools
import re
import zipfile
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from notes.importing.errors import BriefError
from notes.importing.text import join_lines

MAX_FILE_SIZE = 20 * 1024 * 1024
MAX_PDF_PAGES = 300
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


def read_path(path: Path) -> str:
    """The text of the brief at ``path``."""
    path = Path(path)
    try:
        check_size(path.stat().st_size)
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_SIZE + 1)
    except OSError as error:
        raise BriefError(
            _("无法读取文件：%(error)s") % {"error": error.strerror or error}
        ) from None
    return read_bytes(path.name, data)


def read_bytes(name: str, data: bytes) -> str:
    """The text of a brief named ``name`` (the extension picks the reader)."""
    check_size(len(data))
    if not data.strip():
        raise BriefError(_("文件是空的。"))
    suffix = Path(name).suffix.lower()
    if suffix in TEXT_EXTENSIONS:
        return decode_text(data)
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


def read_pdf(data: bytes) -> str:
    """The text layer of a PDF, page after page."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise BriefError(_("PDF 文件已加密，请先去除密码后再导入。"))
        if len(reader.pages) > MAX_PDF_PAGES:
            raise BriefError(
                _("PDF 页数太多（%(count)d 页），上限为 %(limit)d 页。")
                % {"count": len(reader.pages), "limit": MAX_PDF_PAGES}
            )
        pages = [_page_text(page) for page in reader.pages]
    except BriefError:
        raise
    except FileNotDecryptedError:
        raise BriefError(_("PDF 文件已加密，请先去除密码后再导入。")) from None
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError):
        raise BriefError(_("PDF 文件已损坏或不完整，无法读取。")) from None
    except Exception as error:  # pypdf raises many kinds of errors on broken files
        if type(error).__module__.startswith("pypdf") or isinstance(error, (RecursionError,)):
            raise BriefError(_("PDF 文件已损坏或不完整，无法读取。")) from None
        raise
    text = "\n".join(pages)
    if not text.strip():
        raise BriefError(
            _("PDF 没有文字层（可能是扫描件），请先做文字识别（OCR）或提供 Word / 文本版本。")
        )
    return text


#: A vertical gap this many times the usual line spacing separates paragraphs.
PARAGRAPH_GAP = 1.3


def _page_text(page) -> str:
    """The page's text, with a blank line where a wider vertical gap separates paragraphs.

    pypdf reports where each piece of text sits; the usual distance between
    lines is the smallest common one, and a clearly wider gap is a paragraph
    break. When the pieces do not add up to pypdf's own text, that text is used
    unchanged.
    """
    pieces = []

    def visit(text, cm, tm, font, size):
        pieces.append((text, tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))

    plain = page.extract_text(visitor_text=visit) or ""
    lines, heights, current, height = [], [], "", None
    for text, y in pieces:
        for n, part in enumerate(text.split("\n")):
            if n:
                lines.append(current)
                heights.append(height)
                current, height = "", None
            if part.strip() and height is None:
                height = y
            current += part
    lines.append(current)
    heights.append(height)
    if "".join(lines) != plain.replace("\n", ""):
        return plain
    known = [h for h in heights if h is not None]
    gaps = sorted(a - b for a, b in itertools.pairwise(known) if a - b > 0.5)
    if len(gaps) < 3:
        return plain
    spacing = gaps[len(gaps) // 10]
    result, previous = [], None
    for line, y in zip(lines, heights, strict=True):
        if y is not None and previous is not None and previous - y > PARAGRAPH_GAP * spacing:
            result.append("")
        result.append(line)
        previous = y if y is not None else previous
    return "\n".join(result)


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


def read_docx(data: bytes) -> str:
    """The paragraphs of a .docx as text; Word heading styles become Markdown headings.

    Style "Title" gives ``# `` (the title), "Heading 1" ``## `` (a section),
    deeper headings ``### `` (a sub-heading). Paragraphs are separated by blank
    lines, so the text parser sees one paragraph per block.
    """
    _check_zip(data)
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile):
        raise BriefError(_("这不是有效的 Word（.docx）文件。")) from None
    except Exception as error:
        if "lxml" in type(error).__module__:
            raise BriefError(_("Word 文件已损坏或不完整，无法读取。")) from None
        raise
    blocks = []
    for paragraph in document.paragraphs:
        text = join_lines(paragraph.text.split("\n"))
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "").lower()
        level = _heading_level(style)
        blocks.append(f"{'#' * level} {text}" if level else text)
    if not blocks:
        raise BriefError(_("Word 文件里没有文字。"))
    return "\n\n".join(blocks)


def _heading_level(style: str) -> int:
    if style in ("title", "标题"):
        return 1
    for prefix in ("heading ", "标题 "):
        if style.startswith(prefix) and style[len(prefix) :].strip().isdigit():
            return min(int(style[len(prefix) :]) + 1, 3)
    return 0
