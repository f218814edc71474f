"""A note as the data the PDF template lays out.

The template (``note.typ``) receives everything as one JSON document, never as
markup: the note's text cannot change how it is typeset. Section bodies are
turned from markdown-it's tokens into a small tree of blocks and inline runs;
a new kind of block (a figure, a footnote) is one more case here and one more
in the template's ``blk`` function.
"""

import re

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from notes.citations import as_text, gbt7714
from notes.models import private_storage
from notes.paragraphs import Block
from notes.qr import qr_svg
from notes.rendering import (
    REFERENCE,
    figure_label,
    joins_without_space,
    parse_markdown,
    placed_figure,
)


def _reference(match) -> str:
    """``[[图2]]`` in running text is printed 图2 (``[[Figure 2]]``: Figure 2)."""
    word = match[1]
    return f"{word}{match[2]}" if word in ("图", "表") else f"{word} {match[2]}"


def inline(tokens, footnotes=None) -> list:
    """Inline runs: ``{"t": "text", "v": …}``, ``strong``/``em``/``del``/``link`` with
    children ``c``, ``code``, ``br``, ``fn`` (a footnote, its runs in ``c``)."""
    footnotes = footnotes or {}
    root = []
    stack = [root]
    for n, token in enumerate(tokens):
        kind = token.type
        if kind == "text":
            stack[-1].append({"t": "text", "v": REFERENCE.sub(_reference, token.content)})
        elif kind == "code_inline":
            stack[-1].append({"t": "code", "v": token.content})
        elif kind == "softbreak":
            if not joins_without_space(tokens, n):
                stack[-1].append({"t": "text", "v": " "})
        elif kind == "hardbreak":
            stack[-1].append({"t": "br"})
        elif kind.endswith("_open"):
            node = {"t": kind[: -len("_open")], "c": []}
            if kind == "link_open":
                href = token.attrGet("href") or ""
                node["href"] = href if href.startswith(("https://", "http://", "mailto:")) else ""
            elif kind == "s_open":
                node["t"] = "del"
            stack[-1].append(node)
            stack.append(node["c"])
        elif kind.endswith("_close"):
            if len(stack) > 1:
                stack.pop()
        elif kind == "image":
            stack[-1].append({"t": "text", "v": token.content})
        elif kind == "footnote_ref":
            stack[-1].append({"t": "fn", "c": footnotes.get(token.meta["id"], [])})
    return root


def _footnotes(tokens) -> dict:
    """The runs of each footnote by its id (its paragraphs joined)."""
    notes, current = {}, None
    for token in tokens:
        if token.type == "footnote_open":
            current = notes.setdefault(token.meta["id"], [])
        elif token.type == "footnote_close":
            current = None
        elif token.type == "inline" and current is not None:
            if current:
                current.append({"t": "text", "v": " "})
            current.extend(inline(token.children or []))
    return notes


def blocks(tokens, *, footnotes=None, figure=None) -> list:
    """Blocks from a token stream: ``p``, ``h`` (with ``level``), ``ul``/``ol`` of
    ``items`` (each a list of blocks), ``quote``, ``code``, ``table``, ``hr``, and
    ``figure`` where ``figure(number)`` gives one for a paragraph ``[[图N]]``."""
    result, i = [], 0
    while i < len(tokens):
        token = tokens[i]
        kind = token.type
        if kind == "inline":
            result.append({"k": "p", "c": inline(token.children or [], footnotes)})
            i += 1
            continue
        if kind == "footnote_block_open":
            i = _closing(tokens, i) + 1
            continue
        if kind in ("fence", "code_block"):
            result.append({"k": "code", "v": token.content.rstrip("\n")})
            i += 1
            continue
        if kind == "hr":
            result.append({"k": "hr"})
            i += 1
            continue
        if token.nesting != 1:
            i += 1
            continue
        end = _closing(tokens, i)
        inner = tokens[i + 1 : end]
        number = placed_figure(Block(tokens[i : end + 1], "")) if figure else None
        if number is not None:
            result.append(figure(number))
        elif kind == "paragraph_open":
            result.extend(blocks(inner, footnotes=footnotes))
        elif kind == "heading_open":
            level = int(token.tag[1])
            result.append({"k": "h", "level": level, "c": inline(inner[0].children or [])})
        elif kind in ("bullet_list_open", "ordered_list_open"):
            items = []
            j = 0
            while j < len(inner):
                item_end = _closing(inner, j)
                items.append(blocks(inner[j + 1 : item_end], footnotes=footnotes))
                j = item_end + 1
            node = {"k": "ol" if kind.startswith("ordered") else "ul", "items": items}
            if kind.startswith("ordered"):
                node["start"] = int(token.attrGet("start") or 1)
            result.append(node)
        elif kind == "blockquote_open":
            result.append({"k": "quote", "c": blocks(inner, footnotes=footnotes)})
        elif kind == "table_open":
            result.append(_table(inner))
        i = end + 1
    return result


