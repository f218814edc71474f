"""Character-level clean-up and re-joining of hard-wrapped lines.

Briefs reach us as text extracted from PDF by report platforms: every line
followed by a blank line, Chinese hard-wrapped at a fixed width, running
headers and page numbers in the middle of paragraphs. This module knows about
characters and lines; :mod:`notes.importing.parser` knows about the parts of a
brief.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

from notes.importing.folding import fold

#: Characters that end a sentence, in Chinese and in English.
SENTENCE_END = "。！？!?.…”’\"'）)」』"
#: Lines at least this much narrower than the page width count as short.
SHORT_LINE_RATIO = 0.8
#: A line wider than this (in display columns) means the text is not hard-wrapped.
UNWRAPPED_WIDTH = 200

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]+")
_SPACES = re.compile("[\u00a0\u2002\u2003\u2009\u202f\t]")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")


def normalize(text: str) -> str:
    """Unify line endings, drop zero-width characters and fold compatibility forms."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return fold(_SPACES.sub(" ", _ZERO_WIDTH.sub("", text)))


#: Wide (two-column) characters: the CJK blocks of East Asian Width W and F (emoji,
#: rare in briefs, count as narrow).
_WIDE = re.compile(
    "[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
    "\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f\uff00-\uff60\uffe0-\uffe6"
    "\U00020000-\U0003fffd]"
)


def is_cjk(ch: str) -> bool:
    """True for Chinese characters and full-width (CJK) punctuation."""
    return _WIDE.match(ch) is not None


def width(text: str) -> int:
    """Display width: a Chinese character counts two columns.

    Lines longer than ``UNWRAPPED_WIDTH`` characters are never headings, titles
    or wrapped lines, so their width is only bounded (twice their length).
    """
    if len(text) > UNWRAPPED_WIDTH:
        return 2 * len(text)
    return len(text) + len(_WIDE.findall(text))


def key(text: str) -> str:
    """A comparison key: NFKC, case-folded, without any whitespace.

    Long text never matches a short name, so only its start is compared.
    """
    text = fold(text[:300])
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).casefold()


def language_of(text: str) -> str:
    """``zh-hans`` when Chinese characters make up a fair share of the letters, else ``en``."""
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    return "zh-hans" if cjk and cjk * 4 >= latin else "en"


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines into one paragraph.

    No space is inserted where either side is Chinese (``南辕北`` + ``辙``);
    one space between English words; spaces inside a line are kept, runs of
    spaces collapsed. A hyphen at the end of an English line is kept and the
    next word follows without a space (``well-`` + ``known``).
    """
    parts = []
    for raw in lines:
        line = raw.strip(" \u3000")
        if not line:
            continue
        if parts:
            previous = parts[-1]
            last, first = previous[-1], line[0]
            hyphenated = last == "-" and len(previous) > 1 and previous[-2].isalpha()
            if not hyphenated and not is_cjk(last) and not is_cjk(first):
                parts.append(" ")
        parts.append(line)
    return re.sub(r" {2,}", " ", "".join(parts))


@dataclass(eq=False)
class Line:
    """One physical line of the source."""

    text: str  # stripped of surrounding spaces (ASCII and full-width)
    raw: str
    blank_before: bool = False
    after_body_marker: bool = False  # the first line after a 正文 marker

    @cached_property
    def width(self) -> int:
        return width(self.text)

    @property
    def trailing_space(self) -> bool:
        return self.raw != self.raw.rstrip()

    @property
    def indented(self) -> bool:
        """Starts with a full-width indent or at least two spaces (a new paragraph)."""
        return self.raw.startswith("\u3000") or self.raw.startswith("  ")

    @property
    def ends_sentence(self) -> bool:
        return bool(self.text) and self.text[-1] in SENTENCE_END


class Layout:
    """What the wrapped text tells about paragraph boundaries.

    The rule, derived from text that report platforms extract from PDF:

    * *Double spacing*: when (nearly) every line is followed by a blank line,
      blank lines carry no meaning; otherwise a blank line ends a paragraph.
    * *Trailing-space markers*: extractors leave a space after the last line of
      each paragraph (and after headings) but not after a line that merely
      fills the width. When some body lines carry such a space and others do
      not, a line ending with sentence-final punctuation (。！？” …) ends its
      paragraph exactly when it has the trailing space — a full-width line
      ending with 。 but without the space continues on the next line.
    * Without markers, a line ending with sentence-final punctuation ends its
      paragraph when it is short: narrower than ``SHORT_LINE_RATIO`` of the
      page width (the width most full lines reach).
    * A line indented with a full-width space (　　) or two spaces starts a
      new paragraph when not every line is indented.
    * When lines are wider than ``UNWRAPPED_WIDTH``, or when most long lines
      end a sentence (hard-wrapped text mostly breaks mid-sentence), the text
      is not wrapped at all and every line is a paragraph of its own.
    """

    def __init__(self, lines: list[Line]):
        body = [line for line in lines if line.text]
        n = len(body) or 1
        glued = sum(1 for line in body[1:] if not line.blank_before)
        self.double_spaced = glued <= 0.25 * n
        marked = sum(1 for line in body if line.trailing_space)
        self.markers = 0.05 * n <= marked <= 0.9 * n
        indented = sum(1 for line in body if line.indented)
        self.indents = 0 < indented < 0.9 * n
        widths = sorted(line.width for line in body)
        self.page_width = widths[int(len(widths) * 0.9)] if widths else 0
        long_lines = [line for line in body if line.width > 40]
        if len(long_lines) < 2:
            long_lines = body
        complete = sum(1 for line in long_lines if line.ends_sentence)
        self.unwrapped = self.page_width > UNWRAPPED_WIDTH or (
            len(long_lines) >= 2 and complete >= 0.7 * len(long_lines)
        )

    def starts_paragraph(self, line: Line) -> bool:
        return (line.blank_before and not self.double_spaced) or (self.indents and line.indented)

    def ends_paragraph(self, line: Line) -> bool:
        if self.unwrapped:
            return True
        if not line.ends_sentence:
            return False
        if self.markers:
            return line.trailing_space
        return line.width < SHORT_LINE_RATIO * self.page_width


def split_lines(text: str) -> list[Line]:
    """Non-blank lines, each remembering whether a blank line preceded it."""
    result, blank = [], False
    for raw in text.split("\n"):
        stripped = raw.strip(" \u3000\t")
        if not stripped:
            blank = True
            continue
        result.append(Line(text=stripped, raw=raw, blank_before=blank))
        blank = False
    return result


def paragraphs(lines: list[Line], layout: Layout) -> list[str]:
    """Re-join ``lines`` into paragraphs following ``layout``."""
    result, current = [], []
    for line in lines:
        if current and layout.starts_paragraph(line):
            result.append(join_lines(current))
            current = []
        current.append(line.text)
        if layout.ends_paragraph(line):
            result.append(join_lines(current))
            current = []
    if current:
        result.append(join_lines(current))
    return [p for p in result if p]
