"""The index follows content: a changed note is reindexed once, after its transaction commits.

Saves and deletes of notes, sections, bylines and topic links, renamed authors
and topics, and ``notes.signals.notes_changed`` name what changed; after the
commit those notes are reindexed together, then the public generation moves
so that no search cached in between outlives it. Nothing is written inside the
editor's transaction. A process that dies before reindexing leaves entries
that ``rebuild_search_index --check`` reports and the next save or rebuild
repairs. ``loaddata`` (raw saves) is reindexed the same way.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from notes import generation
from notes.aftercommit import on_commit_once
from search.index import reindex

#: Notes reindexed in one transaction at most (a rename of a prolific author).
BATCH_SIZE = 500


def _after_commit(note_ids):
    note_ids = sorted(note_ids)
    for i in range(0, len(note_ids), BATCH_SIZE):
        reindex(note_ids[i : i + BATCH_SIZE])
    generation.bump()


def _note_ids(sender, instance):
    """The notes whose searched text a saved or deleted ``instance`` is part of."""
    from notes.models import Author, Note, TaggedNote, Topic

    if sender is Note:
        return [instance.pk]
    if sender is TaggedNote:
        return [instance.content_object_id]
    if sender is Author:  # its name is in its notes' bylines
        return instance.authorships.values_list("note_id", flat=True)
    if sender is Topic:
        return instance.tagged_notes.values_list("content_object_id", flat=True)
    return [instance.note_id]  # a section, a figure or a byline


def _saved_or_deleted(sender, instance, **kwargs):
    on_commit_once(_after_commit, _note_ids(sender, instance))


def _tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action.startswith("post_"):
        on_commit_once(_after_commit, (pk_set or ()) if reverse else [instance.pk])


def _notes_changed(sender, note_ids=(), **kwargs):
    on_commit_once(_after_commit, note_ids)


def connect():
    from notes.models import Author, Authorship, Figure, Note, Section, TaggedNote, Topic
    from notes.signals import notes_changed

    for model in (Note, Section, Figure, Authorship, TaggedNote):
        post_save.connect(_saved_or_deleted, sender=model, dispatch_uid="search")
        post_delete.connect(_saved_or_deleted, sender=model, dispatch_uid="search")
    for model in (Author, Topic):  # renamed
        post_save.connect(_saved_or_deleted, sender=model, dispatch_uid="search")
    m2m_changed.connect(_tags_changed, sender=TaggedNote, dispatch_uid="search")
    notes_changed.connect(_notes_changed, dispatch_uid="search")
