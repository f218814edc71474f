"""Frequent tokens: answered from memory instead of the index.

The index answers a token with its posting list, and the cost grows with
the list: a character or a word found in most notes (``的``, ``经济``,
``market``) costs the GIN index 30–40 ms at 100,000 notes, a rare name 3
(docs/performance.md). So the commonest tokens of the corpus form a
*vocabulary*, chosen when the index is rebuilt, and every index row carries
a bitset saying which of them the note holds (``frequent``, one bit a
token, with the ``vocabulary`` it was packed for). The catalogue of
published notes (``catalogue.py``) keeps those bitsets, and a query's
frequent tokens are tested there, over arrays; only its rarer tokens, with
short posting lists, reach the database (``plan.py``).

The vocabulary only decides speed, never results: any token not in it is
looked up in the index as before. A catalogue whose rows were packed for
different vocabularies does not use them at all (see ``catalogue.py``).
Rows written with a vocabulary a rebuild has just replaced are written
again after their commit (``index._restamp``).
"""

import json
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from django.db import connection

#: At most this many tokens (bits a row: 256 bytes, 25 MB for 100,000 notes
#: in each process's catalogue).
SIZE = 2048
#: A token joins the vocabulary when at least this share of the sampled notes
#: hold it. Rarer ones cost the index a few milliseconds at most.
MIN_SHARE = 0.02
#: A smaller index has no vocabulary: every lookup is quick there.
MIN_NOTES = 1000
#: The vocabulary is chosen from the tokens of at most this many notes,
#: spread evenly over all of them.
SAMPLE = 5000

TABLE = "notes_search_vocabulary"


@dataclass(frozen=True)
class Vocabulary:
    id: int
    tokens: tuple[str, ...]

    @cached_property
    def bits(self) -> dict[str, int]:
        return {token: bit for bit, token in enumerate(self.tokens)}

    @property
    def width(self) -> int:
        """Bytes of a row's bitset."""
        return (len(self.tokens) + 7) // 8

    def pack(self, tokens) -> bytes:
        """The bitset of a note holding ``tokens``: bit ``i`` (byte ``i // 8``,
        least significant first) for the vocabulary's ``i``-th token."""
        bits = self.bits
        found = np.zeros(self.width * 8, dtype=bool)
        found[np.fromiter((bits[t] for t in tokens if t in bits), dtype=np.intp)] = True
        return np.packbits(found, bitorder="little").tobytes()


def choose(token_sets, *, notes: int) -> list[str]:
    """The tokens to keep in memory, commonest first, from the token sets of
    a sample of the notes; none when the index holds fewer than
    :data:`MIN_NOTES` ``notes``."""
    counts = Counter()
    sampled = 0
    for tokens in token_sets:
        counts.update(tokens)
        sampled += 1
    if notes < MIN_NOTES or not sampled:
        return []
    least = max(1, MIN_SHARE * sampled)
    common = sorted(
        (item for item in counts.items() if item[1] >= least), key=lambda item: (-item[1], item[0])
    )
    return [token for token, _ in common[:SIZE]]


def store(tokens) -> Vocabulary | None:
    """Make ``tokens`` the current vocabulary (none if empty), in the caller's
    transaction; earlier vocabularies are dropped."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {TABLE}")
        latest = cursor.fetchone()[0]
        cursor.execute(f"DELETE FROM {TABLE}")
        if not tokens:
            return None
        vocabulary = Vocabulary(latest + 1, tuple(tokens))
        cursor.execute(
            f"INSERT INTO {TABLE} (id, tokens) VALUES (%s, %s)",
            [vocabulary.id, json.dumps(tokens, ensure_ascii=False)],
        )
    _known[_key()] = vocabulary
    return vocabulary


_known: dict[str, Vocabulary] = {}


def _key():
    return f"{connection.vendor}:{connection.settings_dict['NAME']}"


def forget():
    """Drop the vocabularies this process has read (they are read again)."""
    _known.clear()


def current_id() -> int | None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id) FROM {TABLE}")
        return cursor.fetchone()[0]


def current() -> Vocabulary | None:
    """The vocabulary index rows are packed for now: one small query, and a
    second when it changed since this process last read it."""
    latest = current_id()
    if latest is None:
        return None
    known = _known.get(_key())
    if known is not None and known.id == latest:
        return known
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, tokens FROM {TABLE} WHERE id = %s", [latest])
        row = cursor.fetchone()
    if row is None:  # replaced in between: the next write reads it
        return None
    vocabulary = _known[_key()] = Vocabulary(row[0], tuple(json.loads(row[1])))
    return vocabulary
