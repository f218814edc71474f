"""The editorial workflow: draft → in review → published (now or scheduled) → withdrawn.

Deleting a note is a step too: a deleted note leaves the site and search like
a withdrawn one, keeps its versions and audit entries, and comes back as a
draft when an editor recovers it.

Every function locks the note's row, checks who is asking, the note's state
and what publication needs, then changes the state, bumps the version
counter, stores a version in the history and writes an audit entry. A refusal
raises :class:`WorkflowError` (a message for the editor) or ``PermissionDenied``.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from notes import history
from notes.models import Note, NoteEvent
from notes.permissions import can_edit, is_editor
from notes.signals import notes_changed

#: A publication time further ahead than this is taken for a typing mistake.
MAX_SCHEDULE_AHEAD = timedelta(days=366)

Status = Note.Status


class WorkflowError(Exception):
    """A step the note's state or content does not allow; the message says why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def missing_for_publication(note) -> list[str]:
    """What ``note`` still lacks before it can be published, as field names."""
    missing = []
    if not note.summary.strip():
        missing.append(_("摘要"))
    if not note.authorships.exists():
        missing.append(_("至少一位作者"))
    if not note.sections.exists():
        missing.append(_("至少一个段落"))
    return missing


def local_time(value) -> str:
    """A time as readers see it: the site's time zone, e.g. ``2026年3月18日 09:30``."""
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def validate_schedule_time(at, *, now=None) -> None:
    """Refuse a schedule time that has passed or is absurdly far ahead."""
    now = now or timezone.now()
    if at is None:
        raise WorkflowError(_("定时发布需要填写发布时间。"))
    if at <= now:
        raise WorkflowError(
            _("定时发布的时间（%(at)s）已经过去；如要立即发布，请点「发布」。")
            % {"at": local_time(at)}
        )
    if at - now > MAX_SCHEDULE_AHEAD:
        raise WorkflowError(
            _("发布时间（%(at)s）超过一年以后，请检查年份。") % {"at": local_time(at)}
        )


def _lock(note):
    return Note.objects.select_for_update().get(pk=note.pk)


def _require_editor(user):
    if not is_editor(user):
        raise PermissionDenied


def _refuse_deleted(note):
    if note.status == Status.DELETED:
        raise WorkflowError(_("这篇文章已删除，请先恢复为草稿。"))


def _require_complete(note):
    missing = missing_for_publication(note)
    if missing:
        raise WorkflowError(
            _("无法发布，还缺少：%(missing)s。") % {"missing": "、".join(map(str, missing))}
        )


def _transition(note, *, user, action, detail="", **changes):
    """Write ``changes``, bump the version, keep a version and an audit entry."""
    Note.objects.filter(pk=note.pk).update(
        version=F("version") + 1, updated_at=timezone.now(), **changes
    )
    note.refresh_from_db()
    notes_changed.send(sender=Note, note_ids=[note.pk])
    label = NoteEvent.Action(action).label
    history.save_revision(note, user=user, comment=f"{label} {detail}".strip())
    NoteEvent.objects.create(note=note, actor=user, action=action, detail=detail)
    return note


@transaction.atomic
def submit_for_review(*, note, user):
    note = _lock(note)
    if not can_edit(user, note):
        raise PermissionDenied
    if note.status != Status.DRAFT:
        raise WorkflowError(_("只有草稿可以提交审核。"))
    return _transition(note, user=user, action=NoteEvent.Action.SUBMITTED, status=Status.REVIEW)


@transaction.atomic
def publish(*, note, user, at=None):
    """Publish now. A time already past in ``at`` is kept as a back-dated publication time."""
    _require_editor(user)
    note = _lock(note)
    _refuse_deleted(note)
    if note.is_published:
        raise WorkflowError(_("这篇文章已经发布。"))
    _require_complete(note)
    now = timezone.now()
    when = at if at is not None and at <= now else now
    return _transition(
        note,
        user=user,
        action=NoteEvent.Action.PUBLISHED,
        detail=local_time(when),
        status=Status.PUBLISHED,
        published_at=when,
    )


@transaction.atomic
def schedule(*, note, user, at):
    _require_editor(user)
    validate_schedule_time(at)
    note = _lock(note)
    _refuse_deleted(note)
    if note.is_published:
        raise WorkflowError(_("已上线的文章不能改为定时发布，请先撤回。"))
    _require_complete(note)
    return _transition(
        note,
        user=user,
        action=NoteEvent.Action.SCHEDULED,
        detail=local_time(at),
        status=Status.PUBLISHED,
        published_at=at,
    )


@transaction.atomic
def withdraw(*, note, user):
    """Take a published or scheduled note off the site; its publication time is kept."""
    _require_editor(user)
    note = _lock(note)
    if note.status != Status.PUBLISHED:
        raise WorkflowError(_("只有已发布或定时发布的文章可以撤回。"))
    return _transition(note, user=user, action=NoteEvent.Action.WITHDRAWN, status=Status.WITHDRAWN)


@transaction.atomic
def back_to_draft(*, note, user):
    _require_editor(user)
    note = _lock(note)
    _refuse_deleted(note)
    if note.status == Status.DRAFT:
        raise WorkflowError(_("这篇文章已经是草稿。"))
    return _transition(note, user=user, action=NoteEvent.Action.BACK_TO_DRAFT, status=Status.DRAFT)


@transaction.atomic
def delete(*, note, user):
    """Take a note off the site and out of search, keeping it, its versions and its record."""
    _require_editor(user)
    note = _lock(note)
    if note.status == Status.DELETED:
        raise WorkflowError(_("这篇文章已经删除。"))
    return _transition(note, user=user, action=NoteEvent.Action.DELETED, status=Status.DELETED)


@transaction.atomic
def recover(*, note, user):
    """Bring a deleted note back as a draft; publishing it again is a step of its own."""
    _require_editor(user)
    note = _lock(note)
    if note.status != Status.DELETED:
        raise WorkflowError(_("只有已删除的文章可以恢复。"))
    return _transition(note, user=user, action=NoteEvent.Action.RECOVERED, status=Status.DRAFT)


def record_creation(*, note, user):
    NoteEvent.objects.create(note=note, actor=user, action=NoteEvent.Action.CREATED)
