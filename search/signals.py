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


def changed(items):
    """``items`` changed: ``("note", id)``, ``("author", id)`` or ``("topic", id)``."""
    on_commit_once(_after_commit, items)


def _after_commit(items):
    from notes.models import Authorship, TaggedNote

    note_ids = {pk for kind, pk in items if kind == "note"}
    authors = [pk for kind, pk in items if kind == "author"]
    topics = [pk for kind, pk in items if kind == "topic"]
    if authors:
        note_ids.update(
            Authorship.objects.filter(author__in=authors).values_list("note_id", flat=True)
        )
    if topics:
        note_ids.update(
            TaggedNote.objects.filter(tag__in=topics).values_list("content_object_id", flat=True)
        )
    note_ids = sorted(note_ids)
    for i in range(0, len(note_ids), BATCH_SIZE):
        reindex(note_ids[i : i + BATCH_SIZE])
    generation.bump()


def _note(sender, instance, **kwargs):
    changed([("note", instance.pk)])


def _part(sender, instance, **kwargs):
    changed([("note", instance.note_id)])


def _tagging(sender, instance, **kwargs):
    changed([("note", instance.content_object_id)])


def _tags(sender, instance, action, reverse, pk_set, **kwargs):
    if action.startswith("post_"):
        changed([("note", pk) for pk in pk_set or ()] if reverse else [("note", instance.pk)])


def _named(kind):
    def receiver(sender, instance, **kwargs):
        changed([(kind, instance.pk)])

    return receiver


def _notes_changed(sender, note_ids=(), **kwargs):
    changed([("note", pk) for pk in note_ids])


_author_saved, _topic_saved = _named("author"), _named("topic")


def connect():
    from notes.models import Author, Authorship, Note, Section, TaggedNote, Topic
    from notes.signals import notes_changed

    uid = "search"
    for model, receiver in ((Note, _note), (Section, _part), (Authorship, _part),
                            (TaggedNote, _tagging)):  # fmt: skip
        post_save.connect(receiver, sender=model, dispatch_uid=uid)
        post_delete.connect(receiver, sender=model, dispatch_uid=uid)
    m2m_changed.connect(_tags, sender=TaggedNote, dispatch_uid=uid)
    post_save.connect(_author_saved, sender=Author, dispatch_uid=uid)
    post_save.connect(_topic_saved, sender=Topic, dispatch_uid=uid)
    notes_changed.connect(_notes_changed, dispatch_uid=uid)