def _closing(tokens, start):
    """Index of the token closing ``tokens[start]``."""
    depth = 0
    for j in range(start, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def _table(tokens):
    rows, header = [], 0
    in_head = False
    for token in tokens:
        if token.type == "thead_open":
            in_head = True
        elif token.type == "thead_close":
            in_head = False
        elif token.type == "tr_open":
            rows.append([])
            header += in_head
        elif token.type == "inline":
            rows[-1].append(inline(token.children or []))
    columns = max((len(row) for row in rows), default=1)
    rows = [row + [[]] * (columns - len(row)) for row in rows]
    return {"k": "table", "columns": columns, "header": header, "rows": rows}


def body_blocks(markdown: str, figure=None) -> list:
    tokens, _env = parse_markdown(markdown)
    return blocks(tokens, footnotes=_footnotes(tokens), figure=figure)


def figure_block(figures, language):
    """``figure(number)``: the PDF's block for figure ``number`` of ``figures`` (its
    960-pixel picture in its own kind, as bytes), or a note that it is missing."""
    placed = set()

    def figure(number):
        label = figure_label("figure", number, language)
        found = figures[number - 1] if 0 < number <= len(figures) else None
        if found is None or number in placed:
            return {"k": "p", "c": [{"t": "text", "v": f"[{label}]" if not found else label}]}
        placed.add(number)
        ext = found.image.name.rsplit(".", 1)[-1]
        choices = [r for r in found.renditions if r["name"].endswith("." + ext)]
        rendition = min(choices, key=lambda r: abs(r["width"] - 960))
        try:
            with private_storage().open(found.rendition_path(rendition["name"])) as handle:
                data = list(handle.read())
        except OSError:
            return {"k": "p", "c": [{"t": "text", "v": f"[{label}]"}]}
        caption = f"{label} {found.caption}".strip()
        source = _("来源：") + found.source if found.source else ""
        return {"k": "figure", "data": data, "caption": caption, "source": source}

    return figure


def _credit(authorship, english):
    """What follows the name: the byline override, or title and affiliation."""
    if authorship.byline:
        return authorship.byline
    author = authorship.author
    if english:
        return ", ".join(part for part in (author.title, author.affiliation) if part)
    return "".join(part for part in (author.affiliation, author.title) if part)


def byline_lines(authorships, *, english):
    """Lines of the byline: ``甲、乙/某研究院研究员``, authors sharing a credit on one line."""
    groups = []
    for authorship in authorships:
        credit = _credit(authorship, english)
        if groups and groups[-1][1] == credit:
            groups[-1][0].append(authorship.author.name)
        else:
            groups.append(([authorship.author.name], credit))
    separator = ", " if english else "、"
    lines = []
    for names, credit in groups:
        joined = separator.join(names)
        if credit:
            lines.append(f"{joined} / {credit}" if english else f"{joined}/{credit}")
        else:
            lines.append(f"By {joined}" if english else f"作者：{joined}")
    return lines


_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]{1,3}\s*、|\d{1,2}\s*[.．、]\s*(?!\d)|[（(])")
_CHINESE_NUMBERS = "一二三四五六七八九十"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 23 → 二十三 (headings run to a few dozen at most)."""
    tens, ones = divmod(n, 10)
    prefix = "" if tens == 0 else ("十" if tens == 1 else _CHINESE_NUMBERS[tens - 1] + "十")
    return prefix + (_CHINESE_NUMBERS[ones - 1] if ones else "")


def numbered_headings(headings, *, english):
    """Headings as printed: numbered in sequence (一、… or 1. …) when none carries a
    number of its own; left as they are when any does. The lead's blank heading stays."""
    if any(_NUMBERED.match(h) for h in headings if h):
        return list(headings)
    result, n = [], 0
    for heading in headings:
        if heading:
            n += 1
            heading = f"{n}. {heading}" if english else f"{chinese_number(n)}、{heading}"
        result.append(heading)
    return result


def note_document(note, *, authorships, sections, corrections, reference, figures=()) -> dict:
    """Everything the template needs, as plain data (JSON-serialisable); labels in the
    active language (``notes.pdf.document_for`` makes it the note's)."""
    english = note.language == "en"
    note_type = note.note_type
    type_name = ""
    if note_type:
        type_name = (note_type.name_en or note_type.name) if english else note_type.name
    series = note.series.name if note.series else ""
    published = timezone.localdate(note.published_at)
    figure = figure_block(list(figures), note.language)
    return {
        "lang": "en" if english else "zh",
        "authors": [a.author.name for a in authorships],
        "keywords": list(reference.keywords),
        "published": [published.year, published.month, published.day],
        "header": {
            "left": reference.publisher,
            "center": " ".join(part for part in (series, type_name) if part)
            if english
            else f"{series}{type_name}",
            "right": (note_type.name_en or note_type.name) if note_type else "Research Note",
        },
        "series": series,
        "type": type_name,
        "title": note.title,
        "date": formats.date_format(timezone.localtime(note.published_at), "DATE_FORMAT"),
        "summary": note.summary_paragraphs,
        "byline": byline_lines(authorships, english=english),
        "sections": [
            {"heading": heading, "blocks": body_blocks(section.body, figure)}
            for heading, section in zip(
                numbered_headings([s.heading for s in sections], english=english),
                sections,
                strict=True,
            )
        ],
        "corrections": [
            _("%(kind)s %(date)s：%(message)s")
            % {
                "kind": correction.get_kind_display(),
                "date": formats.date_format(
                    timezone.localtime(correction.created_at), "DATE_FORMAT"
                ),
                "message": correction.message,
            }
            for correction in corrections
        ],
        "citation": as_text(gbt7714(reference)),
        "url": reference.url,
        "qr": qr_svg(reference.url),
        "labels": {
            "summary": "Summary" if english else "摘　要",
            "body": "" if english else "正　文",
            "cite": _("引用格式"),
            "scan": _("扫码阅读网页版，查看更正记录"),
            "corrections": _("更正与更新"),
            "site": settings.SITE_NAME,
        },
    }
