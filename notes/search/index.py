"""Writing the search index: one row per note, in the note's own transaction.

PostgreSQL keeps a table ``notes_search``: note id, tokenizer version, a
``head`` tsvector with positions and weights over title (A), summary (B),
headings and topics (C) for ranking, a position-less ``vector`` over every
token for matching, under a GIN index, and the canonical ``document`` text
for phrase checks; and, for the in-memory catalogue that counts and facets
(``catalogue.py``), the note's publication time and year, its topic and
author ids, and the ``revision`` at which the row was written. SQLite keeps
the same ``notes_search`` columns but the vectors (ids as JSON), and an FTS5
table ``notes_search_fts`` over the same tokens (rowid = note id).

Every note is indexed whatever its status: which notes are public is read
from the notes themselves (see ``catalogue.py``).
"""

import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial

from django.db import connection, transaction
from django.utils import timezone

from notes.search import frequent
from notes.search.text import (
    TOKENIZER_VERSION,
    normalise,
    runs,
    runs_tokens,
)

#: A tsvector holds at most 1 MB; a note with more distinct tokens than this
#: (hundreds of pages) is indexed by its first ones.
MAX_DISTINCT_TOKENS = 80_000


@dataclass
class Source:
    """The text of one note that search reads."""

    note_id: int
    published_at: object = None
    title: str = ""
    summary: str = ""
    headings: list[str] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    topic_ids: list[int] = field(default_factory=list)
    author_ids: list[int] = field(default_factory=list)

    def fields(self):
        """(column, weight, texts) in ranking order."""
        return [
            ("title", "A", [self.title]),
            ("summary", "B", [self.summary]),
            ("headings", "C", [*self.headings, *self.topics]),
            ("body", "D", [*self.bodies, *self.authors]),
        ]


def token_set(source: Source) -> set[str]:
    """Every index token of one note."""
    found = set()
    for _, _, texts in source.fields():
        for text in texts:
            found.update(runs_tokens(runs(normalise(text))))
    return found


def entry(source: Source, *, sequences: bool = False, vocabulary=None) -> dict:
    """The index row of one note, for either database.

    ``sequences`` adds each column's tokens in order (the FTS5 columns);
    PostgreSQL only needs the distinct tokens and the ``head``. With a
    ``vocabulary`` (``frequent.Vocabulary``), the row carries the bitset of
    the frequent tokens it holds.
    """
    columns, head, every, lines, pos = {}, defaultdict(list), set(), [], 0
    for column, weight, texts in source.fields():
        column_tokens = []
        for text in texts:
            found = runs(normalise(text))
            lines.append(" " + " ".join(run for run, _ in found) + " ")
            text_tokens = runs_tokens(found)
            every.update(text_tokens)
            if not sequences and weight == "D":
                continue
            for token in text_tokens:
                column_tokens.append(token)
                pos += 1
                if weight != "D" and len(head[token]) < 256:
                    head[token].append(f"{min(pos, 16383)}{weight}")
            pos += 1
        columns[column] = " ".join(column_tokens)
    published_at = source.published_at
    return {
        "note_id": source.note_id,
        "published_at": published_at,
        "year": timezone.localtime(published_at).year if published_at else None,
        "topic_ids": source.topic_ids,
        "author_ids": source.author_ids,
        "head": " ".join(f"'{token}':{','.join(p)}" for token, p in head.items()),
        "vector": " ".join(f"'{token}'" for token in list(every)[:MAX_DISTINCT_TOKENS]),
        "document": "\n".join(lines),
        "frequent": vocabulary.pack(every) if vocabulary else None,
        "vocabulary": vocabulary.id if vocabulary else None,
        **columns,
    }


def sources(note_ids) -> list[Source]:
    """Read the searchable text of ``note_ids`` in four queries."""
    from notes.models import Authorship, Note, Section, TaggedNote

    found = {
        pk: Source(pk, published_at, title, summary)
        for pk, published_at, title, summary in Note.objects.filter(pk__in=note_ids).values_list(
            "pk", "published_at", "title", "summary"
        )
    }
    sections = Section.objects.filter(note_id__in=found).order_by("note_id", "position")
    for note_id, heading, body in sections.values_list("note_id", "heading", "body"):
        found[note_id].headings.append(heading)
        found[note_id].bodies.append(body)
    tagged = TaggedNote.objects.filter(content_object_id__in=found).order_by("tag__name")
    for note_id, tag_id, name in tagged.values_list("content_object_id", "tag_id", "tag__name"):
        found[note_id].topics.append(name)
        found[note_id].topic_ids.append(tag_id)
    authorships = Authorship.objects.filter(note_id__in=found).order_by("position")
    for note_id, author_id, name in authorships.values_list("note_id", "author_id", "author__name"):
        found[note_id].authors.append(name)
        found[note_id].author_ids.append(author_id)
    return list(found.values())


_COLUMNS = (
    "note_id, tokenizer_version, revision, published_at, year, topic_ids, author_ids,"
    " frequent, vocabulary"
)

_last_revision = 0


