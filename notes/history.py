"""Every saved state of a note, with its sections, byline and topics (django-reversion).

A restore brings back the note's content (text, sections, byline, topics) but
keeps its place in the workflow: status, publication time and creator stay as
they are now, so restoring an old draft never unpublishes or publishes a note.
"""

import difflib

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from reversion.models import Version

from notes.models import (
    Author,
    Authorship,
    Note,
    NoteEvent,
    NoteType,
    Section,
    Series,
    TaggedNote,
    Topic,
)
from notes.permissions import can_restore
from notes.signals import notes_changed

#: Fields a restore leaves as they are now (the workflow's, not the content's).
WORKFLOW_FIELDS = ("status", "published_at", "created_by_id", "created_at")

#: Rows are parked this far up before a restore writes old positions back.
PARKING_OFFSET = 2_000_000

#: Related rows kept with every version of a note: model -> field naming the note.
FOLLOWED = {Section: "note_id", Authorship: "note_id", TaggedNote: "content_object_id"}


class RestoreError(Exception):
    """The version cannot come back as it was; the message says why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def register_models():
    """Called once from the app config."""
    if reversion.is_registered(Note):
        return
    reversion.register(Note, follow=["sections", "authorships", "tagged_items"])
    for model in FOLLOWED:
        reversion.register(model)


def save_revision(note, *, user, comment=""):
    """Store the note as it is now (with its rows) as one version."""
    with reversion.create_revision():
        reversion.set_user(user)
        if comment:
            reversion.set_comment(comment)
        reversion.add_to_revision(note)


def versions_of(note):
    """The note's versions, newest first."""
    return (
        Version.objects.get_for_object(note)
        .select_related("revision__user")
        .order_by("-revision__date_created", "-pk")
    )


def _related_versions(version):
    """The section, authorship and topic rows stored in the same revision as ``version``."""
    note_id = int(version.object_id)
    rows = {model: [] for model in FOLLOWED}
    content_types = {ContentType.objects.get_for_model(model).pk: model for model in FOLLOWED}
    for other in version.revision.version_set.filter(content_type_id__in=content_types):
        model = content_types[other.content_type_id]
        obj = other._object_version.object
        if getattr(obj, FOLLOWED[model]) == note_id:
            rows[model].append(other)
    return rows


def snapshot_of_version(version):
    """What a reader would compare: title, summary, sections, authors, topics."""
    note = version._object_version.object
    rows = _related_versions(version)
    sections = sorted((v._object_version.object for v in rows[Section]), key=lambda s: s.position)
    authorships = sorted(
        (v._object_version.object for v in rows[Authorship]), key=lambda a: a.position
    )
    names = dict(
        Author.objects.filter(pk__in=[a.author_id for a in authorships]).values_list("pk", "name")
    )
    tag_ids = [v._object_version.object.tag_id for v in rows[TaggedNote]]
    return {
        "title": note.title,
        "summary": note.summary,
        "sections": [(s.pk, s.heading, s.body) for s in sections],
        "authors": [names.get(a.author_id, _("（已删除的作者）")) for a in authorships],
        "topics": sorted(Topic.objects.filter(pk__in=tag_ids).values_list("name", flat=True)),
    }


def snapshot_of_note(note):
    return {
        "title": note.title,
        "summary": note.summary,
        "sections": [(s.pk, s.heading, s.body) for s in note.sections.order_by("position")],
        "authors": list(
            note.authorships.order_by("position").values_list("author__name", flat=True)
        ),
        "topics": sorted(note.tags.values_list("name", flat=True)),
    }


def inline_diff(old: str, new: str):
    """Character-level diff (Chinese has no spaces between words), escaped, as HTML."""
    parts = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape(old[i1:i2]))
            continue
        if i2 > i1:
            parts.append(f"<del>{escape(old[i1:i2])}</del>")
        if j2 > j1:
            parts.append(f"<ins>{escape(new[j1:j2])}</ins>")
    return mark_safe("".join(parts))  # every piece of text above went through escape()


