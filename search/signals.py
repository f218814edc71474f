"""The notes a transaction changed (``loaddata``'s too) are reindexed together after it
commits, then the public generation moves. Entries that a process dying in between left
stale are reported by ``rebuild_search_index --check``."""

from django.db.models.signals import post_delete, post_save

from notes import generation
from notes.aftercommit import on_commit_once
from search.index import reindex


def _after_commit(note_ids):
    reindex(note_ids)
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


def _notes_changed(sender, note_ids=(), **kwargs):
    on_commit_once(_after_commit, note_ids)


def connect():
    from notes.models import Author, Authorship, Figure, Note, Section, TaggedNote, Topic
    from notes.signals import notes_changed

    # Topics added and removed through ``note.tags`` save and delete TaggedNote rows.
    for model in (Note, Section, Figure, Authorship, TaggedNote, Author, Topic):
        post_save.connect(_saved_or_deleted, sender=model, dispatch_uid="search")
    for model in (Note, Section, Figure, Authorship, TaggedNote):
        post_delete.connect(_saved_or_deleted, sender=model, dispatch_uid="search")
    notes_changed.connect(_notes_changed, dispatch_uid="search")
