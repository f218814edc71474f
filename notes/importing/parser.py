"""The parts of a brief: series, type, title, summary, byline, sections.

A brief read as text looks like this (blank lines and wrapping vary)::

    热点                              <- series (a line before the type)
    研究简报                          <- type (a known note type)
    标题                              <- title (lines after the type)
    摘 要                             <- summary marker, then summary paragraphs
    正 文                             <- body marker (dropped)
    姓名/单位职务                      <- byline
    lead paragraphs                   <- section with a blank heading
    一、小标题                         <- section heading (also "1. Heading", "## Heading")
    （一）小小标题                      <- sub-heading kept as "### （一）小小标题" in the body
    Research Note / 3                 <- running header and page number (dropped)
    预览已结束… https://…             <- platform footer (dropped; URL kept as source)

Enumerations inside paragraphs (一是…二是…, lines starting with 2023年) are not
headings: a heading is short, does not end a sentence, and numbers follow on.
"""

import re
from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from notes.importing.bylines import AuthorCredit, parse_byline
from notes.importing.errors import BriefError
from notes.importing.folding import describe, uncommon_characters
from notes.importing.text import (
    Layout,
    Line,
    join_lines,
    key,
    language_of,
    normalize,
    paragraphs,
    split_lines,
    width,
)

#: Note types recognised in the front matter when the database is not asked.
DEFAULT_TYPES = (
    "研究简报",
    "Research Note",
    "研究报告",
    "Report",
    "专题报告",
    "Special Report",
    "评论",
    "Commentary",
    "政策简报",
    "Policy Brief",
    "工作论文",
    "Working Paper",
)
SUMMARY_MARKERS = {
    "摘要",
    "内容摘要",
    "内容提要",
    "提要",
    "summary",
    "abstract",
    "executivesummary",
}
BODY_MARKERS = {"正文", "maintext"}
#: A short line repeated this often (not a heading) is a running header or footer.
RUNNING_REPEATS = 3
MAX_HEADING_WIDTH = 80
#: A brief is a few pages; text beyond these bounds is refused, which bounds parsing time.
MAX_TEXT_CHARS = 2_000_000
MAX_LINES = 50_000
#: Series, type, title and byline are looked for among this many lines at the top.
MAX_FRONT_LINES = 40

_NUMERALS = "一二三四五六七八九十"
_CHINESE_HEADING = re.compile(rf"^([{_NUMERALS}]{{1,3}})\s*、\s*(\S.*)$")
_ARABIC_HEADING = re.compile(r"^(\d{1,2})\s*[.．、]\s*(?!\d)(\S.*)$")
_SUB_HEADING = re.compile(rf"^[（(]\s*(?:[{_NUMERALS}]{{1,3}}|\d{{1,2}}|[a-z])\s*[)）]\s*\S")
_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(\S.*?)\s*#*$")
_INLINE_SUMMARY = re.compile(r"^(?:摘\s*要|内容摘要|Summary|Abstract)\s*[:：]\s*(\S.*)$", re.I)
_KEYWORDS = re.compile(r"^(?:关键词|关键字|Key\s*words?)\s*[:：]\s*(\S.*)$", re.I)
_SOURCE = re.compile(r"^(?:来源|原文链接|原文|Source)\s*[:：]\s*(https?://\S+)$", re.I)
_URL = re.compile(r"https?://[^\s<>\"'，。）)]+")
_PAGE_NUMBER = re.compile(
    r"^(?:\d{1,3}|[-–—]\s*\d{1,3}\s*[-–—]|第\s*\d{1,3}\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?"
    r"|\d{1,3}\s*/\s*\d{1,3}|page\s+\d{1,3}(?:\s+of\s+\d+)?)$",
    re.I,
)
_FOOTER = re.compile(r"预览已结束|完整报告链接|扫码(?:下载|阅读)|下载完整(?:版|报告)")
#: Where a note printed by an institute (this site's PDFs too) ends: how to cite it,
#: where to read it online. A bare address just above belongs to it.
_END_MATTER = re.compile(
    r"^(?:引用格式|建议引用|推荐引用|How to cite|Suggested citation|Cite as|Scan to read)", re.I
)
_DATE_LINE = re.compile(
    r"^(?:\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|\d{4}[-/.]\d{1,2}(?:[-/.]\d{1,2})?"
    r"|第\s*\d+\s*期|No\.\s*\d+|[A-Z][a-z]+\.? \d{1,2}, \d{4}|\d{1,2} [A-Z][a-z]+ \d{4})$"
)
_RUNNING_INDENT = 20


