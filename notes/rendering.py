"""Markdown to safe HTML.

Section bodies are Markdown written by editors. They are rendered once, on
save, by markdown-it-py with raw HTML disabled, and the result is passed
through nh3 (an allow-list sanitizer), so nothing an editor pastes can add a
script, an event handler or a ``javascript:`` link to a public page.
"""

import re

import nh3
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from notes.paragraphs import split_blocks

ALLOWED_TAGS = {
    "p", "br", "hr", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "s", "del", "sub", "sup",
    "blockquote", "ul", "ol", "li", "a", "code", "pre", "table", "thead", "tbody", "tr", "th", "td",
    "figure", "figcaption", "abbr", "cite", "q", "mark",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# Wide characters that need no space when a wrapped line is joined.
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\U00020000-\U0002fa1f]")


def joins_without_space(tokens, idx) -> bool:
    """True when the soft line break ``tokens[idx]`` falls between two CJK characters."""
    before = tokens[idx - 1].content[-1:] if idx > 0 else ""
    after = tokens[idx + 1].content[:1] if idx + 1 < len(tokens) else ""
    return bool(before and after and _CJK.match(before) and _CJK.match(after))


def _softbreak(self, tokens, idx, options, env):
    """Join wrapped lines without a space between two CJK characters.

    Browsers draw a newline inside a paragraph as a space, which breaks Chinese
    text that was hard-wrapped in the source.
    """
    return "" if joins_without_space(tokens, idx) else "\n"


def _footnote_ref(self, tokens, idx, options, env):
    """A mark the page numbers across the whole note (see ``notes.body``)."""
    meta = tokens[idx].meta
    return f"<!--fnref:{meta['id']}:{meta['subId']}-->"


def _build_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin, inline=False)
    md.add_render_rule("softbreak", _softbreak)
    md.add_render_rule("footnote_ref", _footnote_ref)
    md.add_render_rule("footnote_anchor", lambda *args: "")
    return md


_parser = _build_parser()


