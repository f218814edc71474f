"""The note change form: workflow buttons, forged fields, stale saves."""

import pytest
from django.urls import reverse
from django.utils import timezone

from notes.history import versions_of
from notes.models import Note, Section
from tests.workflow.conftest import complete_note, in_future
from tests.workflow.formdata import change_form_data

pytestmark = pytest.mark.django_db
Status = Note.Status


def change_url(note):
    return reverse("admin:notes_note_change", args=[note.pk])


def load(client, note):
    response = client.get(change_url(note))
    assert response.status_code == 200
    return response


def test_author_saves_own_draft_and_a_version_is_kept(client, author_user, draft):
    client.force_login(author_user)
    data = change_form_data(
        load(client, draft), title="改过的标题", **{"sections-0-body": "新导语。"}
    )
    response = client.post(change_url(draft), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    draft.refresh_from_db()
    assert (draft.title, draft.version) == ("改过的标题", 2)
    version = versions_of(draft).first()
    assert version.field_dict["title"] == "改过的标题"
    assert version.revision.user == author_user
    stored_bodies = {
        v.field_dict["body"] for v in version.revision.version_set.all() if "body" in v.field_dict
    }
    assert "新导语。" in stored_bodies
    kinds = {v.content_type.model for v in version.revision.version_set.all()}
    assert kinds == {"note", "section", "authorship", "taggednote"}


def test_forged_status_and_date_from_an_author_change_nothing(client, author_user, draft):
    client.force_login(author_user)
    data = change_form_data(
        load(client, draft),
        status="published",
        published_at_0="2020-01-01",
        published_at_1="08:00:00",
        summary="作者改了摘要",
    )
    assert client.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.published_at is None
    assert draft.summary == "作者改了摘要"


@pytest.mark.parametrize("button", ["_publish", "_schedule", "_withdraw", "_back_to_draft"])
def test_forged_workflow_button_from_an_author_is_refused_whole(client, author_user, draft, button):
    client.force_login(author_user)
    data = change_form_data(load(client, draft), summary="不该保存", **{button: "1"})
    assert client.post(change_url(draft), data).status_code == 403
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.summary != "不该保存"
    assert draft.version == 1 and not draft.events.exists()


def test_author_submits_for_review_then_can_no_longer_publish(client, author_user, draft):
    client.force_login(author_user)
    response = client.post(
        change_url(draft), change_form_data(load(client, draft), _submit_review="1")
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.REVIEW


def test_editor_publishes_from_the_form(client, editor, draft):
    client.force_login(editor)
    response = client.post(change_url(draft), change_form_data(load(client, draft), _publish="1"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_published
    page = client.get(change_url(draft))
    assert "已发布" in page.content.decode()


def test_publish_without_required_fields_gives_one_message_and_keeps_the_text(
    client, editor, empty_draft
):
    client.force_login(editor)
    data = change_form_data(load(client, empty_draft), title="新标题", _publish="1")
    response = client.post(change_url(empty_draft), data, follow=True)
    errors = [m.message for m in response.context["messages"] if m.level_tag == "error"]
    assert len(errors) == 1
    assert all(word in errors[0] for word in ("摘要", "作者", "段落"))
    empty_draft.refresh_from_db()
    assert empty_draft.title == "新标题" and empty_draft.status == Status.DRAFT


def _schedule_fields(at):
    local = timezone.localtime(at)
    return {
        "published_at_0": local.date().isoformat(),
        "published_at_1": local.strftime("%H:%M:%S"),
    }


def test_editor_schedules_and_sees_the_label(client, editor, draft):
    client.force_login(editor)
    at = in_future(days=2)
    data = change_form_data(load(client, draft), _schedule="1", **_schedule_fields(at))
    assert client.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.is_scheduled
    local = timezone.localtime(at)
    assert (
        f"定时发布于 {local.year}年{local.month}月{local.day}日"
        in load(client, draft).content.decode()
    )
    changelist = client.get(reverse("admin:notes_note_changelist"))
    assert '<td class="field-list_state">定时发布</td>' in changelist.content.decode()


@pytest.mark.parametrize(
    ("at", "fragment"),
    [
        (timezone.now() - timezone.timedelta(days=2), "已经过去"),
        (timezone.now().replace(year=3000), "超过一年"),
    ],
)
def test_schedule_time_in_the_past_or_year_3000_is_a_form_error(
    client, editor, draft, at, fragment
):
    client.force_login(editor)
    data = change_form_data(load(client, draft), _schedule="1", **_schedule_fields(at))
    response = client.post(change_url(draft), data)
    assert response.status_code == 200
    assert fragment in str(response.context["adminform"].form.errors["published_at"])
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.published_at is None


def test_year_3000_on_a_plain_save_is_refused_too(client, editor, draft):
    client.force_login(editor)
    data = change_form_data(
        load(client, draft), **_schedule_fields(timezone.now().replace(year=3000))
    )
    assert client.post(change_url(draft), data).status_code == 200
    draft.refresh_from_db()
    assert draft.published_at is None


def test_stale_form_is_refused_with_who_and_when_and_keeps_text(client, editor, draft):
    other = type(editor).objects.create(username="second", is_staff=True, email="s@example.org")
    other.groups.set(editor.groups.all())
    client.force_login(editor)
    first_form = load(client, draft)
    client.force_login(other)
    second_form = load(client, draft)

    client.force_login(editor)
    first = change_form_data(
        first_form, title="第一位的标题", **{"sections-0-body": "第一位的正文"}
    )
    assert client.post(change_url(draft), first).status_code == 302

    client.force_login(other)
    second = change_form_data(
        second_form,
        title="第二位的标题",
        **{"sections-0-body": "第二位的正文", "sections-1-DELETE": "on"},
    )
    response = client.post(change_url(draft), second)
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.non_field_errors())
    hhmm = timezone.localtime(Note.objects.get(pk=draft.pk).updated_at).strftime("%H:%M")
    assert "editor" in errors or str(editor) in errors
    assert hhmm in errors
    assert "第二位的正文" in response.content.decode()  # their text is still on the form

    draft.refresh_from_db()
    assert draft.title == "第一位的标题" and draft.version == 2
    assert set(Section.objects.filter(note=draft).values_list("body", flat=True)) == {
        "第一位的正文",
        "背景正文。",
    }


def test_bulk_publish_applies_the_same_checks(client, editor, draft, empty_draft):
    client.force_login(editor)
    response = client.post(
        reverse("admin:notes_note_changelist"),
        {"action": "publish_selected", "_selected_action": [draft.pk, empty_draft.pk]},
        follow=True,
    )
    texts = [m.message for m in response.context["messages"]]
    assert any("已发布 1 篇" in t for t in texts)
    assert any("缺少" in t and empty_draft.title in t for t in texts)
    draft.refresh_from_db()
    empty_draft.refresh_from_db()
    assert draft.is_published and empty_draft.status == Status.DRAFT
    assert draft.version == 2


def test_bulk_withdraw_skips_drafts(client, editor, draft):
    live = complete_note()
    client.force_login(editor)
    client.post(
        reverse("admin:notes_note_changelist"),
        {"action": "withdraw_selected", "_selected_action": [draft.pk, live.pk]},
    )
    live.refresh_from_db()
    draft.refresh_from_db()
    assert live.status == Status.WITHDRAWN and draft.status == Status.DRAFT


def test_authors_are_not_offered_bulk_actions_and_cannot_forge_them(client, author_user, draft):
    client.force_login(author_user)
    page = client.get(reverse("admin:notes_note_changelist"))
    assert "publish_selected" not in page.content.decode()
    client.post(
        reverse("admin:notes_note_changelist"),
        {"action": "publish_selected", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_author_list_shows_only_own_notes(client, author_user, draft, credited_draft):
    someone_elses = complete_note(status=Status.DRAFT, published_at=None, title="别人的稿子")
    client.force_login(author_user)
    page = client.get(reverse("admin:notes_note_changelist"))
    shown = set(page.context["cl"].result_list)
    assert shown == {draft, credited_draft}
    assert someone_elses not in shown


def test_audit_panel_shows_events_newest_first_to_editors_only(client, editor, author_user, draft):
    from notes import publishing

    publishing.submit_for_review(note=draft, user=author_user)
    publishing.publish(note=draft, user=editor)
    publishing.withdraw(note=draft, user=editor)
    client.force_login(editor)
    page = load(client, draft)
    events = list(page.context["note_events"])
    assert [e.action for e in events] == ["withdrawn", "published", "submitted"]
    assert [e.actor for e in events] == [editor, editor, author_user]
    assert "操作记录" in page.content.decode()
    client.force_login(author_user)
    page = client.get(change_url(draft))
    assert page.status_code == 200 and page.context["note_events"] is None


def test_author_cannot_link_a_profile_to_himself(client, author_user, credited_draft):
    from notes.models import Author

    stranger = Author.objects.exclude(user=author_user).first()
    client.force_login(author_user)
    url = reverse("admin:notes_author_change", args=[stranger.pk])
    response = client.post(url, {"name": "冒名", "slug": stranger.slug, "user": author_user.pk})
    assert response.status_code == 403
    stranger.refresh_from_db()
    assert stranger.user is None and stranger.name != "冒名"
    own = Author.objects.get(user=author_user)
    page = client.get(reverse("admin:notes_author_change", args=[own.pk]))
    assert page.status_code == 200 and "user" not in page.context["adminform"].form.fields


def test_saving_a_live_note_without_sections_warns(client, editor):
    live = complete_note()
    client.force_login(editor)
    data = change_form_data(
        load(client, live), **{"sections-0-DELETE": "on", "sections-1-DELETE": "on"}
    )
    response = client.post(change_url(live), data, follow=True)
    warnings = [m.message for m in response.context["messages"] if m.level_tag == "warning"]
    assert any("段落" in w for w in warnings)


def test_author_note_list_runs_a_constant_number_of_queries(client, author_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(author_user)
    url = reverse("admin:notes_note_changelist")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    complete_note(status=Status.DRAFT, published_at=None, created_by=author_user)
    few = count()
    for _ in range(15):
        complete_note(status=Status.DRAFT, published_at=None, created_by=author_user)
    assert count() == few


@pytest.mark.parametrize("forged", [{"loaded_version": "abc"}, {"loaded_version": ""}])
def test_forged_or_missing_version_is_refused_not_a_crash(client, editor, draft, forged):
    client.force_login(editor)
    data = change_form_data(load(client, draft), title="伪造", **forged)
    assert client.post(change_url(draft), data).status_code == 200
    draft.refresh_from_db()
    assert draft.title != "伪造" and draft.version == 1


def test_preview_without_inline_management_data_still_answers(client, editor, draft):
    client.force_login(editor)
    data = {k: v for k, v in change_form_data(load(client, draft)).items() if "-" not in k}
    response = client.post(reverse("admin:notes_note_preview", args=[draft.pk]), data)
    assert response.status_code == 200
