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


def _build_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    # Headings inside a section start at h3: the page has h1 (title) and h2 (sections).
    md.add_render_rule("softbreak", _softbreak)
    return md


_parser = _build_parser()


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def _demote_headings(html: str) -> str:
    return re.sub(r"<(/?)h([1-6])>", lambda m: f"<{m[1]}h{min(int(m[2]) + 2, 6)}>", html)


def render_markdown(text: str) -> str:
    """Render Markdown to sanitized HTML (headings demoted below the section's h2)."""
    if not text.strip():
        return ""
    return sanitize_html(_demote_headings(_parser.render(text)))


def parse_markdown(text: str):
    """``(tokens, env)`` of markdown-it for ``text`` (the PDF reads the same tokens)."""
    env = {}
    return _parser.parse(text, env), env


def markdown_blocks(text: str):
    """The top-level blocks of ``text`` (see ``notes.paragraphs``)."""
    tokens, _env = parse_markdown(text)
    return split_blocks(tokens, text.splitlines())


def render_with_ids(text: str, paragraph_ids, *, link_label: str) -> str:
    """Sanitized HTML in which each linkable block is wrapped with its id and a "¶" link.

    ``paragraph_ids`` has one id per linkable block of ``text`` (as assigned by
    ``notes.paragraphs.carry_over``). Each block is rendered and sanitized on
    its own; the wrapper and ids are added after sanitizing, from ids made here.
    """
    tokens, env = parse_markdown(text)
    ids = iter(paragraph_ids)
    parts = []
    for block in split_blocks(tokens, text.splitlines()):
        html = sanitize_html(
            _demote_headings(_parser.renderer.render(block.tokens, _parser.options, env))
        )
        pid = next(ids, None) if block.linkable else None
        if pid is None:
            parts.append(html)
            continue
        parts.append(
            format_html(
                '<div class="para" id="{pid}">{html}'
                '<a class="para-link" href="#{pid}" aria-label="{label}">¶</a></div>\n',
                pid=pid,
                html=mark_safe(html),  # sanitized just above
                label=link_label,
            )
        )
    return "".join(parts)
