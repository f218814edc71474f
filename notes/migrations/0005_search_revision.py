"""Search rows carry the ``revision`` at which they were written, so that a
search knows when its in-memory catalogue of published notes must be read
again (``notes/search/catalogue.py``).
"""

from django.db import migrations

FORWARD = [
    "ALTER TABLE notes_search ADD COLUMN revision bigint NOT NULL DEFAULT 0",
    "CREATE INDEX notes_search_revision ON notes_search (revision)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS notes_search_revision",
    "ALTER TABLE notes_search DROP COLUMN revision",
]


def _run(schema_editor, statements):
    # The search tables exist on PostgreSQL and SQLite only (0004_search_index).
    if schema_editor.connection.vendor in ("postgresql", "sqlite"):
        for statement in statements:
            schema_editor.execute(statement)


def forward(apps, schema_editor):
    _run(schema_editor, FORWARD)


def backward(apps, schema_editor):
    _run(schema_editor, BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("notes", "0004_search_index")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
