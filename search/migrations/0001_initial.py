"""The search index: ``SearchEntry`` on every database; on PostgreSQL its GIN
index and storage settings, on SQLite the FTS5 table that holds the tokens.

Fill it with ``manage.py rebuild_search_index`` (docs/deployment.md).
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

GIN = django.contrib.postgres.indexes.GinIndex(fields=["vector"], name="search_entry_vector")

POSTGRESQL = [
    "CREATE INDEX search_entry_vector ON search_searchentry USING gin (vector)",
    # Searching reads the note ids of tens of thousands of matching rows: keep
    # rows narrow by moving the wide columns out to TOAST, which only ranking
    # (a bounded number of rows) and phrase checks read.
    "ALTER TABLE search_searchentry SET (toast_tuple_target = 128)",
    # lz4 decompresses several times faster than the default pglz (ranking
    # and phrase checks decompress). Servers built without lz4 keep pglz.
    """DO $$ BEGIN
        ALTER TABLE search_searchentry ALTER COLUMN document SET COMPRESSION lz4;
        ALTER TABLE search_searchentry ALTER COLUMN head SET COMPRESSION lz4;
        ALTER TABLE search_searchentry ALTER COLUMN vector SET COMPRESSION lz4;
    EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN NULL;
    END $$""",
]
# Tokens come ready-made and space-separated; unicode61 only splits on the
# spaces. Full detail: bm25 and column filters need it.
SQLITE = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title, summary, headings, body, tokenize = 'unicode61 remove_diacritics 0'
    )"""
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(vendor, []):
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_entry_vector")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")


class Migration(migrations.Migration):
    initial = True

    dependencies = [("notes", "0010_drop_old_search_tables")]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                ("note", models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, primary_key=True, related_name="+", serialize=False, to="notes.note")),
                ("tokenizer_version", models.PositiveSmallIntegerField()),
                ("digest", models.CharField(max_length=32)),
                ("document", models.TextField()),
                ("vector", django.contrib.postgres.search.SearchVectorField(null=True)),
                ("head", django.contrib.postgres.search.SearchVectorField(null=True)),
            ],
            options={"verbose_name": "search entry"},
        ),
        # The GIN index exists on PostgreSQL only; Django's state has it everywhere.
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="searchentry", index=GIN)],
            database_operations=[migrations.RunPython(create, drop, elidable=False)],
        ),
    ]