@dataclass
class ParsedSection:
    heading: str
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class ParsedBrief:
    title: str
    series: str | None = None
    type: str | None = None
    language: str = "zh-hans"
    summary: list[str] = field(default_factory=list)
    authors: list[AuthorCredit] = field(default_factory=list)
    sections: list[ParsedSection] = field(default_factory=list)
    source_url: str | None = None
    keywords: list[str] = field(default_factory=list)
    #: ``{"field": …, "message": …}``: what the reader and parser were unsure of; ``field``
    #: names the part concerned (title, series, type, summary, authors, sections) or is "".
    warnings: list[dict] = field(default_factory=list)
    #: The pictures the reader found (``notes.importing.figures.ExtractedFigure``); the
    #: paragraph ``[[图N]]`` in a section stands where the N-th was.
    figures: list = field(default_factory=list)

    def as_dict(self) -> dict:
        """The structure printed by ``import_brief --json`` (documented in docs/importing.md)."""
        return {
            "title": self.title,
            "series": self.series,
            "type": self.type,
            "language": self.language,
            "summary": list(self.summary),
            "authors": [a.as_dict() for a in self.authors],
            "sections": [
                {"heading": s.heading, "paragraphs": list(s.paragraphs)} for s in self.sections
            ],
            "source_url": self.source_url,
            "warnings": [
                {"field": w["field"], "message": str(w["message"])} for w in self.warnings
            ],
        }


def _heading(line: Line, expected: dict) -> tuple[str, str] | None:
    """``(style, heading)`` when ``line`` is a numbered section heading in sequence."""
    text = line.text
    if (
        len(text) > MAX_HEADING_WIDTH
        or line.width > MAX_HEADING_WIDTH
        or text[-1] in "。；;，,：:！!"
    ):
        return None
    md = _MARKDOWN_HEADING.match(text)
    if md and len(md.group(1)) == 2:
        return "markdown", md.group(2)
    for style, pattern in (("chinese", _CHINESE_HEADING), ("arabic", _ARABIC_HEADING)):
        match = pattern.match(text)
        if match:
            number = match.group(1)
            if style == "arabic":
                value = int(number)
            else:  # 一 … 十 are checked; 十一 and beyond are taken as they come
                value = _NUMERALS.index(number) + 1 if len(number) == 1 else None
            if value is not None and value != expected.get(style, 1):
                return None
            return style, text
    return None


def _numbered(text: str) -> bool:
    return any(
        p.match(text) for p in (_CHINESE_HEADING, _ARABIC_HEADING, _SUB_HEADING, _MARKDOWN_HEADING)
    )


def _sub_heading(text: str, style: str | None) -> str | None:
    """A sub-heading inside a section: ``### x``, （一）…, or 1. … under 一、… headings."""
    md = _MARKDOWN_HEADING.match(text)
    if md and len(md.group(1)) >= 3:
        return md.group(2)
    if width(text) > MAX_HEADING_WIDTH or text[-1] in "。；;，,：:！!?？":
        return None
    if _SUB_HEADING.match(text) or (style != "arabic" and _ARABIC_HEADING.match(text)):
        return text
    return None


