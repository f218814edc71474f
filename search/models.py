from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchEntry(models.Model):
    """One note's tokens and canonical text, whatever its status. SQLite keeps the
    tokens in the FTS5 table ``search_fts``. No foreign-key constraint: a rebuild or a
    restore may write an entry before or after its note (``--check`` reports them)."""

    note = models.OneToOneField(
        "notes.Note",
        on_delete=models.DO_NOTHING,
        primary_key=True,
        db_constraint=False,
        related_name="+",
    )
    tokenizer_version = models.PositiveSmallIntegerField()
    #: A digest of the text the entry was made from: tells a stale entry.
    digest = models.CharField(max_length=32)
    #: The normalised runs of every field, one line each, for phrase checks.
    document = models.TextField()
    #: Every distinct token, without positions: what the GIN index matches.
    vector = SearchVectorField(null=True)
    #: Title (A), summary (B), headings and topics (C) with positions: what ranks.
    head = SearchVectorField(null=True)

    class Meta:
        verbose_name = "search entry"
        indexes = [GinIndex(fields=["vector"], name="search_entry_vector")]

    def __str__(self):
        return f"search entry of note {self.note_id}"
