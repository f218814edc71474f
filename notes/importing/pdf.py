"""The text of a PDF brief, read with the positions and sizes of its characters.

pypdfium2 (PDFium, the PDF engine of Chromium) gives every character with its
box. Lines are grouped into paragraphs by what a reader sees, not by what the
text layer happens to say:

* **Running headers, footers and page numbers** are the lines in a band at the
  top or bottom of the page that are a page number, smaller than the body
  text, or like a band line on another page (however many pages: a header
  printed on two pages, or only on one in a smaller size, goes too). Their text is kept
  (``Extracted.furniture``) because series and type are sometimes printed only
  there.
* **A paragraph starts** where a line is indented against the lines around it
  (the two-character first-line indent of Chinese house style), after a
  vertical gap, where the size changes, after a short line that ends a
  sentence, and after a line standing on its own (centred, or much shorter).
* **Headings** set larger than the body and standing alone, after the first
  paragraph of body text, become Markdown headings (``## ``); the parser decides
  what they are (a 摘要 or 正文 marker set large stays a marker).
* **Pages are read upright**: the turn under which the characters run left to
  right and the lines top to bottom, whatever the page's /Rotate says.

The result is plain text, one paragraph per block, so the text parser reads a
PDF the way it reads a Word file.
"""

import io
import itertools
import re
import statistics
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.utils.translation import gettext_lazy as _

from notes.importing.errors import BriefError
from notes.importing.figures import (
    MAX_FIGURES,
    MIN_SIDE,
    ExtractedFigure,
    attach_captions,
    placeholder,
)
from notes.importing.text import SENTENCE_END, is_cjk, join_lines

MAX_PDF_PAGES = 300
#: Lines whose middle lies in this fraction of the page height at the top or bottom.
BAND = 0.12
#: A first-line indent is between these many characters wide.
INDENT = (0.7, 4.5)
#: A baseline distance this many times the usual one separates paragraphs.
GAP = 1.25
#: Sizes within this ratio count as the same.
SAME_SIZE = 0.12
#: Share of unreadable characters (NUL, private use, unmapped) that makes a text layer unusable.
UNREADABLE_SHARE = 0.2

_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]?\s*\d{1,3}\s*[-–—]?|第\s*\d{1,3}\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?"
    r"|\d{1,3}\s*/\s*\d{1,3}|page\s+\d{1,3}(?:\s+of\s+\d+)?)$",
    re.I,
)
_DIGITS = re.compile(r"\d+")
_NO_END = "，、,;；：:-—（(“‘《"


@dataclass(eq=False)
class PdfLine:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float  # the height of the font's box: proportional to the font size
    em: float  # the width of a Chinese character, or an estimate from the size
    page: int
    page_height: float
    segments: list[str] = field(default_factory=list)  # parts set far apart (a header)

    @property
    def middle(self):
        return (self.top + self.bottom) / 2


@dataclass
class Extracted:
    """What a reader gives the parser: text, the page furniture it removed, warnings."""

    text: str
    furniture: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    figures: list = field(default_factory=list)  # ``ExtractedFigure``s, in reading order


def _open(data: bytes):
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise BriefError(_("PDF 文件已加密，请先去除密码后再导入。")) from None
        raise BriefError(_("PDF 文件已损坏或不完整，无法读取。")) from None
    if len(document) > MAX_PDF_PAGES:
        count = len(document)
        document.close()
        raise BriefError(
            _("PDF 页数太多（%(count)d 页），上限为 %(limit)d 页。")
            % {"count": count, "limit": MAX_PDF_PAGES}
        )
    return document


def _orientations(width, height):
    """The four ways to turn a page, as functions from PDF user space to (x right, y down),
    each with the height of the turned page."""
    return [
        (lambda x, y: (x, height - y), height),
        (lambda x, y: (y, x), width),
        (lambda x, y: (width - x, y), height),
        (lambda x, y: (height - y, width - x), width),
    ]


def _upright(raw_lines, width, height):
    """The turn of the page under which its text runs left to right and top to bottom
    (whatever the page's /Rotate says: that is how it is shown, not how it is written)."""
    best, best_score = None, None
    for place, turned_height in _orientations(width, height):
        score, previous_start = 0, None
        for chars in raw_lines:
            points = [place((c[1] + c[3]) / 2, (c[2] + c[4]) / 2) for c in chars]
            score += sum(1 if b[0] > a[0] else -1 for a, b in itertools.pairwise(points))
            if previous_start is not None:
                score += 1 if points[0][1] > previous_start[1] else -1
            previous_start = points[0]
        if best_score is None or score > best_score:
            best, best_score = (place, turned_height), score
    return best