def _strip_furniture(lines: list[Line], type_keys: set[str]) -> tuple[list[Line], str | None]:
    """Drop running headers, page numbers and the platform footer or end matter; return
    the footer's URL."""
    source_url = None
    for i, line in enumerate(lines):
        if _FOOTER.search(line.text) or _END_MATTER.match(line.text):
            if i and _URL.fullmatch(lines[i - 1].text):
                i -= 1
            footer = " ".join(item.text for item in lines[i:])
            urls = _URL.findall(footer)
            source_url = urls[0] if urls else None
            lines = lines[:i]
            break
    if lines and _URL.fullmatch(lines[-1].text) and source_url is None:
        source_url = lines.pop().text
    repeats = Counter(
        key(line.text)
        for line in lines
        if len(line.text) <= 40 and not line.ends_sentence and not _numbered(line.text)
    )
    kept, seen_type, marker = [], False, False
    for line in lines:
        k = key(line.text) if len(line.text) <= 40 else ""
        if k and repeats[k] >= RUNNING_REPEATS and k not in type_keys:
            continue
        if k in type_keys:
            if seen_type:
                continue
            seen_type = True
        if k in BODY_MARKERS:
            marker = True
            continue
        if _PAGE_NUMBER.match(line.text):
            continue
        leading = len(line.raw) - len(line.raw.lstrip(" "))
        if leading >= _RUNNING_INDENT and line.width <= 40:
            continue
        source = _SOURCE.match(line.text)
        if source:
            source_url = source_url or source.group(1)
            continue
        if marker:
            line.after_body_marker, marker = True, False
        kept.append(line)
    return kept, source_url


def _is_markdown_title(text: str) -> bool:
    md = _MARKDOWN_HEADING.match(text)
    return bool(md and len(md.group(1)) == 1)


def _is_front_end(line: Line) -> bool:
    """True for the first line that cannot belong to the series, type and title."""
    text = line.text
    return bool(
        _heading(line, {})
        or parse_byline(text)
        or text[-1] in "。！？"
        or (text[-1] in ".!?" and len(text.split()) >= 5)
        or line.width > 200
        or _INLINE_SUMMARY.match(text)
    )


def _split_type(text: str, type_names: dict) -> tuple[str | None, str] | None:
    """``(series, type)`` when ``text`` is a type name, or a series followed by one
    (``热点 研究简报``, ``热点研究简报``); spacing between letters does not matter."""
    k = key(text)
    if k in type_names:
        return None, type_names[k]
    for type_key, name in type_names.items():
        if k.endswith(type_key) and len(k) > len(type_key):
            # Cut the type off the text, counting the characters that are not spaces.
            remaining, cut = len(type_key), len(text)
            while remaining:
                cut -= 1
                remaining -= not text[cut].isspace()
            series = text[:cut].strip(" |｜/·-—")
            if series and width(series) <= 16:
                return series, name
    return None


def _front_matter(front: list[Line], type_names: dict) -> tuple[str | None, str | None, str]:
    """``(series, type, title)`` from the lines before the summary."""
    title = ""
    candidates, note_type, before_type = [], None, []
    for line in front:
        md = _MARKDOWN_HEADING.match(line.text)
        if md and len(md.group(1)) == 1:
            title = md.group(2)
            continue
        split = _split_type(line.text, type_names) if note_type is None else None
        if split is not None:
            series, note_type = split
            before_type, candidates = ([series] if series else candidates), []
            continue
        if not _DATE_LINE.match(line.text):
            candidates.append(line.text)
    if note_type is None:
        # No type line: a short first line above the title is the series.
        if not title and len(candidates) >= 2 and width(candidates[0]) <= 16:
            before_type, candidates = candidates[:1], candidates[1:]
    elif not candidates and not title and before_type:
        before_type, candidates = before_type[:-1], before_type[-1:]
    if title:
        before_type = before_type or candidates[:1]
    series = before_type[-1] if before_type else None
    return series, note_type, title or join_lines(candidates)


