"""Rebuilding the whole search index in bulk (``manage.py rebuild_search_index``)."""

import multiprocessing
import os
from functools import partial

from django.db import connection, transaction

from notes.search import frequent
from notes.search.index import entry, sources, token_set, write

BATCH_SIZE = 500


def _entries(batch, sequences=False, vocabulary=None):
    return [entry(source, sequences=sequences, vocabulary=vocabulary) for source in batch]


def _token_sets(batch):
    return [token_set(source) for source in batch]


def _vocabulary(ids, pool):
    """Choose the frequent tokens (``frequent.py``) from a sample of the notes,
    evenly spread over ``ids``, and store them."""
    sample = []
    if len(ids) >= frequent.MIN_NOTES:
        sample = ids[:: max(1, -(-len(ids) // frequent.SAMPLE))]
    batches = [sources(sample[i : i + BATCH_SIZE]) for i in range(0, len(sample), BATCH_SIZE)]
    found = pool.map(_token_sets, batches) if pool else map(_token_sets, batches)
    return frequent.store(
        frequent.choose((tokens for sets in found for tokens in sets), notes=len(ids))
    )


def _write(rows, progress):
    write(rows, restamp=False)
    if progress:
        progress(len(rows))


def rebuild(*, progress=None, workers=None):
    """Replace every index row; tokenising runs in ``workers`` processes.

    The vocabulary of frequent tokens is chosen anew first, from a sample of
    the notes (``frequent.py``), and every row is packed for it. On
    PostgreSQL the GIN index is dropped during the load and built once at
    the end, which is several times quicker than updating it row by row.
    """
    from notes.models import Note

    ids = list(Note.objects.order_by("pk").values_list("pk", flat=True))
    batches = [ids[i : i + BATCH_SIZE] for i in range(0, len(ids), BATCH_SIZE)]
    workers = workers or min(os.cpu_count() or 1, 4)
    postgresql = connection.vendor == "postgresql"
    sequences = not postgresql
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM notes_search")
        if postgresql:
            cursor.execute("DROP INDEX IF EXISTS notes_search_vector")
        else:
            cursor.execute("DELETE FROM notes_search_fts")
        if workers > 1 and len(batches) > 1:
            # Only tokenising runs in the children; reading and writing stay in
            # this process and thread, inside its transaction.
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                tokenise = partial(_entries, sequences=sequences, vocabulary=_vocabulary(ids, pool))
                for i in range(0, len(batches), workers):
                    texts = [sources(batch) for batch in batches[i : i + workers]]
                    for rows in pool.map(tokenise, texts):
                        _write(rows, progress)
        else:
            vocabulary = _vocabulary(ids, None)
            for batch in batches:
                _write(_entries(sources(batch), sequences, vocabulary), progress)
        if postgresql:
            cursor.execute("CREATE INDEX notes_search_vector ON notes_search USING gin (vector)")
    if postgresql:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE notes_search")
    return len(ids)
