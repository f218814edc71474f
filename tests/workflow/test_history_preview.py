"""History (list, diff, restore) and preview of notes in the admin."""

import pytest
from django.urls import reverse

from notes import publishing
from notes.history import save_revision, versions_of
from notes.models import Note, NoteEvent, Section
from tests.factories import AuthorFactory, AuthorshipFactory
from tests.workflow.conftest import complete_note
from tests.workflow.formdata import change_form_data

pytestmark = pytest.mark.django_db
Status = Note.Status


def change_url(note):
    return reverse("admin:notes_note_change", args=[note.pk])


def save_via_form(client, note, **changes):
    data = change_form_data(client.get(change_url(note)), **changes)
    response = client.post(change_url(note), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    note.refresh_from_db()


@pytest.fixture
def edited(client, editor, draft):
    """A draft saved twice by an editor: versions v1 (original) and v2 (edited)."""
    client.force_login(editor)
    save_via_form(client, draft, title="第一版标题")
    save_via_form(
        client,
        draft,
        title="第二版<b>标题</b>",
        tags="能源, 外贸",
        **{"sections-0-body": "改写后的导语。", "sections-1-DELETE": "on"},
    )
    return draft


def test_history_lists_versions_with_who_and_comment(client, edited, editor):
    page = client.get(reverse("admin:notes_note_history", args=[edited.pk]))
    assert page.status_code == 200
    versions = list(page.context["versions"])
    assert len(versions) == 2
    assert all(v.revision.user == editor for v in versions)
    assert "editor" in page.content.decode()


def test_diff_shows_escaped_inline_changes(client, edited):
    first = list(versions_of(edited))[-1]
    page = client.get(reverse("admin:notes_note_version", args=[edited.pk, first.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<del>一</del><ins>二</ins>版" in html
    assert "&lt;b&gt;" in html
    assert "<b>标题</b>" not in html
    labels = [label for label, changed, _html in page.context["rows"] if changed]
    assert "标题" in labels and "主题" in labels
    assert any(str(label).startswith("段落") for label in labels)


def test_restore_brings_back_sections_and_tags_as_a_new_version(client, edited, editor):
    first = list(versions_of(edited))[-1]
    url = reverse("admin:notes_note_restore", args=[edited.pk, first.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    edited.refresh_from_db()
    assert edited.title == "第一版标题"
    assert list(edited.sections.order_by("position").values_list("body", flat=True)) == [
        "导语正文。",
        "背景正文。",
    ]
    assert sorted(edited.tags.names()) == ["能源"]
    assert edited.version == 4
    assert len(versions_of(edited)) == 3
    event = edited.events.get(action=NoteEvent.Action.RESTORED)
    assert event.actor == editor


def test_restore_keeps_the_workflow_state(client, edited, editor):
    first = list(versions_of(edited))[-1]
    publishing.publish(note=edited, user=editor)
    client.post(reverse("admin:notes_note_restore", args=[edited.pk, first.pk]))
    edited.refresh_from_db()
    assert edited.is_published and edited.title == "第一版标题"


def test_restore_survives_swapped_positions(client, editor, draft):
    client.force_login(editor)
    save_via_form(client, draft, title="换序前")
    before = versions_of(draft).first()
    save_via_form(client, draft, **{"sections-0-position": "2", "sections-1-position": "1"})
    assert draft.sections.get(position=1).heading == "一、背景"
    client.post(reverse("admin:notes_note_restore", args=[draft.pk, before.pk]))
    assert draft.sections.get(position=1).heading == ""


def test_version_of_another_note_is_404(client, edited):
    other = complete_note(status=Status.DRAFT, published_at=None)
    save_revision(other, user=None, comment="别的文章")
    foreign = versions_of(other).first()
    assert (
        client.get(reverse("admin:notes_note_version", args=[edited.pk, foreign.pk])).status_code
        == 404
    )
    response = client.post(reverse("admin:notes_note_restore", args=[edited.pk, foreign.pk]))
    assert response.status_code == 404
    edited.refresh_from_db()
    assert edited.title == "第二版<b>标题</b>"


def test_restore_skips_an_author_deleted_since(client, editor, draft):
    client.force_login(editor)
    gone = AuthorFactory()
    AuthorshipFactory(note=draft, author=gone, position=5)
    save_via_form(client, draft, title="有两位作者")
    old = versions_of(draft).first()
    draft.authorships.filter(author=gone).delete()
    gone.delete()
    response = client.post(
        reverse("admin:notes_note_restore", args=[draft.pk, old.pk]), follow=True
    )
    assert response.status_code == 200
    assert any("作者" in m.message for m in response.context["messages"])
    draft.refresh_from_db()
    assert draft.title == "有两位作者"


def test_author_may_restore_own_draft_but_not_once_published(client, author_user, editor, draft):
    client.force_login(author_user)
    save_via_form(client, draft, title="作者第一版")
    save_via_form(client, draft, title="作者第二版")
    old = list(versions_of(draft))[-1]
    url = reverse("admin:notes_note_restore", args=[draft.pk, old.pk])
    assert client.post(url).status_code == 302
    draft.refresh_from_db()
    assert draft.title == "作者第一版"
    publishing.publish(note=draft, user=editor)
    assert client.post(url).status_code == 403
    assert client.get(reverse("admin:notes_note_history", args=[draft.pk])).status_code == 200


# Preview.


def test_preview_of_saved_draft_is_private_and_bannered(client, editor, draft):
    client.force_login(editor)
    response = client.get(reverse("admin:notes_note_preview", args=[draft.pk]))
    assert response.status_code == 200
    assert response.context["preview"] is True
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control
    assert "预览" in response.content.decode()
    assert draft.title in response.content.decode()


def test_preview_of_unsaved_form_shows_typed_text_and_saves_nothing(client, editor, draft):
    client.force_login(editor)
    data = change_form_data(
        client.get(change_url(draft)),
        title="尚未保存的标题",
        tags="新主题",
        **{"sections-0-body": "尚未保存的**导语**。"},
    )
    response = client.post(reverse("admin:notes_note_preview", args=[draft.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "尚未保存的标题" in html and "<strong>导语</strong>" in html and "新主题" in html
    assert "no-store" in response["Cache-Control"]
    draft.refresh_from_db()
    assert draft.title != "尚未保存的标题" and draft.version == 1
    assert not Section.objects.filter(body__contains="尚未保存").exists()


def test_preview_of_a_new_note_from_the_add_form(client, author_user):
    client.force_login(author_user)
    data = change_form_data(
        client.get(reverse("admin:notes_note_add")),
        title="新写的稿子",
        slug="xin-gao",
        summary="摘要",
        **{"sections-TOTAL_FORMS": "1", "sections-0-body": "第一段", "sections-0-position": "1"},
    )
    response = client.post(reverse("admin:notes_note_preview_new"), data)
    assert response.status_code == 200
    assert "新写的稿子" in response.content.decode() and "第一段" in response.content.decode()
    assert not Note.objects.filter(title="新写的稿子").exists()


def test_preview_with_form_errors_explains(client, editor, draft):
    client.force_login(editor)
    data = change_form_data(client.get(change_url(draft)), title="")
    response = client.post(reverse("admin:notes_note_preview", args=[draft.pk]), data)
    assert response.status_code == 200
    assert "无法预览" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/admin/notes/note/abc/preview/",
        "/admin/notes/note/999999/preview/",
        "/admin/notes/note/999999/history/",
        "/admin/notes/note/abc/history/1/",
    ],
)
def test_garbage_or_missing_ids_are_404(client, editor, path):
    client.force_login(editor)
    assert client.get(path).status_code == 404


def test_scheduled_note_reaches_the_public_page_when_its_time_comes(
    client, editor, draft, time_machine
):
    from django.utils import timezone

    time_machine.move_to(timezone.now(), tick=False)
    publishing.schedule(note=draft, user=editor, at=timezone.now() + timezone.timedelta(hours=1))
    draft.refresh_from_db()
    assert client.get(draft.get_absolute_url()).status_code == 404
    time_machine.shift(timezone.timedelta(hours=1, seconds=1))
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_restore_refuses_a_slug_now_taken_and_changes_nothing(client, editor, draft):
    client.force_login(editor)
    old_slug = draft.slug
    save_via_form(client, draft, title="旧网址时的标题")
    old = versions_of(draft).first()
    save_via_form(client, draft, slug="new-slug", title="新标题")
    complete_note(slug=old_slug)
    response = client.post(
        reverse("admin:notes_note_restore", args=[draft.pk, old.pk]), follow=True
    )
    assert response.status_code == 200
    assert any("网址名" in m.message for m in response.context["messages"])
    draft.refresh_from_db()
    assert (draft.slug, draft.title) == ("new-slug", "新标题")
    assert draft.sections.count() == 2


def test_restore_survives_a_series_deleted_since(client, editor, draft):
    from tests.factories import SeriesFactory

    client.force_login(editor)
    gone = draft.series
    save_via_form(client, draft, title="旧栏目时的标题")
    old = versions_of(draft).first()
    save_via_form(client, draft, series=SeriesFactory().pk)
    gone.delete()
    response = client.post(
        reverse("admin:notes_note_restore", args=[draft.pk, old.pk]), follow=True
    )
    assert any("栏目" in m.message for m in response.context["messages"])
    draft.refresh_from_db()
    assert draft.title == "旧栏目时的标题" and draft.series is None
