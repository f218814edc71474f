"""Writing notes' search entries, the same way on PostgreSQL and SQLite.

:func:`fields` is the one place that says which text of a note is searched,
with what weight.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models.expressions import RawSQL

from search.models import SearchEntry
from search.text import TOKENIZER_VERSION, normalise, runs, runs_tokens

#: A tsvector holds at most 1 MB: a longer note is matched by its first tokens.
MAX_DISTINCT_TOKENS = 80_000
#: The SQLite FTS5 table (migration 0002).
FTS_TABLE = "search_fts"


@dataclass
class Source:
    """The text of one note that search reads."""

    note_id: int
    title: str = ""
    summary: str = ""
    headings: list[str] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)  # of the note's figures
    topics: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)


def fields(source: Source):
    """(column, weight, texts) in ranking order: title > summary > headings and topics > body."""
    return [
        ("title", "A", [source.title]),
        ("summary", "B", [source.summary]),
        ("headings", "C", [*source.headings, *source.topics]),
        ("body", "D", [*source.bodies, *source.captions, *source.authors]),
    ]


def sources(note_ids) -> list[Source]:
    """The searchable text of ``note_ids`` (those that exist), in five queries."""
    from notes.models import Authorship, Figure, Note, Section, TaggedNote

    found = {
        pk: Source(pk, title, summary)
        for pk, title, summary in Note.objects.filter(pk__in=note_ids).values_list(
            "pk", "title", "summary"
        )
    }
    sections = Section.objects.filter(note_id__in=found).order_by("note_id", "position", "pk")
    for note_id, heading, body in sections.values_list("note_id", "heading", "body"):
        found[note_id].headings.append(heading)
        found[note_id].bodies.append(body)
    figures = Figure.objects.filter(note_id__in=found).exclude(caption="")
    for note_id, caption in figures.order_by("note_id", "position", "pk").values_list(
        "note_id", "caption"
    ):
        found[note_id].captions.append(caption)
    tagged = TaggedNote.objects.filter(content_object_id__in=found).order_by("tag__name")
    for note_id, name in tagged.values_list("content_object_id", "tag__name"):
        found[note_id].topics.append(name)
    bylines = Authorship.objects.filter(note_id__in=found).order_by("position", "pk")
    for note_id, name in bylines.values_list("note_id", "author__name"):
        found[note_id].authors.append(name)
    return list(found.values())


def digest(source: Source) -> str:
    text = "\x1e".join("\x1f".join(texts) for _, _, texts in fields(source))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def entry(source: Source) -> tuple[SearchEntry, dict]:
    """The entry of one note, and its FTS5 columns (the tokens of each field, in order)."""
    columns, head, every, lines, pos = {}, defaultdict(list), set(), [], 0
    for column, weight, texts in fields(source):
        column_tokens = []
        for text in texts:
            found = runs(normalise(text))
            lines.append(" " + " ".join(run for run, _ in found) + " ")
            text_tokens = runs_tokens(found)
            every.update(text_tokens)
            column_tokens += text_tokens
            if weight != "D":
                for token in text_tokens:
                    pos += 1
                    if len(head[token]) < 256:
                        head[token].append(f"{min(pos, 16383)}{weight}")
                pos += 1
        columns[column] = " ".join(column_tokens)
    postgresql = connection.vendor == "postgresql"
    row = SearchEntry(
        note_id=source.note_id,
        tokenizer_version=TOKENIZER_VERSION,
        digest=digest(source),
        document="\n".join(lines),
        vector=_tsvector(list(every)[:MAX_DISTINCT_TOKENS]) if postgresql else None,
        head=" ".join(f"'{t}':{','.join(p)}" for t, p in head.items()) if postgresql else None,
    )
    return row, columns


def _tsvector(tokens):
    """Tokens hold only letters, digits and PAIR_JOINER: quoting needs no escapes."""
    return " ".join(f"'{token}'" for token in tokens)


def write(rows):
    """Insert or replace the entries ``rows`` (from :func:`entry`)."""
    SearchEntry.objects.bulk_create(
        [row for row, _ in rows],
        update_conflicts=True,
        unique_fields=["note"],
        update_fields=["tokenizer_version", "digest", "document", "vector", "head"],
    )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            _delete_fts(cursor, [row.note_id for row, _ in rows])
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, title, summary, headings, body)"
                " VALUES (%s, %s, %s, %s, %s)",
                [
                    (row.note_id, c["title"], c["summary"], c["headings"], c["body"])
                    for row, c in rows
                ],
            )


def _delete_fts(cursor, note_ids):
    marks = ", ".join(["%s"] * len(note_ids))
    cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", list(note_ids))


def delete(note_ids):
    note_ids = list(note_ids)
    if not note_ids:
        return
    SearchEntry.objects.filter(note_id__in=note_ids).delete()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            _delete_fts(cursor, note_ids)


def reindex(note_ids):
    """Bring the entries of ``note_ids`` up to date, in one transaction;
    notes that no longer exist lose theirs."""
    note_ids = set(note_ids)
    if not note_ids:
        return
    with transaction.atomic():
        found = sources(note_ids)
        if found:
            write([entry(source) for source in found])
        delete(note_ids - {source.note_id for source in found})


def problems(batch_size=500) -> dict[str, int]:
    """Notes without an entry, entries of another tokenizer version or of
    other text than their note's now, and entries without a note."""
    from notes.models import Note

    entries = SearchEntry.objects.all()
    notes = Note.objects.all()
    if connection.vendor == "sqlite":  # an entry counts only with its FTS5 row
        entries = entries.filter(note_id__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE}", []))
    found = {
        "missing": notes.exclude(pk__in=entries.values("note_id")).count(),
        "stale": entries.exclude(tokenizer_version=TOKENIZER_VERSION).count(),
        "orphaned": SearchEntry.objects.exclude(note_id__in=notes.values("pk")).count(),
    }
    known = dict(
        entries.filter(tokenizer_version=TOKENIZER_VERSION).values_list("note_id", "digest")
    )
    ids = list(notes.order_by("pk").values_list("pk", flat=True))
    for i in range(0, len(ids), batch_size):
        for source in sources(ids[i : i + batch_size]):
            if source.note_id in known and known[source.note_id] != digest(source):
                found["stale"] += 1
    return found
