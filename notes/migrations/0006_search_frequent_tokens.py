"""Search rows carry a bitset of the frequent tokens they hold, and the
vocabulary of those tokens gets a table (``notes/search/frequent.py``).
Rows written before have none; ``manage.py rebuild_search_index`` chooses a
vocabulary and packs every row."""

from django.db import migrations

POSTGRESQL_FORWARD = [
    "ALTER TABLE notes_search ADD COLUMN frequent bytea",
    # Every catalogue reads every row's bitset: keep it in the row (a few
    # hundred bytes), not compressed in the TOAST table, where reading
    # 100,000 of them costs a lookup each (0.6 s against 0.03 s).
    "ALTER TABLE notes_search ALTER COLUMN frequent SET STORAGE PLAIN",
    "ALTER TABLE notes_search ADD COLUMN vocabulary integer",
    "CREATE TABLE notes_search_vocabulary (id integer PRIMARY KEY, tokens text NOT NULL)",
]
SQLITE_FORWARD = [
    "ALTER TABLE notes_search ADD COLUMN frequent blob",
    "ALTER TABLE notes_search ADD COLUMN vocabulary integer",
    "CREATE TABLE notes_search_vocabulary (id integer PRIMARY KEY, tokens text NOT NULL)",
]
BACKWARD = [
    "DROP TABLE IF EXISTS notes_search_vocabulary",
    "ALTER TABLE notes_search DROP COLUMN vocabulary",
    "ALTER TABLE notes_search DROP COLUMN frequent",
]


def forward(apps, schema_editor):
    # The search tables exist on PostgreSQL and SQLite only (0004_search_index).
    statements = {"postgresql": POSTGRESQL_FORWARD, "sqlite": SQLITE_FORWARD}
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor in ("postgresql", "sqlite"):
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("notes", "0005_search_revision")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
