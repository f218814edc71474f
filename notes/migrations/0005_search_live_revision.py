"""Search rows say whether their note is published (``live``) and when they
were written (``revision``), so that a search can count and facet from an
in-memory catalogue of published notes and know when it must be read again
(``notes/search/catalogue.py``).
"""

from django.db import migrations

POSTGRESQL_FORWARD = [
    "ALTER TABLE notes_search ADD COLUMN live boolean NOT NULL DEFAULT false",
    "ALTER TABLE notes_search ADD COLUMN revision bigint NOT NULL DEFAULT 0",
    """UPDATE notes_search s SET live = true FROM notes_note n
        WHERE n.id = s.note_id AND n.status = 'published'""",
    "CREATE INDEX notes_search_revision ON notes_search (revision)",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS notes_search_revision",
    "ALTER TABLE notes_search DROP COLUMN revision",
    "ALTER TABLE notes_search DROP COLUMN live",
]
SQLITE_FORWARD = [
    "ALTER TABLE notes_search ADD COLUMN live boolean NOT NULL DEFAULT 0",
    "ALTER TABLE notes_search ADD COLUMN revision integer NOT NULL DEFAULT 0",
    """UPDATE notes_search SET live = 1 WHERE note_id IN
        (SELECT id FROM notes_note WHERE status = 'published')""",
    "CREATE INDEX notes_search_revision ON notes_search (revision)",
]
SQLITE_BACKWARD = [
    "DROP INDEX IF EXISTS notes_search_revision",
    "ALTER TABLE notes_search DROP COLUMN revision",
    "ALTER TABLE notes_search DROP COLUMN live",
]


def _run(schema_editor, postgresql, sqlite):
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": postgresql, "sqlite": sqlite}.get(vendor, []):
        schema_editor.execute(statement)


def forward(apps, schema_editor):
    _run(schema_editor, POSTGRESQL_FORWARD, SQLITE_FORWARD)


def backward(apps, schema_editor):
    _run(schema_editor, POSTGRESQL_BACKWARD, SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("notes", "0004_search_index")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
