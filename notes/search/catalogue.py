"""What counting and faceting need to know about every published note, in memory.

A word found in most notes matches some 95,000 of 100,000: counting them and
their topics, authors and years row by row in the database costs a few
hundred milliseconds however the statement is written (docs/performance.md).
Here the same facts sit in a few NumPy arrays per process (about 5 MB for
100,000 notes, and 24 MB more of frequent-token bitsets), and the count,
the three facets and the choice of the newest matches are array operations
over the ids the index returns, a few milliseconds in all.

The catalogue holds the notes whose status is published, as
``Note.objects.published()`` reads it; whether their time has come is
decided when the query runs, from their publication time, with the same
``<=`` as ``published()``, so a scheduled note appears by time alone. Their
topic and author ids come from their ``notes_search`` rows, which every
change to a note, its sections, topics or bylines rewrites in the note's
own transaction, as every step of the publishing workflow does, each write
stamping a new ``revision``. Every search reads the highest revision in
the same statement as its matches; a catalogue behind it reads the rows
written since and merges them (tens of milliseconds for 100,000 notes on the
benchmark machine; a deleted note's row is emptied, not removed, so that it
is read too). A full read (1–3 s there) happens once per process, after a
rollback, for a new vocabulary of frequent tokens, and every :data:`MAX_AGE`
seconds. Rows are stamped again after their transaction commits
(``index.write``), so that one committing after a later-stamped one is not
missed. A search inside a transaction that later rolls back would leave the
notes it read here until the next full read; the site never searches inside
a transaction that writes.

Notes outside the catalogue (drafts, withdrawn, deleted) are never counted:
matches are kept only if the catalogue holds them.

The catalogue also keeps each note's bitset of frequent tokens
(``frequent.py``), so that a query's commonest tokens are tested here, not
in the index (``plan.py``). It uses them only if every row it holds was
packed for the current vocabulary.
"""

import json
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property

import numpy as np
from django.db import connection

from notes.search import frequent

#: Seconds after which a catalogue is read in full again even if no revision says
#: so: the safety net for a status written without reindex(). A full read costs
#: seconds at 100,000 notes, so not often.
MAX_AGE = 3600

_lock = threading.Lock()
_cached: dict[str, "Catalogue"] = {}


def _csr(lists):
    """(pointers, dense codes, id of each code) for a list of id lists."""
    lengths = np.fromiter((len(ids) for ids in lists), dtype=np.int64, count=len(lists))
    flat = np.fromiter((i for ids in lists for i in ids), dtype=np.int64, count=int(lengths.sum()))
    return _pack(lengths, flat)


def _pack(lengths, flat):
    pointers = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=pointers[1:])
    code_ids, codes = np.unique(flat, return_inverse=True)
    return pointers, codes.astype(np.int32).reshape(-1), code_ids


def _slices(pointers, positions):
    """Indices of the entries of the notes at ``positions``, in order, and their counts."""
    starts = pointers[positions]
    lengths = pointers[positions + 1] - starts
    offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    return offsets + np.arange(int(lengths.sum())), lengths


def _merge(pointers, codes, code_ids, kept, new_lists, order):
    """The id lists of the ``kept`` positions followed by ``new_lists``, put in
    ``order``. Codes are remapped, not recomputed: ids no note refers to any
    more keep a code, and count nothing."""
    index, lengths = _slices(pointers, kept)
    new_lengths = np.fromiter((len(ids) for ids in new_lists), dtype=np.int64)
    new_flat = np.fromiter((i for ids in new_lists for i in ids), dtype=np.int64)
    merged_ids = np.union1d(code_ids, new_flat)
    flat = np.concatenate(
        [np.searchsorted(merged_ids, code_ids)[codes[index]], np.searchsorted(merged_ids, new_flat)]
    )
    lengths = np.concatenate([lengths, new_lengths])
    unordered = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=unordered[1:])
    index, lengths = _slices(unordered, order)
    pointers = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=pointers[1:])
    return pointers, flat[index].astype(np.int32), merged_ids


