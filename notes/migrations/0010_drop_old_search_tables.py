"""Search moved to the ``search`` app, with its index as models of its own
(``search/migrations``); the tables the notes app kept for it go.

``manage.py rebuild_search_index`` fills the new index after this upgrade
(docs/deployment.md). The partial index of published note ids made in
0004 stays: every search joins its matches with ``published()``.
"""

from django.db import migrations

TABLES = ["notes_search_fts", "notes_search_vocabulary", "notes_search"]


def drop(apps, schema_editor):
    if schema_editor.connection.vendor in ("postgresql", "sqlite"):
        for table in TABLES:
            schema_editor.execute(f"DROP TABLE IF EXISTS {table}")


class Migration(migrations.Migration):
    dependencies = [("notes", "0009_paragraph_ids_corrections")]

    # Going back recreates nothing: the old index was rebuilt by its own command.
    operations = [migrations.RunPython(drop, migrations.RunPython.noop, elidable=False)]
