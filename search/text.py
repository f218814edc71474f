"""Normalising, tokenising and highlighting Chinese and Latin text, the same way for both
databases, for the index and for queries.

Text is normalised (NFKC, case-folded, Traditional to Simplified with OpenCC). A run of
CJK characters gives, at each character, the character, the bigram and the trigram
starting there (``中美关系``: ``中 中美 中美关 美 美关 美关系 关 关系 系``), so a term of
up to three characters is one token and a longer one the chain of its trigrams; no
dictionary, every substring is found. A run of letters and digits gives one word, and two
words in a row also a pair token (joined by :data:`PAIR_JOINER`), so a two-word phrase is
one lookup. Where tokens can over-match, queries check the canonical text.
"""

import re
import unicodedata
from functools import lru_cache
from html import escape

from django.utils.safestring import mark_safe

#: Bump when tokens change, then run ``manage.py rebuild_search_index``.
TOKENIZER_VERSION = 2

#: Longer Latin words are indexed by their beginning (and checked in the text).
MAX_WORD_LENGTH = 60
#: The longest CJK n-gram indexed.
NGRAM = 3
#: Joins the words of a pair token: a private-use character, never in a run,
#: kept inside a token by FTS5's ``unicode61``.
PAIR_JOINER = "\ue000"

_CJK_CHARS = (
    "\u3040-\u30ff"  # kana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # CJK ideographs and compatibility
    "\uac00-\ud7af"  # hangul
    "\U00020000-\U0003134f"  # CJK extensions B-G
)
_RUN = re.compile(rf"([{_CJK_CHARS}]+)|([^\W_{_CJK_CHARS}]+)")
_CJK_ONLY = re.compile(rf"[{_CJK_CHARS}]+")
_COMMON_FULLWIDTH = [(c, chr(ord(c) - 0xFEE0)) for c in "，：；（）！？"]
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def normalise(text: str) -> str:
    """NFKC, case-folded, Simplified; control characters become spaces."""
    for full, half in _COMMON_FULLWIDTH:  # the usual Chinese punctuation, quicker than NFKC
        text = text.replace(full, half)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = _CONTROL.sub(" ", text.casefold())
    return _t2s().convert(text) if _CJK_ONLY.search(text) else text


def runs(normalised: str) -> list[tuple[str, bool]]:
    """The runs of ``normalised`` text: (run, is_cjk) in order."""
    return [(cjk, True) if cjk else (word, False) for cjk, word in _RUN.findall(normalised)]


def run_tokens(run: str, is_cjk: bool) -> list[str]:
    """The index tokens of one run (see the module docstring)."""
    if not is_cjk:
        return [run[:MAX_WORD_LENGTH]]
    return [run[i : i + n] for i in range(len(run)) for n in range(1, min(NGRAM, len(run) - i) + 1)]


def cover_tokens(run: str, is_cjk: bool) -> list[str]:
    """The fewest tokens a text holding ``run`` holds: the run, or its trigrams."""
    if not is_cjk:
        return [run[:MAX_WORD_LENGTH]]
    return [run[i : i + NGRAM] for i in range(max(1, len(run) - NGRAM + 1))]


def pair(first: str, second: str) -> str:
    return first[:MAX_WORD_LENGTH] + PAIR_JOINER + second[:MAX_WORD_LENGTH]


def runs_tokens(found: list[tuple[str, bool]]) -> list[str]:
    """Index tokens of the runs of one text, in order (repeats kept)."""
    out = []
    previous = None
    for run, is_cjk in found:
        out.extend(run_tokens(run, is_cjk))
        if not is_cjk and previous is not None:
            out.append(pair(previous, run))
        previous = None if is_cjk else run
    return out


def _normalised_with_offsets(raw: str) -> tuple[str, list[int]]:
    """``raw`` normalised, and each character's index in ``raw``."""
    text = normalise(raw)
    if len(text) == len(raw):
        return text, list(range(len(raw)))
    chars, offsets = [], []
    for i, ch in enumerate(raw):
        norm = _CONTROL.sub(" ", unicodedata.normalize("NFKC", ch).casefold())
        chars.append(norm)
        offsets.extend([i] * len(norm))
    text = "".join(chars)
    converted = _t2s().convert(text) if _CJK_ONLY.search(text) else text
    return (converted if len(converted) == len(text) else text), offsets


@lru_cache(maxsize=256)
def _needle_pattern(needles: tuple[str, ...]) -> re.Pattern:
    """Needles longest first; spaces match any gap; Latin edges match whole words."""
    word = f"[^\\W_{_CJK_CHARS}]"
    alternatives = []
    for needle in sorted(needles, key=len, reverse=True):
        body = r"[\W_]+".join(re.escape(part) for part in needle.split(" "))
        if not _CJK_ONLY.match(needle[0]):
            body = f"(?<!{word})" + body
        if not _CJK_ONLY.match(needle[-1]):
            body += f"(?!{word})"
        alternatives.append(body)
    return re.compile("|".join(alternatives))


def find_spans(raw: str, needles: list[str]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) spans in ``raw`` where a normalised needle occurs
    (spaces match any gap); looked for as written first, which is several times faster."""
    needles = tuple(n for n in needles if n)
    if not raw or not needles:
        return []
    pattern = _needle_pattern(needles)
    folded = raw.casefold()
    if len(folded) == len(raw):
        spans = [m.span() for m in pattern.finditer(folded)]
        if spans:
            return spans
    text, offsets = _normalised_with_offsets(raw)
    return [(offsets[m.start()], offsets[m.end() - 1] + 1) for m in pattern.finditer(text)]


def highlight(raw: str, needles: list[str], *, width=120) -> tuple[str, bool]:
    """An escaped excerpt (safe HTML) of about ``width`` characters around the first
    match, with matches wrapped in ``<mark>``; and whether anything matched."""
    spans = find_spans(raw, needles)
    if not spans:
        return mark_safe(escape(raw[:width]) + ("…" if len(raw) > width else "")), False
    start = max(0, spans[0][0] - width // 4)
    end = min(len(raw), start + width)
    parts, pos = ["…" if start > 0 else ""], start
    for s, e in spans:
        if s < end and e > start:
            s, e = max(s, start), min(e, end)
            parts += [escape(raw[pos:s]), f"<mark>{escape(raw[s:e])}</mark>"]
            pos = e
    parts += [escape(raw[pos:end]), "…" if end < len(raw) else ""]
    return mark_safe("".join(parts)), True
