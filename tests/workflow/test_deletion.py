"""History survives deletion: deleted notes are recoverable, users with a record are kept."""

import pytest
from django.contrib.admin.models import LogEntry
from django.db.models import ProtectedError
from django.urls import reverse

from notes import publishing
from notes.history import versions_of
from notes.models import Note, NoteEvent
from tests.factories import UserFactory, committed
from tests.workflow.conftest import complete_note
from tests.workflow.formdata import change_form_data

pytestmark = pytest.mark.django_db
Status = Note.Status


def change_url(note):
    return reverse("admin:notes_note_change", args=[note.pk])


def search_total(client, q):
    return client.get(reverse("search:search"), {"q": q}).context["results"].total


@pytest.fixture
def published(client, editor):
    """A published note saved twice through the admin: three versions, a record."""
    with committed():
        note = complete_note(status=Status.DRAFT, published_at=None, title="海运价格简报")
        client.force_login(editor)
        for title in ("海运价格简报（修订）", "海运价格简报（终稿）"):
            data = change_form_data(client.get(change_url(note)), title=title)
            assert client.post(change_url(note), data).status_code == 302
        publishing.publish(note=note, user=editor)
    note.refresh_from_db()
    return note


def test_deleting_keeps_the_note_its_versions_and_record(client, published, editor):
    versions = versions_of(published).count()
    public_url = published.get_absolute_url()
    assert client.get(public_url).status_code == 200
    assert search_total(client, "海运价格") == 1
    page = client.get(reverse("admin:notes_note_delete", args=[published.pk]))
    assert "恢复为草稿" in page.content.decode()
    with committed():
        response = client.post(
            reverse("admin:notes_note_delete", args=[published.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    note = Note.objects.get(pk=published.pk)
    assert note.status == Status.DELETED
    assert note.sections.count() == 2 and note.authorships.count() == 1
    assert versions_of(note).count() == versions + 1
    assert list(note.events.values_list("action", flat=True))[:2] == ["deleted", "published"]
    client.logout()
    assert client.get(public_url).status_code == 404
    assert search_total(client, "海运价格") == 0
    assert "海运价格" not in client.get(reverse("notes:feed-atom")).content.decode()


def test_deleted_notes_are_listed_only_when_asked_for(client, published, editor):
    publishing.delete(note=published, user=editor)
    changelist = reverse("admin:notes_note_changelist")
    assert published not in client.get(changelist).context["cl"].result_list
    listed = client.get(changelist, {"status": "deleted"}).context["cl"].result_list
    assert list(listed) == [published]


def test_recovered_note_comes_back_as_a_draft_with_every_version(
    client, published, editor, django_capture_on_commit_callbacks
):
    publishing.delete(note=published, user=editor)
    versions = versions_of(published).count()
    data = change_form_data(client.get(change_url(published)), _recover="1")
    response = client.post(change_url(published), data)
    assert response.status_code == 302
    note = Note.objects.get(pk=published.pk)
    assert note.status == Status.DRAFT
    assert versions_of(note).count() >= versions + 1
    assert note.events.first().action == NoteEvent.Action.RECOVERED
    oldest = versions_of(note).last()
    restore = reverse("admin:notes_note_restore", args=[note.pk, oldest.pk])
    assert client.post(restore).status_code == 302
    assert Note.objects.get(pk=note.pk).title == "海运价格简报（修订）"
    with django_capture_on_commit_callbacks(execute=True):
        publishing.publish(note=note, user=editor)
    client.logout()
    assert client.get(note.get_absolute_url()).status_code == 200
    assert search_total(client, "海运价格") == 1


@pytest.mark.parametrize("step", ["publish", "schedule", "back_to_draft", "delete"])
def test_a_deleted_note_must_be_recovered_first(published, editor, step):
    publishing.delete(note=published, user=editor)
    kwargs = {"at": published.published_at} if step == "schedule" else {}
    with pytest.raises(publishing.WorkflowError):
        getattr(publishing, step)(note=published, user=editor, **kwargs)
    assert Note.objects.get(pk=published.pk).status == Status.DELETED


def test_only_editors_delete_and_recover(client, published, author_user, editor):
    published.created_by = author_user
    published.save()
    with pytest.raises(publishing.PermissionDenied):
        publishing.delete(note=published, user=author_user)
    publishing.delete(note=published, user=editor)
    with pytest.raises(publishing.PermissionDenied):
        publishing.recover(note=published, user=author_user)


# Users.


@pytest.fixture
def departed(published, editor):
    """The editor who wrote and published the note is leaving."""
    return editor


def test_a_user_with_a_record_cannot_be_deleted(client, superuser, departed):
    entries, events = LogEntry.objects.filter(user=departed).count(), NoteEvent.objects.count()
    assert entries and events
    client.force_login(superuser)
    url = reverse("admin:accounts_user_delete", args=[departed.pk])
    page = client.get(url)
    assert page.status_code == 200 and page.context["protected"]
    assert "请停用这个账户" in page.content.decode()
    client.post(url, {"post": "yes"})
    assert LogEntry.objects.filter(user=departed).count() == entries
    with pytest.raises(ProtectedError):
        departed.delete()
    assert NoteEvent.objects.filter(actor=departed).count() == events


def test_a_user_without_a_record_can_be_deleted_by_a_superuser(client, superuser):
    mistaken = UserFactory(username="typo")
    client.force_login(superuser)
    client.post(reverse("admin:accounts_user_delete", args=[mistaken.pk]), {"post": "yes"})
    assert not type(mistaken).objects.filter(pk=mistaken.pk).exists()


def test_administrators_deactivate_rather_than_delete(client, administrator, departed):
    client.force_login(administrator)
    assert client.get(reverse("admin:accounts_user_delete", args=[departed.pk])).status_code == 403
    changelist = reverse("admin:accounts_user_changelist")
    assert (
        "delete_selected"
        not in client.get(changelist).context["action_form"].fields["action"].choices.__str__()
    )
    client.post(changelist, {"action": "deactivate", "_selected_action": [departed.pk]})
    departed.refresh_from_db()
    assert not departed.is_active
    assert LogEntry.objects.filter(user=administrator, object_id=str(departed.pk)).exists()