def next_revision() -> int:
    """A stamp above every earlier one from this process: microseconds of the clock."""
    global _last_revision
    _last_revision = max(time.time_ns() // 1000, _last_revision + 1)
    return _last_revision


def _restamp(note_ids):
    """After a commit, stamp the rows just written again.

    A search brings its catalogue (see ``catalogue.py``) up to date with the
    rows written after the revision it holds. Two transactions can commit in
    the other order than they stamped their rows; the rows of the later
    commit would then carry a revision the catalogue has already passed.
    Stamping them again after the commit puts them above it.

    A row packed for a vocabulary of frequent tokens that a rebuild replaced
    while its transaction ran is written again (see ``frequent.py``).
    """
    from notes.models import Note

    marks = ", ".join(["%s"] * len(note_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE notes_search SET revision = %s WHERE note_id IN ({marks})",
            [next_revision(), *note_ids],
        )
        cursor.execute(
            f"SELECT note_id FROM notes_search s WHERE note_id IN ({marks})"
            f" AND COALESCE(vocabulary, 0) <> (SELECT COALESCE(MAX(id), 0) FROM {frequent.TABLE})"
            f" AND EXISTS (SELECT 1 FROM {Note._meta.db_table} n WHERE n.id = s.note_id)",
            note_ids,
        )
        outdated = [row[0] for row in cursor.fetchall()]
    if outdated:
        reindex(outdated)


def _meta(e, revision):
    return (e["note_id"], TOKENIZER_VERSION, revision, e["published_at"], e["year"])


def _write_postgresql(cursor, entries, revision):
    cursor.executemany(
        f"INSERT INTO notes_search ({_COLUMNS}, head, vector, document)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s::tsvector, %s::tsvector, %s)"
        " ON CONFLICT (note_id) DO UPDATE SET"
        + ", ".join(
            f" {c} = EXCLUDED.{c}"
            for c in (*_COLUMNS.split(", ")[1:], "head", "vector", "document")
        ),
        [
            (
                *_meta(e, revision),
                e["topic_ids"],
                e["author_ids"],
                e["frequent"],
                e["vocabulary"],
                e["head"],
                e["vector"],
                e["document"],
            )
            for e in entries
        ],
    )


def _write_sqlite(cursor, entries, revision):
    ids = [(e["note_id"],) for e in entries]
    cursor.executemany("DELETE FROM notes_search_fts WHERE rowid = %s", ids)
    cursor.executemany(
        f"INSERT OR REPLACE INTO notes_search ({_COLUMNS}, document)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [
            (
                e["note_id"],
                TOKENIZER_VERSION,
                revision,
                connection.ops.adapt_datetimefield_value(e["published_at"]),
                e["year"],
                json.dumps(e["topic_ids"]),
                json.dumps(e["author_ids"]),
                e["frequent"],
                e["vocabulary"],
                e["document"],
            )
            for e in entries
        ],
    )
    cursor.executemany(
        "INSERT INTO notes_search_fts (rowid, title, summary, headings, body)"
        " VALUES (%s, %s, %s, %s, %s)",
        [(e["note_id"], e["title"], e["summary"], e["headings"], e["body"]) for e in entries],
    )


def write(entries, *, restamp=True):
    """Write index rows; ``restamp`` stamps them again after the commit
    (see :func:`_restamp`; a full rebuild does not need it)."""
    if not entries:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _write_postgresql(cursor, entries, next_revision())
        else:
            _write_sqlite(cursor, entries, next_revision())
    if restamp and connection.in_atomic_block:
        transaction.on_commit(partial(_restamp, [e["note_id"] for e in entries]))


def delete(note_ids):
    """Empty the rows of deleted notes, leaving a stamped *tombstone*.

    A catalogue brings itself up to date by reading the rows written since
    its revision (``catalogue.py``): a row removed outright would not be
    seen, and its note would stay counted. An emptied row matches nothing
    and, having no note, takes its note out of every catalogue. A rebuild
    clears tombstones.
    """
    note_ids = list(note_ids)
    if not note_ids:
        return
    empty = "'{}'" if connection.vendor == "postgresql" else "'[]'"
    vectors = ", head = '', vector = ''" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE notes_search SET revision = %s, document = '', topic_ids = {empty},"
            f" author_ids = {empty}, published_at = NULL, year = NULL, frequent = NULL,"
            f" vocabulary = NULL{vectors} WHERE note_id = %s",
            [(next_revision(), pk) for pk in note_ids],
        )
        if connection.vendor == "sqlite":
            cursor.executemany(
                "DELETE FROM notes_search_fts WHERE rowid = %s", [(pk,) for pk in note_ids]
            )
    if connection.in_atomic_block:
        transaction.on_commit(partial(_restamp, note_ids))


@transaction.atomic
def reindex(note_ids):
    """Bring the index rows of ``note_ids`` up to date (deleted notes lose theirs)."""
    note_ids = set(note_ids)
    found = sources(note_ids)
    sequences = connection.vendor != "postgresql"
    vocabulary = frequent.current() if found else None
    write([entry(source, sequences=sequences, vocabulary=vocabulary) for source in found])
    delete(note_ids - {source.note_id for source in found})


def counts() -> dict[str, int]:
    """Index rows of existing notes, of them those written by another
    tokenizer version or packed for another vocabulary than the current one,
    and tombstones (see :func:`delete`)."""
    from notes.models import Note

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(n.id), COUNT(n.id) FILTER (WHERE s.tokenizer_version <> %s),"
            " COUNT(n.id) FILTER (WHERE COALESCE(s.vocabulary, 0) <> %s), COUNT(*) - COUNT(n.id)"
            f" FROM notes_search s LEFT JOIN {Note._meta.db_table} n ON n.id = s.note_id",
            [TOKENIZER_VERSION, frequent.current_id() or 0],
        )
        indexed, stale, repack, tombstones = cursor.fetchone()
    return {"indexed": indexed, "stale": stale, "repack": repack, "tombstones": tombstones}