@dataclass
class Catalogue:
    revision: int
    loaded_at: float
    ids: np.ndarray  # note ids, ascending
    stamps: np.ndarray  # publication times, microseconds since the epoch
    years: np.ndarray  # publication years in the site's time zone
    series: np.ndarray  # series ids, -1 for none
    types: np.ndarray  # note type ids, -1 for none
    topic_pointers: np.ndarray
    topic_codes: np.ndarray
    topic_ids: np.ndarray
    author_pointers: np.ndarray
    author_codes: np.ndarray
    author_ids: np.ndarray
    topic_labels: dict[int, tuple[str, str]]  # id: (slug, name)
    author_labels: dict[int, tuple[str, str]]
    #: The vocabulary of frequent tokens index rows are packed for.
    vocabulary: frequent.Vocabulary | None = None
    #: Each note's bitset of those tokens (one row of ``vocabulary.width``
    #: bytes each), or None when not every note's was packed for it.
    bits: np.ndarray | None = None
    _totals: dict = field(default_factory=dict, repr=False)  # counts over every note

    @classmethod
    def read(cls, revision):
        """Every published note (the time is compared per query)."""
        from notes.models import Author, Topic

        vocabulary = frequent.current()
        rows = sorted(_rows(), key=lambda row: row[0])
        topics, authors = _csr([r[3] for r in rows]), _csr([r[4] for r in rows])
        return cls(
            revision,
            time.monotonic(),
            np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)),
            np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows)),
            np.fromiter((r[2] for r in rows), dtype=np.int32, count=len(rows)),
            np.fromiter((r[5] for r in rows), dtype=np.int64, count=len(rows)),
            np.fromiter((r[6] for r in rows), dtype=np.int64, count=len(rows)),
            *topics,
            *authors,
            _labels(Topic, topics[2]),
            _labels(Author, authors[2]),
            vocabulary,
            _bits(rows, vocabulary),
        )

    def updated(self, revision):
        """This catalogue with the notes whose index rows were written since.

        Notes that stopped being published leave it, and so do deleted ones
        (their rows are emptied, not removed: ``index.delete``).
        """
        from notes.models import Author, Topic

        changed = _rows(since=self.revision)
        kept = np.flatnonzero(~np.isin(self.ids, [row[0] for row in changed]))
        rows = [row for row in changed if row[7]]
        current = self.vocabulary.id if self.vocabulary else 0
        if any((row[9] or 0) > current for row in rows):  # a rebuild chose another vocabulary
            return Catalogue.read(revision)
        bits = None
        if self.bits is not None:
            bits = _bits(rows, self.vocabulary)  # None if a row was packed for another
        if bits is not None:
            bits = np.concatenate([self.bits[kept], bits])
        ids = np.concatenate([self.ids[kept], np.array([r[0] for r in rows], dtype=np.int64)])
        order = np.argsort(ids, kind="stable")
        new_topics = [r[3] for r in rows]
        new_authors = [r[4] for r in rows]
        topics = _merge(
            self.topic_pointers, self.topic_codes, self.topic_ids, kept, new_topics, order
        )
        authors = _merge(
            self.author_pointers, self.author_codes, self.author_ids, kept, new_authors, order
        )
        stamps = np.concatenate([self.stamps[kept], np.array([r[1] for r in rows], np.int64)])
        years = np.concatenate([self.years[kept], np.array([r[2] for r in rows], np.int32)])
        series = np.concatenate([self.series[kept], np.array([r[5] for r in rows], np.int64)])
        types = np.concatenate([self.types[kept], np.array([r[6] for r in rows], np.int64)])
        topic_labels = {**self.topic_labels, **_labels(Topic, _flat(new_topics))}
        author_labels = {**self.author_labels, **_labels(Author, _flat(new_authors))}
        return Catalogue(
            revision,
            self.loaded_at,
            ids[order],
            stamps[order],
            years[order],
            series[order],
            types[order],
            *topics,
            *authors,
            topic_labels,
            author_labels,
            self.vocabulary,
            None if bits is None else bits[order],
        )

    @cached_property
    def _lookup(self):
        """Position of each note id in the arrays, -1 for notes not here."""
        lookup = np.full(int(self.ids[-1]) + 1 if len(self.ids) else 0, -1, dtype=np.int64)
        lookup[self.ids] = np.arange(len(self.ids))
        return lookup

    def _find(self, note_ids):
        note_ids = note_ids[(note_ids >= 0) & (note_ids < len(self._lookup))]
        found = self._lookup[note_ids]
        return found[found >= 0]

    @cached_property
    def _topic_notes(self):
        """The position of the note of each topic entry."""
        return np.repeat(np.arange(len(self.ids)), np.diff(self.topic_pointers))

    @cached_property
    def _author_notes(self):
        return np.repeat(np.arange(len(self.ids)), np.diff(self.author_pointers))

    def _having(self, code_ids, codes, entry_notes, wanted_id):
        found = np.zeros(len(self.ids), dtype=bool)
        code = np.searchsorted(code_ids, wanted_id)
        if code < len(code_ids) and code_ids[code] == wanted_id:
            found[entry_notes[codes == code]] = True
        return found

    def filtered(self, positions, *, topics=(), author=None, series=None, note_type=None,
                 year=None):  # fmt: skip
        """Those of ``positions`` with every topic in ``topics`` (ids) and the
        given author, series, type and year (as ``NoteFilter.apply`` filters)."""
        keep = np.ones(len(positions), dtype=bool)
        for topic in topics:
            keep &= self._having(self.topic_ids, self.topic_codes, self._topic_notes, topic)[
                positions
            ]
        if author is not None:
            keep &= self._having(self.author_ids, self.author_codes, self._author_notes, author)[
                positions
            ]
        if series is not None:
            keep &= self.series[positions] == series
        if note_type is not None:
            keep &= self.types[positions] == note_type
        if year is not None:
            keep &= self.years[positions] == year
        return positions[keep]

    def holding(self, bits) -> np.ndarray:
        """Which notes hold every frequent token of ``bits`` (their numbers in
        the vocabulary), as a mask over positions."""
        found = np.ones(len(self.ids), dtype=bool)
        for bit in bits:
            found &= (self.bits[:, bit >> 3] & (1 << (bit & 7))) != 0
        return found

    def among(self, note_ids) -> np.ndarray:
        """A mask over positions of those of ``note_ids`` the catalogue holds."""
        found = np.zeros(len(self.ids), dtype=bool)
        found[self._find(note_ids)] = True
        return found

    def public(self, mask, *, now, within=None):
        """Positions of the notes of ``mask`` public at ``now`` (and among ``within``)."""
        mask = mask & (self.stamps <= now)
        if within is not None:
            mask &= self.among(within)
        return np.flatnonzero(mask)

    def positions(self, note_ids, *, now, within=None):
        """Positions of those of ``note_ids`` (distinct) that are public at ``now``.

        ``within``, if given, keeps only those also among these note ids.
        """
        found = self._find(note_ids)
        found = found[self.stamps[found] <= now]
        if within is not None:
            allowed = np.zeros(len(self.ids), dtype=bool)
            allowed[self._find(within)] = True
            found = found[allowed[found]]
        return found

    def _gather(self, positions, pointers, codes, code_ids):
        """Counts of each code over the notes at ``positions``, by their slices."""
        index, _ = _slices(pointers, positions)
        return np.bincount(codes[index], minlength=len(code_ids))

    def _counts(self, positions, pointers, codes, code_ids):
        if len(positions) * 2 <= len(self.ids):
            counts = self._gather(positions, pointers, codes, code_ids)
        else:
            # Most notes: every note's counts less those of the few left out.
            left_out = np.ones(len(self.ids), dtype=bool)
            left_out[positions] = False
            everything = self._totals.get(id(codes))
            if everything is None:
                everything = self._totals[id(codes)] = np.bincount(codes, minlength=len(code_ids))
            counts = everything - self._gather(np.flatnonzero(left_out), pointers, codes, code_ids)
        present = np.flatnonzero(counts)
        return dict(zip(code_ids[present].tolist(), counts[present].tolist(), strict=True))

    def topic_counts(self, positions) -> dict[int, int]:
        return self._counts(positions, self.topic_pointers, self.topic_codes, self.topic_ids)

    def author_counts(self, positions) -> dict[int, int]:
        return self._counts(positions, self.author_pointers, self.author_codes, self.author_ids)

    def year_counts(self, positions) -> list[tuple[int, int]]:
        if not len(positions):
            return []
        first = int(self.years.min())
        counts = np.bincount(self.years[positions] - first)
        present = np.flatnonzero(counts)
        return [(int(y) + first, int(counts[y])) for y in present[::-1]]

    def newest(self, positions, limit, offset=0):
        """Note ids of ``positions`` newest first (ties: higher id first), sliced."""
        end = offset + limit
        if end <= 0 or not len(positions):
            return []
        stamps, ids = self.stamps[positions], self.ids[positions]
        if end < len(positions):
            # The ``end`` newest by time, then ordered exactly, ties included.
            cut = np.partition(stamps, len(stamps) - end)[len(stamps) - end]
            keep = stamps >= cut
            stamps, ids = stamps[keep], ids[keep]
        order = np.lexsort((-ids, -stamps))
        return ids[order][offset:end].tolist()


