"""The index follows content: the notes a transaction changed are reindexed
together once it commits, then the public generation moves so that no search
cached in between outlives them. Nothing is written inside the editor's
transaction; entries left stale by a process that died before reindexing are
reported by ``rebuild_search_index --check`` and repaired by the next save or
rebuild. ``loaddata`` (raw saves) is reindexed the same way."""

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


def _saved_or_deleted(sender, instance, **kwargs):
    """The notes whose searched text ``instance`` is part of change."""
    from notes.models import Author, Note, TaggedNote, Topic

    if sender is Note:
        note_ids = [instance.pk]
    elif sender is TaggedNote:
        note_ids = [instance.content_object_id]
    elif sender is Author:  # its name is in its notes' bylines
        note_ids = instance.authorships.values_list("note_id", flat=True)
    elif sender is Topic:
        note_ids = instance.tagged_notes.values_list("content_object_id", flat=True)
    else:  # a section, a figure or a byline
        note_ids = [instance.note_id]
    on_commit_once(_after_commit, note_ids)


def _tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action.startswith("post_"):
        on_commit_once(_after_commit, (pk_set or ()) if reverse else [instance.pk])


def _notes_changed(sender, note_ids=(), **kwargs):
    on_commit_once(_after_commit, note_ids)


def connect():
    from notes.models import Author, Authorship, Figure, Note, Section, TaggedNote, Topic
    from notes.signals import notes_changed

    for model in (Note, Section, Figure, Authorship, TaggedNote, Author, Topic):
        post_save.connect(_saved_or_deleted, sender=model, dispatch_uid="search")
    for model in (Note, Section, Figure, Authorship, TaggedNote):
        post_delete.connect(_saved_or_deleted, sender=model, dispatch_uid="search")
    m2m_changed.connect(_tags_changed, sender=TaggedNote, dispatch_uid="search")
    notes_changed.connect(_notes_changed, dispatch_uid="search")