def sanitize_html(html: str) -> str:
    """Only allowed tags and attributes are kept. Comments are kept: with raw HTML
    off, only this module's rules write any (the marks ``notes.body`` fills in)."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=False,
    )


def _demote_headings(html: str) -> str:
    return re.sub(r"<(/?)h([1-6])>", lambda m: f"<{m[1]}h{min(int(m[2]) + 2, 6)}>", html)


def render_markdown(text: str, *, language: str = "zh-hans") -> str:
    """Render Markdown to sanitized HTML (headings demoted below the section's h2),
    with figures, tables and footnotes as in a note (see ``render_with_ids``)."""
    if not text.strip():
        return ""
    return render_with_ids(text, [], link_label="", language=language)


def parse_markdown(text: str):
    """``(tokens, env)`` of markdown-it for ``text`` (the PDF reads the same tokens)."""
    env = {}
    return _parser.parse(text, env), env


def markdown_blocks(text: str):
    """The top-level blocks of ``text`` (see ``notes.paragraphs``)."""
    tokens, _env = parse_markdown(text)
    return split_blocks(tokens, text.splitlines())


# ``[[图2]]``, ``[[表1]]``, ``[[Figure 2]]``: a figure or a table by its number.
REFERENCE = re.compile(r"\[\[\s*(图|表|Figure|Fig\.?|Table)\s*(\d{1,3})\s*\]\]", re.IGNORECASE)
# A paragraph right before a table that gives its caption: ``表：…`` or ``Table: …``.
TABLE_CAPTION = re.compile(r"^\s*(?:表|Table)\s*[:：]\s*", re.IGNORECASE)
# A paragraph right after a table that gives its source.
TABLE_SOURCE = re.compile(r"^\s*(?:资料来源|数据来源|来源|Sources?)\s*[:：]", re.IGNORECASE)


def figure_label(kind: str, number, language: str) -> str:
    """``图2`` / ``Figure 2``, ``表1`` / ``Table 1``: numbers in the note's language."""
    if language == "en":
        return f"{'Table' if kind == 'table' else 'Figure'} {number}"
    return f"{'表' if kind == 'table' else '图'}{number}"


def _kind(word: str) -> str:
    return "table" if word.lower() in ("表", "table") else "figure"


def _link_references(html: str, language: str) -> str:
    def link(match):
        kind, number = _kind(match[1]), int(match[2])
        label = figure_label(kind, number, language)
        return f'<a class="xref" href="#{kind}-{number}">{label}</a>'

    return REFERENCE.sub(link, html)


def _paragraph_text(block) -> str | None:
    """The text of a block that is a plain paragraph, else ``None``."""
    tokens = block.tokens
    if len(tokens) == 3 and tokens[0].type == "paragraph_open":
        return tokens[1].content
    return None


def placed_figure(block) -> int | None:
    """The number of the figure a paragraph of its own places (``[[图2]]``), or ``None``."""
    text = _paragraph_text(block)
    match = REFERENCE.fullmatch(text.strip()) if text else None
    if match and _kind(match[1]) == "figure":
        return int(match[2])
    return None


def _is_table(block) -> bool:
    return block.tokens[0].type == "table_open"


def _table_caption(block) -> bool:
    text = _paragraph_text(block)
    return bool(text and TABLE_CAPTION.match(text))


def _table_source(block) -> bool:
    text = _paragraph_text(block)
    return bool(text and TABLE_SOURCE.match(text))


class _Renderer:
    def __init__(self, env, language):
        self.env = env
        self.language = language

    def html(self, tokens) -> str:
        html = _parser.renderer.render(tokens, _parser.options, self.env)
        return _link_references(sanitize_html(_demote_headings(html)), self.language)

    def inline_html(self, block, strip=None) -> str:
        """The inline content of a paragraph block, ``strip`` (a pattern) cut from its start."""
        children = list(block.tokens[1].children or [])
        if strip and children and children[0].type == "text":
            first = children[0].copy()
            first.content = strip.sub("", first.content, count=1)
            children[0] = first
        html = _parser.renderer.render(children, _parser.options, self.env)
        return _link_references(sanitize_html(html), self.language)

    def table(self, caption, table, source, caption_id, source_id) -> str:
        """A table in a ``<figure>``: numbered caption, a box that scrolls sideways, source.

        ``<!--table-->`` and ``<!--table-label-->`` are numbered by ``notes.body``.
        """
        caption_html = ""
        if caption is not None:
            caption_html = " " + self.inline_html(caption, TABLE_CAPTION)
        source_html = ""
        if source is not None:
            source_html = format_html(
                '<p class="figure-source"{}>{}</p>',
                format_html(' id="{}"', source_id) if source_id else "",
                mark_safe(self.inline_html(source)),
            )
        return format_html(
            '<!--table--><figure class="table-figure"><figcaption{cid}>'
            '<span class="figure-label"><!--table-label--></span>{caption}</figcaption>'
            '<div class="table-scroll" role="region" tabindex="0" aria-label="<!--table-label-->">'
            "{table}</div>{source}</figure>",
            cid=format_html(' id="{}"', caption_id) if caption_id else "",
            caption=mark_safe(caption_html),
            table=mark_safe(self.html(table.tokens)),
            source=source_html,
        )

    def footnotes(self, block) -> str:
        """Each footnote between ``<!--fn:id:references-->`` and ``<!--/fn-->``."""
        listed = self.env.get("footnotes", {}).get("list", {})
        parts, tokens, i = ["<!--footnotes-->"], block.tokens, 0
        while i < len(tokens):
            if tokens[i].type != "footnote_open":
                i += 1
                continue
            end = i + 1
            while tokens[end].type != "footnote_close":
                end += 1
            number = tokens[i].meta["id"]
            count = listed.get(number, {}).get("count", 1)
            parts.append(f"<!--fn:{number}:{count}-->{self.html(tokens[i + 1 : end])}<!--/fn-->")
            i = end + 1
        return "".join(parts)


def _wrap(html: str, pid, link_label, extra_class="") -> str:
    if pid is None:
        return html
    return format_html(
        '<div class="para{cls}" id="{pid}">{html}'
        '<a class="para-link" href="#{pid}" aria-label="{label}">¶</a></div>\n',
        cls=extra_class,
        pid=pid,
        html=mark_safe(html),  # sanitized, or made here from sanitized parts
        label=link_label,
    )


def render_with_ids(text: str, paragraph_ids, *, link_label: str, language="zh-hans") -> str:
    """Sanitized HTML in which each linkable block is wrapped with its id and a "¶" link.

    ``paragraph_ids`` has one id per linkable block of ``text`` (as assigned by
    ``notes.paragraphs.carry_over``). Each block is rendered and sanitized on
    its own; the wrapper and ids are added after sanitizing, from ids made here.

    Figures, tables and footnotes are numbered across the whole note, so they
    are left as marks (HTML comments) that ``notes.body`` fills in on the page:
    a paragraph of its own ``[[图2]]`` places figure 2; a table is captioned by a
    paragraph ``表：…`` before it and sourced by one ``来源：…`` after it;
    ``[[图2]]`` in running text links to figure 2.
    """
    tokens, env = parse_markdown(text)
    blocks = split_blocks(tokens, text.splitlines())
    ids_left = iter(paragraph_ids)
    ids = {id(block): next(ids_left, None) if block.linkable else None for block in blocks}
    renderer = _Renderer(env, language)
    parts, i = [], 0
    while i < len(blocks):
        block = blocks[i]
        pid = ids[id(block)]
        if block.tokens[0].type == "footnote_block_open":
            parts.append(renderer.footnotes(block))
        elif (number := placed_figure(block)) is not None:
            parts.append(_wrap(f"<!--figure:{number}-->", pid, link_label, " figure-block"))
        elif _is_table(block) or (
            _table_caption(block) and i + 1 < len(blocks) and _is_table(blocks[i + 1])
        ):
            caption = None
            if not _is_table(block):
                caption, i = block, i + 1
            table = blocks[i]
            source = None
            if i + 1 < len(blocks) and _table_source(blocks[i + 1]):
                source, i = blocks[i + 1], i + 1
            html = renderer.table(
                caption,
                table,
                source,
                caption and ids[id(caption)],
                source and ids[id(source)],
            )
            parts.append(_wrap(html, ids[id(table)], link_label, " table-block"))
        else:
            parts.append(_wrap(renderer.html(block.tokens), pid, link_label))
        i += 1
    return "".join(parts)


_FOOTNOTE_MENTION = re.compile(r"\[\^([^\]\s]+)\](?!:)")


def footnote_problems(text: str) -> tuple[list[str], list[str]]:
    """``(undefined, unused)``: labels of footnotes referred to but not defined in
    ``text``, and defined but never referred to (markdown-it drops those)."""
    _tokens, env = parse_markdown(text)
    refs = env.get("footnotes", {}).get("refs", {})
    defined = {label[1:] for label in refs}
    unused = sorted(label[1:] for label, number in refs.items() if number < 0)
    undefined = sorted({m for m in _FOOTNOTE_MENTION.findall(text) if m not in defined})
    return undefined, unused