def _labels(model, ids):
    """(slug, name) of the topics or authors ``ids``. Renaming either rewrites
    the index rows of their notes, so a new revision brings the new name."""
    ids = ids.tolist() if isinstance(ids, np.ndarray) else list(ids)
    if not ids:
        return {}
    found = model.objects.filter(pk__in=ids).values_list("pk", "slug", "name")
    return {pk: (slug, name) for pk, slug, name in found}


def _bits(rows, vocabulary):
    """The bitsets of ``rows``, one row each, or None unless every one was
    packed for ``vocabulary``."""
    if vocabulary is None:
        return None
    width = vocabulary.width
    if not all(row[9] == vocabulary.id and row[8] and len(row[8]) == width for row in rows):
        return None
    packed = b"".join(bytes(row[8]) for row in rows)
    return np.frombuffer(packed, dtype=np.uint8).reshape(len(rows), width)


def _flat(lists):
    return {i for ids in lists for i in ids}


def _rows(since=None):
    """(note id, publication time in µs, year, topic ids, author ids, series id,
    type id, published, frequent-token bitset, its vocabulary) of the
    published notes, or with ``since``, of every note whose index row was
    written after that revision."""
    from notes.models import Note

    published = "n.status = %s AND n.published_at IS NOT NULL"
    sql = (
        "SELECT s.note_id, {stamp}, s.year, s.topic_ids, s.author_ids,"
        f" COALESCE(n.series_id, -1), COALESCE(n.note_type_id, -1), {published},"
        " s.frequent, s.vocabulary"
        f" FROM notes_search s {{join}} {Note._meta.db_table} n ON n.id = s.note_id"
    )
    params = [Note.Status.PUBLISHED]
    if since is None:
        join, where = "JOIN", f" WHERE {published}"
        params.append(Note.Status.PUBLISHED)
    else:  # the rows of deleted notes (``index.delete``) too
        join, where = "LEFT JOIN", " WHERE s.revision > %s"
        params.append(since)
    sql = sql.replace("{join}", join) + where
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            stamp = "CAST(EXTRACT(EPOCH FROM n.published_at) * 1000000 AS bigint)"
            cursor.execute(sql.format(stamp=stamp), params)
            return [(*row[:7], bool(row[7]), *row[8:]) for row in cursor.fetchall()]
        cursor.execute(sql.format(stamp="n.published_at"), params)
        return [
            (
                pk,
                microseconds(_utc(at)) if at is not None else 0,
                year or 0,
                json.loads(topics),
                json.loads(authors),
                series,
                note_type,
                bool(public),
                bits,
                vocabulary,
            )
            for pk, at, year, topics, authors, series, note_type, public, bits, vocabulary in (
                cursor.fetchall()
            )
        ]