def _page_lines(page, number) -> tuple[list[PdfLine], int, int]:
    """The page's lines, and how many characters it has and how many are unreadable.

    The turn under which the page is read upright is kept on ``page.upright``."""
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        raw_lines, chars, unreadable = [], [], 0
        for index in range(count):
            code = raw.FPDFText_GetUnicode(textpage.raw, index)
            if code in (10, 13):
                if code == 10 and any(not c[0].isspace() for c in chars):
                    raw_lines.append(chars)
                    chars = []
                continue
            ch = chr(code) if code < 0x110000 else "\ufffd"
            if code == 0 or code in (0xFFFD, 0xFFFE) or 0xE000 <= code <= 0xF8FF:
                unreadable += 1
                if code in (0, 0xFFFE):
                    continue
            chars.append((ch, *textpage.get_charbox(index, loose=True)))
        if any(not c[0].isspace() for c in chars):
            raw_lines.append(chars)
    finally:
        textpage.close()
    width, height = page.get_size()  # as shown: turned by the page's /Rotate
    if page.get_rotation() in (90, 270):
        width, height = height, width
    page.upright = _orientations(width, height)[0]
    if not raw_lines:
        return [], count, unreadable
    place, height = page.upright = _upright(
        [[c for c in chars if not c[0].isspace()] for chars in raw_lines], width, height
    )
    lines = []
    for chars in raw_lines:
        turned = []
        for ch, left, bottom, right, top in chars:
            (x0, y0), (x1, y1) = place(left, top), place(right, bottom)
            turned.append((ch, min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)))
        lines.append(_line(turned, [c for c in turned if not c[0].isspace()], number, height))
    upward = sum(1 for a, b in itertools.pairwise(lines) if b.top < a.top)
    if upward > len(lines) // 2:  # the text layer runs bottom to top: read it top to bottom
        lines.sort(key=lambda line: (line.top, line.x0))
    return lines, count, unreadable


def _page_pictures(page, number, warnings) -> list[tuple[int, float, bytes]]:
    """``(page, top, image bytes)`` of each picture on the page large enough to be a figure."""
    import pypdfium2.raw as raw

    from notes import images

    place, _height = page.upright
    found = []
    for obj in page.get_objects(filter=(raw.FPDF_PAGEOBJ_IMAGE,), max_depth=3):
        width, height = obj.get_px_size()
        if min(width, height) < MIN_SIDE:
            continue
        if width * height > images.MAX_PIXELS:
            warnings.append(
                _("第 %(page)d 页有一张图片像素过多（%(width)d × %(height)d），未导入。")
                % {"page": number + 1, "width": width, "height": height}
            )
            continue
        left, bottom, right, top = obj.get_bounds()
        corners = [place(left, top), place(right, bottom)]
        if obj.get_filters() == ["DCTDecode"]:
            data = bytes(obj.get_data(decode_simple=True))
        else:
            out = io.BytesIO()
            obj.get_bitmap(render=False).to_pil().save(out, "PNG")
            data = out.getvalue()
        found.append((number, min(y for _x, y in corners), data))
    return found


def _place_pictures(paragraphs, blocks, pictures):
    """``paragraphs`` (the text of ``blocks``) with a ``[[图N]]`` paragraph where each
    picture stands: before the first block below it on its page."""
    result = list(paragraphs)
    for inserted, (page, top, _data) in enumerate(pictures):
        index = next(
            (
                i
                for i, block in enumerate(blocks)
                if block[0].page > page or (block[0].page == page and block[0].top >= top)
            ),
            len(blocks),
        )
        result.insert(index + inserted, placeholder(inserted + 1))
    return result


def _line(chars, visible, page, page_height) -> PdfLine:
    widths = [c[2] - c[1] for c in visible if is_cjk(c[0]) and c[0] != "\u3000"]
    size = statistics.median(c[4] - c[3] for c in visible)
    em = statistics.median(widths) if widths else size * 0.7
    # Parts of a line set far apart (header: institute left, series centre, type right).
    segments, current, previous = [], "", None
    for ch, x0, x1, _top, _bottom in chars:
        if previous is not None and x0 - previous > 3 * em:
            segments.append(current.strip())
            current = ""
        current += ch
        previous = x1 if not ch.isspace() else previous
    segments.append(current.strip())
    text = re.sub(r"\s+", " ", "".join(c[0] for c in chars)).strip()
    return PdfLine(
        text=text,
        x0=min(c[1] for c in visible),
        x1=max(c[2] for c in visible),
        top=min(c[3] for c in visible),
        bottom=max(c[4] for c in visible),
        size=size,
        em=em,
        page=page,
        page_height=page_height,
        segments=[s for s in segments if s],
    )


