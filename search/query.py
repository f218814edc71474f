"""Reading what a reader typed into a search box.

Syntax: words and ``"exact phrases"`` must all occur; ``A OR B`` wants either; ``-word``
excludes. Whatever else is typed (operators of either database, unbalanced quotes, control
characters) is read as text, and a term only ever reaches a database as quoted tokens of
letters, digits and CJK characters, so nothing typed can change the structure of a query.
"""

import itertools
import re
import unicodedata
from dataclasses import dataclass, field

from search.text import MAX_WORD_LENGTH, cover_tokens, normalise, pair, runs

#: Longer queries are cut to this many characters (the page says so).
MAX_QUERY_LENGTH = 200

_ITEM = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_QUOTES = str.maketrans({"“": '"', "”": '"', "＂": '"', "「": '"', "」": '"'})


@dataclass(frozen=True)
class Term:
    """One word or phrase, normalised: ``tokens`` are what the index is asked for; ``needle``
    is the term as it must occur in the canonical text (a space on a Latin edge: ``us`` is
    not in ``focus``). ``exact`` terms (a CJK run of distinct trigrams, or one Latin word
    or pair) are answered by the index alone; the others (``哈哈哈哈``, longer phrases,
    mixed scripts, over-long words) are checked against the text too."""

    text: str
    tokens: tuple[str, ...]
    needle: str
    exact: bool  # the index alone answers it, with no text check


@dataclass
class ParsedQuery:
    raw: str
    clauses: list[list[Term]] = field(default_factory=list)  # AND of (OR of terms)
    excluded: list[Term] = field(default_factory=list)
    truncated: bool = False

    def __bool__(self):
        return bool(self.clauses)

    @property
    def terms(self) -> list[Term]:
        return [term for clause in self.clauses for term in clause]


def make_term(text: str) -> Term | None:
    found = runs(normalise(text))
    if not found:
        return None
    long_word = any(not is_cjk and len(run) > MAX_WORD_LENGTH for run, is_cjk in found)
    if len(found) > 1 and not any(is_cjk for _, is_cjk in found):  # words: their pairs
        tokens = [pair(a, b) for (a, _), (b, _) in itertools.pairwise(found)]
    else:
        tokens = [token for run, is_cjk in found for token in cover_tokens(run, is_cjk)]
    canonical = " ".join(run for run, _ in found)
    needle = (" " if not found[0][1] else "") + canonical + (" " if not found[-1][1] else "")
    if len(found) == 1 and found[0][1]:  # one CJK run: its token or its trigram chain
        exact = len(set(tokens)) == len(tokens)
    else:
        exact = len(tokens) == 1 and not long_word
    # A term repeating a token ("哈哈哈哈") keeps it once in the index query.
    return Term(canonical, tuple(dict.fromkeys(tokens)), needle, exact)


def parse(raw: str) -> ParsedQuery:
    raw = raw or ""
    query = ParsedQuery(raw=raw[:MAX_QUERY_LENGTH], truncated=len(raw) > MAX_QUERY_LENGTH)
    text = unicodedata.normalize("NFKC", query.raw).translate(_QUOTES)
    pending_or = False
    for match in _ITEM.finditer(text):
        negative, phrase, word = match.group(1), match.group(2), match.group(3)
        if word == "OR":
            pending_or = bool(query.clauses)
            continue
        if word is not None and word.startswith("-") and len(word) > 1:
            negative, word = "-", word[1:]
        term = make_term(phrase if phrase is not None else word)
        if term is None:
            continue
        if negative:
            query.excluded.append(term)
        elif pending_or:
            query.clauses[-1].append(term)
        else:
            query.clauses.append([term])
        pending_or = False
    return query


def _boolean(query: ParsedQuery, quote: str, and_: str, or_: str) -> tuple[str, list[str]]:
    """The clauses of ``query`` and its exact excluded terms in a database's syntax,
    each term the AND of its quoted tokens: candidates (text checks follow)."""

    def term_expr(term):
        return "(" + and_.join(quote.format(token) for token in term.tokens) + ")"

    clauses = ["(" + or_.join(term_expr(t) for t in clause) + ")" for clause in query.clauses]
    return and_.join(clauses), [term_expr(t) for t in query.excluded if t.exact]


def tsquery(query: ParsedQuery) -> str:
    """A PostgreSQL tsquery literal."""
    positive, excluded = _boolean(query, "'{}'", " & ", " | ")
    return " & ".join([positive, *(f"!{e}" for e in excluded)])


def fts5_query(query: ParsedQuery) -> str:
    """An SQLite FTS5 MATCH string."""
    positive, excluded = _boolean(query, '"{}"', " AND ", " OR ")
    return f"({positive}) NOT ({' OR '.join(excluded)})" if excluded else positive


def text_checks(query: ParsedQuery) -> list[tuple[list[str], bool]]:
    """Checks against the canonical text where the index can over-match: (needles,
    wanted): one of ``needles`` must occur (``wanted``), or must not (excluded)."""
    checks = [
        ([t.needle for t in clause], True)
        for clause in query.clauses
        if any(not t.exact for t in clause)
    ]
    checks += [([t.needle], False) for t in query.excluded if not t.exact]
    return checks
