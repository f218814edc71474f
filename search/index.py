"""Writing notes' search entries, the same way on PostgreSQL and SQLite."""

import hashlib
import json
from collections import defaultdict

from django.db import connection, transaction
from django.db.models.expressions import RawSQL

from search.models import SearchEntry
from search.text import TOKENIZER_VERSION, normalise, runs, runs_tokens

#: What of a note is searched, in ranking order, with its tsvector weight: title >
#: summary > headings and topics > body (sections, figure captions, authors).
WEIGHTS = {"title": "A", "summary": "B", "headings": "C", "body": "D"}
#: A tsvector holds at most 1 MB: a longer note is matched by its first tokens.
MAX_DISTINCT_TOKENS = 80_000
#: The SQLite FTS5 table (migration 0001).
FTS_TABLE = "search_fts"
#: Entries written in one transaction at most (a rebuild, a prolific author renamed).
BATCH_SIZE = 300


def sources(note_ids) -> dict[int, dict[str, list[str]]]:
    """The texts of each column of ``note_ids`` (those that exist), in five queries."""
    from notes.models import Authorship, Figure, Note, Section, TaggedNote

    notes = Note.objects.filter(pk__in=note_ids).values_list("pk", "title", "summary")
    found = {pk: {"title": [t], "summary": [s], "headings": [], "body": []} for pk, t, s in notes}
    sections = Section.objects.filter(note_id__in=found).order_by("note_id", "position", "pk")
    for note_id, heading, body in sections.values_list("note_id", "heading", "body"):
        found[note_id]["headings"].append(heading)
        found[note_id]["body"].append(body)
    figures = Figure.objects.filter(note_id__in=found).exclude(caption="")
    tagged = TaggedNote.objects.filter(content_object_id__in=found).order_by("tag__name")
    bylines = Authorship.objects.filter(note_id__in=found).order_by("position", "pk")
    for column, rows in [
        ("body", figures.order_by("note_id", "position", "pk").values_list("note_id", "caption")),
        ("headings", tagged.values_list("content_object_id", "tag__name")),
        ("body", bylines.values_list("note_id", "author__name")),
    ]:
        for note_id, text in rows:
            found[note_id][column].append(text)
    return found


def digest(source) -> str:
    text = "\x1e".join("\x1f".join(texts) for texts in source.values())
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def entry(note_id, source) -> tuple[SearchEntry, list[str]]:
    """The entry of one note, and its FTS5 columns (the tokens of each, in order)."""
    columns, head, every, lines, pos = [], defaultdict(list), {}, [], 0
    for column, texts in source.items():
        column_tokens = []
        for text in texts:
            found = runs(normalise(text))
            lines.append(" " + " ".join(run for run, _ in found) + " ")
            text_tokens = runs_tokens(found)
            every.update(dict.fromkeys(text_tokens))
            column_tokens += text_tokens
            if column != "body":  # PostgreSQL keeps positions up to 16383, 256 a token
                for token in text_tokens:
                    pos += 1
                    head[token].append(f"{pos}{WEIGHTS[column]}")
                pos += 1
        columns.append(" ".join(column_tokens))
    postgresql = connection.vendor == "postgresql"
    # Tokens hold only letters, digits and PAIR_JOINER: quoting needs no escapes.
    vector = " ".join(f"'{token}'" for token in list(every)[:MAX_DISTINCT_TOKENS])
    row = SearchEntry(
        note_id=note_id,
        tokenizer_version=TOKENIZER_VERSION,
        digest=digest(source),
        document="\n".join(lines),
        vector=vector if postgresql else None,
        head=" ".join(f"'{t}':{','.join(p)}" for t, p in head.items()) if postgresql else None,
    )
    return row, columns


def reindex(note_ids):
    """Bring the entries of ``note_ids`` up to date, a transaction for each
    :data:`BATCH_SIZE` of them; notes that no longer exist lose theirs."""
    note_ids = sorted(set(note_ids))
    for i in range(0, len(note_ids), BATCH_SIZE):
        _reindex(set(note_ids[i : i + BATCH_SIZE]))


@transaction.atomic
def _reindex(note_ids):
    rows = [entry(pk, source) for pk, source in sources(note_ids).items()]
    gone = note_ids - {row.note_id for row, _ in rows}
    SearchEntry.objects.filter(note_id__in=gone).delete()
    SearchEntry.objects.bulk_create(
        [row for row, _ in rows],
        update_conflicts=True,
        unique_fields=["note"],
        update_fields=["tokenizer_version", "digest", "document", "vector", "head"],
    )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {FTS_TABLE} WHERE rowid IN (SELECT value FROM json_each(%s))",
                [json.dumps(list(note_ids))],
            )
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, title, summary, headings, body)"
                " VALUES (%s, %s, %s, %s, %s)",
                [(row.note_id, *columns) for row, columns in rows],
            )


def problems(batch_size=500) -> dict[str, int]:
    """Notes without an entry, stale entries (tokenizer version, text) and orphaned ones."""
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
    current = entries.filter(tokenizer_version=TOKENIZER_VERSION)
    known = dict(current.values_list("note_id", "digest"))
    ids = sorted(known)
    for i in range(0, len(ids), batch_size):
        for pk, source in sources(ids[i : i + batch_size]).items():
            found["stale"] += known[pk] != digest(source)
    return found