def _utc(value) -> datetime:
    """A time read back from SQLite (text, or naive per the column's declared type) in UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def microseconds(moment: datetime) -> int:
    """``moment`` as whole microseconds since the epoch, exactly."""
    return (moment - _EPOCH) // timedelta(microseconds=1)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def get(revision) -> Catalogue:
    """The catalogue of the current database at ``revision``.

    A later revision brings in the rows written since; an earlier one (after
    a deletion or a rollback), or a catalogue read more than ``MAX_AGE``
    seconds ago, means reading every row again.
    """
    key = _key()
    current = _cached.get(key)
    if _fresh(current, revision):
        return current
    with _lock:
        current = _cached.get(key)
        if _fresh(current, revision):
            return current
        if current is not None and current.revision < revision and not _old(current):
            current = _cached[key] = current.updated(revision)
        else:
            current = _cached[key] = Catalogue.read(revision)
    return current


def _old(catalogue):
    return time.monotonic() - catalogue.loaded_at >= MAX_AGE


def _fresh(catalogue, revision):
    return catalogue is not None and catalogue.revision == revision and not _old(catalogue)


def latest_revision() -> int:
    """The highest revision of the index rows."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(revision), 0) FROM notes_search")
        return cursor.fetchone()[0]


def cached() -> "Catalogue | None":
    """The catalogue this process holds for the current database, as it is."""
    return _cached.get(_key())


def _key():
    """Catalogues are kept per database."""
    return f"{connection.vendor}:{connection.settings_dict['NAME']}"


def clear():
    _cached.clear()