def _same_size(a, b):
    return abs(a - b) <= SAME_SIZE * max(a, b)


def _similar(a: str, b: str) -> bool:
    a, b = _DIGITS.sub("#", a), _DIGITS.sub("#", b)
    return a == b or SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.8


def _furniture(pages, body_size):
    """Split each page's lines into furniture (in the top or bottom band) and text."""
    banded = []
    for lines in pages:
        top = [ln for ln in lines if ln.middle < BAND * ln.page_height]
        bottom = [ln for ln in lines if ln.middle > (1 - BAND) * ln.page_height]
        banded.append((top, bottom))
    removed, kept_pages = [], []
    for number, lines in enumerate(pages):
        band = set(banded[number][0] + banded[number][1])
        text = [ln for ln in lines if ln not in band]
        others = [ln.text for n, (t, b) in enumerate(banded) if n != number for ln in t + b]
        kept = []
        for line in sorted(band, key=lambda ln: ln.top):
            if (
                _PAGE_NUMBER.match(line.text)
                or line.size < (1 - SAME_SIZE) * body_size
                or any(_similar(line.text, other) for other in others)
            ):
                removed.append(line)
            else:
                kept.append(line)
        kept_pages.append(sorted(text + kept, key=lambda ln: lines.index(ln)))
    return removed, kept_pages