def _from_furniture(furniture, type_names) -> tuple[str | None, str | None]:
    """Series and type from page headers and footers: the part naming both, else a type."""
    parts = [p for part in furniture for p in re.split(r"\s*[|｜]\s*|\s{2,}", part) if p]
    found = [split for part in parts if (split := _split_type(part, type_names))]
    found.sort(key=lambda split: split[0] is None)
    return found[0] if found else (None, None)


#: Three or more single Chinese characters separated by spaces: letter-spaced (研 究 简 报).
_LETTER_SPACED = re.compile(r"(?:(?<=\s)|^)[\u4e00-\u9fff](?: [\u4e00-\u9fff]){2,}(?=\s|$)")


def _plain(line: Line, type_keys: set[str]) -> Line:
    """``line`` with letter spacing collapsed, and without Markdown heading marks when
    it is really a summary or body marker, a type name or a byline (Word files set
    those in heading styles too)."""
    text = line.text
    if len(text) <= 30:
        text = _LETTER_SPACED.sub(lambda match: match.group().replace(" ", ""), text)
    md = _MARKDOWN_HEADING.match(text)
    if md:
        inner = md.group(2)
        k = key(inner)
        if (
            k in SUMMARY_MARKERS
            or k in BODY_MARKERS
            or k in type_keys
            or _INLINE_SUMMARY.match(inner)
            or parse_byline(inner)
        ):
            text = inner
    if text == line.text:
        return line
    return Line(text=text, raw=text, blank_before=line.blank_before)


def _section_paragraphs(lines: list[Line], layout: Layout, style=None) -> list[str]:
    result, run = [], []
    for line in lines:
        sub = _sub_heading(line.text, style)
        if sub:
            result.extend(paragraphs(run, layout))
            result.append(f"### {sub}")
            run = []
        else:
            run.append(line)
    result.extend(paragraphs(run, layout))
    return result