def compare(old, new):
    """Rows of (label, changed, html) comparing two snapshots, old → new."""
    rows = [
        (_("标题"), old["title"], new["title"]),
        (_("摘要"), old["summary"], new["summary"]),
        (_("作者"), "、".join(old["authors"]), "、".join(new["authors"])),
        (_("主题"), "、".join(old["topics"]), "、".join(new["topics"])),
    ]
    old_sections = {pk: (heading, body) for pk, heading, body in old["sections"]}
    new_sections = {pk: (heading, body) for pk, heading, body in new["sections"]}
    order = [pk for pk, *_rest in new["sections"]]
    order += [pk for pk, *_rest in old["sections"] if pk not in new_sections]
    for n, pk in enumerate(order, start=1):
        before = "\n\n".join(old_sections.get(pk, ("", ""))).strip()
        after = "\n\n".join(new_sections.get(pk, ("", ""))).strip()
        rows.append((_("段落 %(n)s") % {"n": n}, before, after))
    return [(label, a != b, inline_diff(a, b)) for label, a, b in rows]


@transaction.atomic
def restore_version(*, note, version, user):
    """Bring ``note``'s content back to ``version``; the restore is itself a new version.

    Returns the labels of rows that could not come back (an author or topic
    deleted since).
    """
    if version.content_type != ContentType.objects.get_for_model(Note) or version.object_id != str(
        note.pk
    ):
        raise PermissionDenied
    note = Note.objects.select_for_update().get(pk=note.pk)
    if not can_restore(user, note):
        raise PermissionDenied
    keep = {field: getattr(note, field) for field in WORKFLOW_FIELDS}
    keep["version"] = note.version + 1  # the row is locked: no one else can bump it
    rows = _related_versions(version)
    skipped = []
    for model, link in FOLLOWED.items():
        wanted = [int(v.object_id) for v in rows[model]]
        current = model.objects.filter(**{link: note.pk})
        current.exclude(pk__in=wanted).delete()
        if model is not TaggedNote:
            current.update(position=F("position") + PARKING_OFFSET)
    old = version._object_version.object
    if old.series_id and not Series.objects.filter(pk=old.series_id).exists():
        old.series_id = None
        skipped.append(_("栏目"))
    if old.note_type_id and not NoteType.objects.filter(pk=old.note_type_id).exists():
        old.note_type_id = None
        skipped.append(_("类型"))
    try:
        with transaction.atomic():
            version.revert()
    except IntegrityError as error:
        raise RestoreError(
            _("无法恢复：这个版本的网址名“%(slug)s”已被另一篇文章使用。") % {"slug": old.slug}
        ) from error
    for model in FOLLOWED:
        for row in rows[model]:
            obj = row._object_version.object
            if model is Authorship and not Author.objects.filter(pk=obj.author_id).exists():
                skipped.append(_("作者"))
                continue
            if model is TaggedNote and not Topic.objects.filter(pk=obj.tag_id).exists():
                skipped.append(_("主题"))
                continue
            try:
                with transaction.atomic():
                    row.revert()
            except IntegrityError:
                skipped.append(str(model._meta.verbose_name))
    # A version kept before paragraphs had ids brings none back: give them ids.
    for section in note.sections.all():
        if len(section.paragraph_ids) != len(section.linkable_blocks()):
            section.save()
    restored = Note.objects.get(pk=note.pk)
    if len(restored.summary_paragraph_ids) != len(restored.summary_paragraphs):
        restored.assign_summary_paragraph_ids()
        keep["summary_paragraph_ids"] = restored.summary_paragraph_ids
        keep["retired_summary_paragraph_ids"] = restored.retired_summary_paragraph_ids
    Note.objects.filter(pk=note.pk).update(updated_at=timezone.now(), **keep)
    note.refresh_from_db()
    notes_changed.send(sender=Note, note_ids=[note.pk])
    when = timezone.localtime(version.revision.date_created)
    detail = _("恢复到 %(when)s 的版本") % {"when": when.strftime("%Y-%m-%d %H:%M")}
    save_revision(note, user=user, comment=detail)
    NoteEvent.objects.create(note=note, actor=user, action=NoteEvent.Action.RESTORED, detail=detail)
    return sorted(set(skipped))