def _pitch(pages, body_size):
    """The usual distance between the baselines of two lines of body text."""
    distances = [
        b.bottom - a.bottom
        for lines in pages
        for a, b in itertools.pairwise(lines)
        if _same_size(a.size, body_size)
        and _same_size(b.size, body_size)
        and 0.8 * a.size < b.bottom - a.bottom < 3 * a.size
    ]
    # A low quantile, not the median: in a brief of short paragraphs the distances
    # between paragraphs may be as many as those between lines.
    return sorted(distances)[len(distances) // 5] if distances else 1.3 * body_size


def _edges(lines, index, pitch, fallback_right):
    """The left and right edges of the text column around ``lines[index]``: the left
    edge of the lines of the same size in the same run (no gap between them, four
    either way), the right edge of those lines on the whole page (or, on a page with
    few of them, in the whole document)."""
    line = lines[index]
    run = [line]
    for step in (-1, 1):
        current = line
        for other in lines[index + step :: step][:4] if step == 1 else lines[:index][::-1][:4]:
            apart = abs(other.bottom - current.bottom)
            if not _same_size(other.size, line.size) or apart > GAP * pitch:
                break
            run.append(other)
            current = other
    same = [o.x1 for o in lines if _same_size(o.size, line.size)]
    right = max(same) if len(same) >= 3 else max(fallback_right(line), *same)
    return min(o.x0 for o in run), right


def _alone(line, left, right):
    """Centred or far shorter than the column: a line standing on its own."""
    return line.x0 - left > INDENT[1] * line.em or (
        right - left > 10 * line.em
        and line.x1 - line.x0 < 0.6 * (right - left)
        and line.text[-1] not in _NO_END
    )


def _ends(line, right):
    """A short line ending a sentence: the last line of a paragraph."""
    return line.text[-1] in SENTENCE_END and line.x1 < right - line.em


def _paragraphs(pages, body_size):
    """``(blocks, crossing)``: the text's paragraphs, and the page breaks whose
    paragraph continuation is uncertain."""
    pitch = _pitch(pages, body_size)
    everything = [line for lines in pages for line in lines]

    def fallback_right(line):
        return max(o.x1 for o in everything if _same_size(o.size, line.size))

    flow = [
        (line, _edges(lines, i, pitch, fallback_right))
        for lines in pages
        for i, line in enumerate(lines)
    ]
    indents = sum(
        1
        for line, (left, _right) in flow
        if INDENT[0] * line.em <= line.x0 - left <= INDENT[1] * line.em
    )
    gaps = sum(
        1
        for a, b in itertools.pairwise(everything)
        if a.page == b.page and _same_size(a.size, b.size) and b.bottom - a.bottom > GAP * pitch
    )
    # Ragged right (English set flush left): many lines end short without ending a
    # sentence, so a short line ending one is no sign of a paragraph's end when indents
    # or gaps mark the paragraphs.
    open_short = sum(
        1
        for line, (_left, right) in flow
        if line.text[-1] not in SENTENCE_END and line.x1 < right - 1.5 * line.em
    )
    short_ends = not (open_short > 0.2 * len(flow) and (indents >= 2 or gaps >= 2))
    blocks, current, uncertain = [], [], []
    previous = None
    for line, (left, right) in flow:
        indented = INDENT[0] * line.em <= line.x0 - left <= INDENT[1] * line.em
        starts = previous is None
        if previous is not None:
            before, (p_left, p_right) = previous
            new_page = before.page != line.page
            starts = (
                not _same_size(before.size, line.size)
                or indented
                or _alone(before, p_left, p_right)
                or line.x0 - left > INDENT[1] * line.em  # centred
                or (short_ends and _ends(before, p_right))
            )
            if not starts and not new_page:
                starts = line.bottom - before.bottom > GAP * pitch
            if new_page and not starts and before.text[-1] in SENTENCE_END and indents < 2:
                uncertain.append(before.page + 1)
        if starts and current:
            blocks.append(current)
            current = []
        current.append(line)
        previous = (line, (left, right))
    if current:
        blocks.append(current)
    return blocks, uncertain


_SUB_HEADING = re.compile(r"^[（(]\s*(?:[一二三四五六七八九十]{1,3}|\d{1,2}|[a-z])\s*[)）]")


def _heading_marks(blocks, body_size):
    """The blocks to mark ``## ``: single lines set larger than the body, after the
    first paragraph of body text (the title and banner come before it), not ending a
    sentence. Numbered sub-headings ((一), (a)) are left to the parser."""
    first_body = next(
        (
            i
            for i, block in enumerate(blocks)
            if len(block) >= 2 and _same_size(block[0].size, body_size)
        ),
        len(blocks),
    )
    return {
        i
        for i, block in enumerate(blocks[first_body:], start=first_body)
        if len(block) == 1
        and block[0].size > (1 + SAME_SIZE / 2) * body_size
        and len(block[0].text) <= 60
        and block[0].text[-1] not in "。！？.!?"
        and not _SUB_HEADING.match(block[0].text)
    }


def read_pdf(data: bytes) -> Extracted:
    """The text of a PDF brief, one paragraph per block, with its furniture and warnings."""
    document = _open(data)
    try:
        pages, total, unreadable, pictures, warnings = [], 0, 0, [], []
        for number in range(len(document)):
            page = document[number]
            try:
                lines, count, bad = _page_lines(page, number)
                if len(pictures) < MAX_FIGURES:
                    pictures += _page_pictures(page, number, warnings)
            finally:
                page.close()
            pages.append(lines)
            total, unreadable = total + count, unreadable + bad
    except BriefError:
        raise
    except Exception as error:  # PDFium reports damage as many kinds of error
        if type(error).__module__.startswith("pypdfium2"):
            raise BriefError(_("PDF 文件已损坏或不完整，无法读取。")) from None
        raise
    finally:
        document.close()
    visible = sum(len(line.text) for lines in pages for line in lines)
    if visible < 20 and unreadable < 20:
        raise BriefError(
            _("PDF 没有文字层（可能是扫描件），请先做文字识别（OCR）或提供 Word / 文本版本。")
        )
    if unreadable > UNREADABLE_SHARE * max(total, 1):
        raise BriefError(
            _(
                "PDF 的文字层无法读取（%(share)d%% 的字符是空字符、私用区字形或无法对应的字形），"
                "页面看起来正常但文字是乱码；请提供 Word / 文本版本，或重新导出 PDF。"
            )
            % {"share": round(100 * unreadable / max(total, 1))}
        )

    sizes = [line.size for lines in pages for line in lines for _ in line.text]
    body_size = statistics.median_low(sizes)
    removed, pages = _furniture(pages, body_size)
    tops = [lines[0].text for lines in pages if lines]
    repeated = {t for a, t in itertools.combinations(tops, 2) if len(t) <= 40 and _similar(a, t)}
    if repeated:
        warnings.append(
            _("页首重复出现的文字留在了正文里，可能是页眉：%(text)s")
            % {"text": "；".join(sorted(repeated))}
        )
    blocks, crossing = _paragraphs(pages, body_size)
    for page in crossing:
        warnings.append(
            _(
                "第 %(page)d 页末的段落以句号结束且占满一行，"
                "无法确定它是否接到下一页；已接上，请核对。"
            )
            % {"page": page}
        )
    marks = _heading_marks(blocks, body_size)
    paragraphs = [
        ("## " if i in marks else "") + join_lines([line.text.lstrip("\u3000 ") for line in block])
        for i, block in enumerate(blocks)
    ]
    pictures = pictures[:MAX_FIGURES]
    figures = [ExtractedFigure(data) for _page, _top, data in pictures]
    paragraphs, missing = attach_captions(_place_pictures(paragraphs, blocks, pictures), figures)
    furniture = [segment for line in removed for segment in line.segments]
    return Extracted(
        text="\n\n".join(paragraphs),
        furniture=furniture,
        warnings=[str(w) for w in [*warnings, *missing]],
        figures=figures,
    )
