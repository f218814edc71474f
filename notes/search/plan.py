"""How one query is answered: what the index looks up, what memory tests.

A query is an AND of clauses, each an OR of terms, each an AND of tokens,
less its excluded terms (``query.py``). Frequent tokens (``frequent.py``)
are tested over the catalogue's bitsets; the rest are looked up in the
index as *lookups*, each an AND of tokens whose matching note ids come back
from the one match statement (``engine.py``):

* the rare tokens of every one-term clause, together, in one lookup;
* the rare tokens of each term of an ``OR`` clause, and of each excluded
  term, in one lookup each (so that memory can tell the terms apart).

``中美 贝森特`` is then one lookup of ``贝森特`` (a short posting list) and a
bit test of ``中美``; ``的`` is a bit test alone, with no lookup.

A query with no frequent token, one whose terms need a check against the
text (see ``query.Term.exact``), or a catalogue without bitsets is answered
by the index whole, in one lookup, as :func:`whole`.
"""

from dataclasses import dataclass, field

import numpy as np

from notes.search.query import ParsedQuery, Term


@dataclass(frozen=True)
class Part:
    """One term as memory sees it: frequent tokens (bits) and, for its rarer
    tokens, the number of the lookup that answers them."""

    bits: tuple[int, ...]
    lookup: int | None


@dataclass
class Plan:
    #: What the index is asked: each is a query whose matching ids come back.
    lookups: list[ParsedQuery] = field(default_factory=list)
    #: The id of the vocabulary the bits are numbers in; None: no bits.
    vocabulary: int | None = None
    required: tuple[int, ...] = ()
    joint: int | None = None  # the lookup of the one-term clauses' rare tokens
    alternatives: list[list[Part]] = field(default_factory=list)
    excluded: list[Part] = field(default_factory=list)

    @property
    def whole(self) -> bool:
        """The index answers the query alone (its one lookup is the query)."""
        return self.vocabulary is None

    def mask(self, catalogue, found: list[np.ndarray]) -> np.ndarray:
        """Which of the catalogue's notes match, given the ids ``found`` by
        each lookup."""
        if self.whole:
            return catalogue.among(found[0])
        sets = [catalogue.among(ids) for ids in found]

        def part(p):
            mask = catalogue.holding(p.bits)
            return mask if p.lookup is None else mask & sets[p.lookup]

        mask = catalogue.holding(self.required)
        if self.joint is not None:
            mask &= sets[self.joint]
        for clause in self.alternatives:
            either = np.zeros(len(mask), dtype=bool)
            for p in clause:
                either |= part(p)
            mask &= either
        for p in self.excluded:
            mask &= ~part(p)
        return mask


def whole(query: ParsedQuery) -> Plan:
    return Plan(lookups=[query])


def _lookup(raw, tokens) -> ParsedQuery:
    return ParsedQuery(raw, clauses=[[Term("", tuple(tokens), "", True)]])


def make(query: ParsedQuery, vocabulary) -> Plan:
    """The plan for ``query`` given the catalogue's ``vocabulary`` (None when
    it has no bitsets)."""
    terms = [*query.terms, *query.excluded]
    if vocabulary is None or not all(term.exact for term in terms):
        return whole(query)
    bits = vocabulary.bits
    if not any(token in bits for term in terms for token in term.tokens):
        return whole(query)
    plan = Plan(vocabulary=vocabulary.id)

    def split(term):
        frequent = [bits[token] for token in term.tokens if token in bits]
        return frequent, [token for token in term.tokens if token not in bits]

    def part(term):
        frequent, rare = split(term)
        if rare:
            plan.lookups.append(_lookup(query.raw, rare))
            return Part(tuple(frequent), len(plan.lookups) - 1)
        return Part(tuple(frequent), None)

    required, joint = [], []
    for clause in query.clauses:
        if len(clause) == 1:
            frequent, rare = split(clause[0])
            required += frequent
            joint += rare
        else:
            plan.alternatives.append([part(term) for term in clause])
    if joint:
        plan.lookups.append(_lookup(query.raw, dict.fromkeys(joint)))
        plan.joint = len(plan.lookups) - 1
    plan.required = tuple(dict.fromkeys(required))
    plan.excluded = [part(term) for term in query.excluded]
    return plan