def parse_text(text: str, *, known_types=(), furniture=()) -> ParsedBrief:
    """Parse the text of a brief; :class:`BriefError` when no title or body is found.

    ``furniture`` is the text of page headers and footers, where the series and
    type are looked for when the page itself does not print them.
    """
    type_names = {}
    for name in (*known_types, *DEFAULT_TYPES):
        if name:
            type_names.setdefault(key(name), name)
    type_keys = set(type_names)
    if len(text) > MAX_TEXT_CHARS:
        raise BriefError(
            _("文字太长（%(count)d 字），不像一篇简报；上限为 %(limit)d 字。")
            % {"count": len(text), "limit": MAX_TEXT_CHARS}
        )
    text = normalize(text)
    lines = split_lines(text)
    if len(lines) > MAX_LINES:
        raise BriefError(
            _("行数太多（%(count)d 行），不像一篇简报；上限为 %(limit)d 行。")
            % {"count": len(lines), "limit": MAX_LINES}
        )
    lines = [_plain(line, type_keys) for line in lines]
    lines, source_url = _strip_furniture(lines, type_keys)  # marks the line after 正文
    if not lines:
        raise BriefError(_("文件里没有可识别的文字。"))

    keywords = []
    for line in list(lines):
        match = _KEYWORDS.match(line.text)
        if match:
            keywords = [k.strip() for k in re.split(r"[，,、；;]", match.group(1)) if k.strip()]
            lines.remove(line)

    # Where the summary and the sections begin.
    summary_at = inline_summary = None
    for i, line in enumerate(lines[:60]):
        inline = _INLINE_SUMMARY.match(line.text)
        if key(line.text) in SUMMARY_MARKERS or inline:
            summary_at, inline_summary = i, inline.group(1) if inline else None
            break
    front_end = summary_at
    if front_end is None:
        front_end = min(len(lines), MAX_FRONT_LINES)
        for i, line in enumerate(lines[:MAX_FRONT_LINES]):
            if _is_front_end(line) or (i and _is_markdown_title(lines[i - 1].text)):
                front_end = i
                break
    front, authors = [], []
    for line in lines[:front_end]:
        credits = parse_byline(line.text)
        if credits:
            authors.extend(credits)
        else:
            front.append(line)
    series, note_type, title = _front_matter(front, type_names)
    if series is None and note_type is None:
        series, note_type = _from_furniture(furniture, type_names)

    title_key, series_key = key(title), key(series or "")
    repeated, longest = {title_key, series_key}, 2 * max(len(title_key), len(series_key)) + 4
    rest = [
        line
        for line in lines[front_end + (summary_at is not None) :]
        if len(line.text) > longest or key(line.text) not in repeated
    ]
    if inline_summary:
        rest.insert(0, Line(text=inline_summary, raw=inline_summary))

    # Byline, then headings.
    byline_at, expected, heads = [], {}, []
    style = None
    for i, line in enumerate(rest):
        found = _heading(line, expected)
        if found and (style is None or found[0] == style):
            style = found[0]
            number = _CHINESE_HEADING.match(line.text) or _ARABIC_HEADING.match(line.text)
            if number:
                expected[style] = expected.get(style, 1) + 1
            heads.append((i, found[1]))
            continue
        if i >= MAX_FRONT_LINES:
            continue
        if (not heads and not authors) or (byline_at and byline_at[-1] == i - 1):
            credits = parse_byline(line.text)
            if credits:
                authors.extend(credits)
                byline_at.append(i)
    layout = Layout(rest)

    first_head = heads[0][0] if heads else len(rest)
    bylines = set(byline_at)
    top = [line for i, line in enumerate(rest[:first_head]) if i not in bylines]
    summary, lead = [], _section_paragraphs(top, layout)
    if summary_at is not None:
        # The summary ends at the body marker (正文) or the byline after it; without
        # either, it is the first paragraph.
        body_at = next((i for i, line in enumerate(rest) if line.after_body_marker), None)
        ends = [i for i in (body_at, byline_at[0] if byline_at else None) if i is not None]
        if ends:
            end = min(min(ends), first_head)
            summary = paragraphs(rest[:end], layout)
            lead = _section_paragraphs([line for line in top if line not in rest[:end]], layout)
        else:
            summary, lead = lead[:1], lead[1:]
    lead_sections = [ParsedSection("", lead)] if lead else []

    sections = list(lead_sections)
    for n, (start, heading) in enumerate(heads):
        end = heads[n + 1][0] if n + 1 < len(heads) else len(rest)
        body = _section_paragraphs(rest[start + 1 : end], layout, style)
        sections.append(ParsedSection(heading, body))

    if not title or width(title) > 240 or title[-1] in "。！？":
        raise BriefError(_("找不到标题：文件开头应是标题（可在其前写栏目和类型）。"))
    if not any(s.paragraphs for s in sections):
        raise BriefError(_("找不到正文：标题和摘要之后没有可识别的段落。"))
    body = " ".join(p for s in sections for p in s.paragraphs)
    warnings = []
    if not authors:
        message = _("没有找到作者署名（如“姓名/单位职务”），请在作者一栏补上。")
        warnings.append({"field": "authors", "message": message})
    if not summary:
        message = _("摘要是空的：没有找到“摘要”标记或摘要段落。")
        warnings.append({"field": "summary", "message": message})
    odd = uncommon_characters(text)
    if odd:
        message = _("文中有不常见的字符，可能是文字层的错误，请核对：%(chars)s") % {
            "chars": describe(odd)
        }
        warnings.append({"field": "", "message": message})
    return ParsedBrief(
        title=title,
        series=series,
        type=note_type,
        language=language_of(f"{title} {' '.join(summary)} {body[:5000]}"),
        summary=summary,
        authors=authors,
        sections=sections,
        source_url=source_url,
        keywords=keywords,
        warnings=warnings,
    )
