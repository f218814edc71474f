"""Keep the search index in step with the database, in the same transaction.

Every save or delete of a note, a section, a topic link or a byline
reindexes the note at once, so an admin save (the note first, its inlines
and topics after) ends with an index that matches what was saved, and a
rolled-back save leaves the index as it was. Renaming a topic or an author
reindexes their notes.

Writes that bypass signals (``QuerySet.update()``, ``bulk_create()``) must
call ``reindex()`` themselves, as the publishing workflow does after each
status change, or run ``manage.py rebuild_search_index`` afterwards: the
index keeps whether a note is published and when, and the search counts
from it (the notes of a results page are still read through
``published()``).
"""

from django.db.models.signals import post_delete, post_save

from notes.search.index import delete, reindex


def _note_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        reindex([instance.pk])


def _note_deleted(sender, instance, **kwargs):
    delete([instance.pk])


def _part_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        reindex([instance.note_id])


def _tagging_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        reindex([instance.content_object_id])


def _topic_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        reindex(instance.tagged_notes.values_list("content_object_id", flat=True))


def _author_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        reindex(instance.authorships.values_list("note_id", flat=True))


def connect():
    from notes.models import Author, Authorship, Note, Section, TaggedNote, Topic

    uid = "notes.search"
    post_save.connect(_note_saved, sender=Note, dispatch_uid=uid)
    post_delete.connect(_note_deleted, sender=Note, dispatch_uid=uid)
    for model in (Section, Authorship):
        post_save.connect(_part_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_part_changed, sender=model, dispatch_uid=uid)
    post_save.connect(_tagging_changed, sender=TaggedNote, dispatch_uid=uid)
    post_delete.connect(_tagging_changed, sender=TaggedNote, dispatch_uid=uid)
    post_save.connect(_topic_saved, sender=Topic, dispatch_uid=uid)
    post_save.connect(_author_saved, sender=Author, dispatch_uid=uid)
