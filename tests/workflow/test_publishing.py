import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from notes import publishing
from notes.models import Note, NoteEvent
from notes.publishing import WorkflowError
from tests.workflow.conftest import in_future

pytestmark = pytest.mark.django_db
Status = Note.Status


def test_author_submits_own_draft(draft, author_user):
    note = publishing.submit_for_review(note=draft, user=author_user)
    assert note.status == Status.REVIEW
    assert note.version == draft.version + 1
    event = note.events.get()
    assert (event.action, event.actor) == (NoteEvent.Action.SUBMITTED, author_user)


def test_author_may_not_submit_someone_elses_draft(draft, other_author):
    with pytest.raises(PermissionDenied):
        publishing.submit_for_review(note=draft, user=other_author)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_credited_author_may_submit(credited_draft, author_user):
    assert publishing.submit_for_review(note=credited_draft, user=author_user).status == "review"


@pytest.mark.parametrize("step", ["publish", "withdraw", "back_to_draft"])
def test_author_may_not_publish_or_withdraw(draft, author_user, step):
    with pytest.raises(PermissionDenied):
        getattr(publishing, step)(note=draft, user=author_user)
    with pytest.raises(PermissionDenied):
        publishing.schedule(note=draft, user=author_user, at=in_future(days=1))
    draft.refresh_from_db()
    assert (draft.status, draft.version) == (Status.DRAFT, 1)
    assert not draft.events.exists()


def test_editor_publishes_now(draft, editor):
    before = timezone.now()
    note = publishing.publish(note=draft, user=editor)
    assert note.is_published and note.published_at >= before
    assert Note.objects.published().filter(pk=note.pk).exists()
    assert note.events.get().action == NoteEvent.Action.PUBLISHED


def test_publish_keeps_a_past_time_as_backdate(draft, editor):
    past = timezone.now() - timezone.timedelta(days=30)
    note = publishing.publish(note=draft, user=editor, at=past)
    assert note.published_at == past


def test_publish_with_a_future_time_publishes_now(draft, editor):
    note = publishing.publish(note=draft, user=editor, at=in_future(days=3))
    assert note.is_published


def test_publish_lists_everything_missing_in_one_message(empty_draft, editor):
    with pytest.raises(WorkflowError) as caught:
        publishing.publish(note=empty_draft, user=editor)
    message = caught.value.message
    assert "摘要" in message and "作者" in message and "段落" in message
    empty_draft.refresh_from_db()
    assert empty_draft.status == Status.DRAFT


def test_schedule_and_appear_when_time_passes(draft, editor, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    at = in_future(hours=2)
    note = publishing.schedule(note=draft, user=editor, at=at)
    assert note.is_scheduled and not Note.objects.published().filter(pk=note.pk).exists()
    assert "定时发布" in note.events.get().get_action_display()
    time_machine.shift(timezone.timedelta(hours=2, seconds=1))
    assert Note.objects.published().filter(pk=note.pk).exists()


@pytest.mark.parametrize(
    ("delta", "fragment"),
    [({"days": -1}, "已经过去"), ({"days": 400}, "超过一年"), ({"days": 365 * 975}, "超过一年")],
)
def test_schedule_refuses_past_and_absurd_times(draft, editor, delta, fragment):
    with pytest.raises(WorkflowError, match=fragment):
        publishing.schedule(
            note=draft, user=editor, at=timezone.now() + timezone.timedelta(**delta)
        )
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_withdraw_and_back_to_draft(draft, editor):
    publishing.publish(note=draft, user=editor)
    note = publishing.withdraw(note=draft, user=editor)
    assert note.status == Status.WITHDRAWN and not note.is_published
    note = publishing.back_to_draft(note=note, user=editor)
    assert note.status == Status.DRAFT
    assert list(note.events.values_list("action", flat=True)) == ["draft", "withdrawn", "published"]


def test_withdraw_refuses_a_draft(draft, editor):
    with pytest.raises(WorkflowError):
        publishing.withdraw(note=draft, user=editor)


def test_each_step_stores_a_version(draft, editor):
    from notes.history import versions_of

    publishing.publish(note=draft, user=editor)
    publishing.withdraw(note=draft, user=editor)
    versions = list(versions_of(draft))
    assert len(versions) == 2
    assert versions[0].field_dict["status"] == Status.WITHDRAWN
    assert versions[0].revision.user == editor
