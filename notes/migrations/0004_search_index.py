"""The search index tables: a tsvector table on PostgreSQL, FTS5 on SQLite.

The tables are filled by ``manage.py rebuild_search_index`` and kept up to
date by signals (``notes/search/signals.py``).
"""

from django.db import migrations

POSTGRESQL_CREATE = [
    """CREATE TABLE notes_search (
        note_id bigint PRIMARY KEY,
        tokenizer_version smallint NOT NULL,
        published_at timestamp with time zone NULL,
        year integer NULL,
        topic_ids bigint[] NOT NULL,
        author_ids bigint[] NOT NULL,
        head tsvector NOT NULL,
        vector tsvector NOT NULL,
        document text NOT NULL
    ) WITH (toast_tuple_target = 128)""",
    # Counting and facets read every matching row: keep rows narrow (about
    # 100 bytes) by moving the wide columns out to the TOAST table, which only
    # ranking (a bounded number of rows) and phrase checks read; the id
    # arrays stay in the row.
    "ALTER TABLE notes_search ALTER COLUMN topic_ids SET STORAGE PLAIN",
    "ALTER TABLE notes_search ALTER COLUMN author_ids SET STORAGE PLAIN",
    # lz4 decompresses several times faster than the default pglz; phrase
    # checks decompress ``document``. Servers built without lz4 keep pglz.
    """DO $$ BEGIN
        ALTER TABLE notes_search ALTER COLUMN document SET COMPRESSION lz4;
        ALTER TABLE notes_search ALTER COLUMN head SET COMPRESSION lz4;
        ALTER TABLE notes_search ALTER COLUMN vector SET COMPRESSION lz4;
    EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN NULL;
    END $$""",
    "CREATE INDEX notes_search_vector ON notes_search USING gin (vector)",
    # Every search applies Note.objects.published() (status published, time
    # come) to its matches; this index answers it from the index alone, where
    # the table would be read for each of tens of thousands of matches.
    """CREATE INDEX notes_note_published_ids ON notes_note (id)
        INCLUDE (published_at) WHERE status = 'published'""",
]
POSTGRESQL_DROP = [
    "DROP INDEX IF EXISTS notes_note_published_ids",
    "DROP TABLE IF EXISTS notes_search",
]

SQLITE_CREATE = [
    """CREATE TABLE notes_search (
        note_id integer PRIMARY KEY,
        tokenizer_version integer NOT NULL,
        published_at datetime NULL,
        year integer NULL,
        topic_ids text NOT NULL,
        author_ids text NOT NULL,
        document text NOT NULL
    )""",
    # Tokens come ready-made and space-separated; unicode61 only splits on the
    # spaces. Full detail: bm25 is ~50 times slower with detail=column or none.
    """CREATE VIRTUAL TABLE notes_search_fts USING fts5(
        title, summary, headings, body, tokenize = 'unicode61 remove_diacritics 0'
    )""",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS notes_search_fts", "DROP TABLE IF EXISTS notes_search"]


def _run(schema_editor, postgresql, sqlite):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": postgresql, "sqlite": sqlite}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def create(apps, schema_editor):
    _run(schema_editor, POSTGRESQL_CREATE, SQLITE_CREATE)


def drop(apps, schema_editor):
    _run(schema_editor, POSTGRESQL_DROP, SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("notes", "0003_note_import_key")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
