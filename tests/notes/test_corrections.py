"""Corrections in public: marked on save, listed under the byline, earlier wordings
readable with a diff; unmarked edits and drafts leave no public record."""

import xml.etree.ElementTree as ET
from datetime import datetime

import pytest
from django.utils import timezone

from notes.models import Correction, Note
from tests.factories import AuthorshipFactory, NoteFactory, SectionFactory
from tests.workflow.formdata import note_form_data

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def note():
    note = NoteFactory(
        title="安克雷奇会谈",
        slug="anchorage",
        summary="双方在开场白中公开交锋。",
        # Whole seconds, as the admin form posts them back.
        published_at=(timezone.now() - timezone.timedelta(days=10)).replace(microsecond=0),
    )
    AuthorshipFactory(note=note, position=1)
    SectionFactory(note=note, position=1, heading="", body="会谈于3月18日举行。")
    SectionFactory(
        note=note, position=2, heading="一、开场", body="双方的公开陈述持续了一个多小时。"
    )
    return note


def save(client, note, **changes):
    """Post the note's change form as an editor would, with ``changes`` on top."""
    note.refresh_from_db()
    response = client.post(f"/admin/notes/note/{note.pk}/change/", note_form_data(note, **changes))
    note.refresh_from_db()
    return response


def version_url(note, number):
    return f"/notes/{note.pk}/{note.slug}/v/{number}/"


def test_a_marked_correction_is_public(client, editor, note):
    client.force_login(editor)
    response = save(
        client,
        note,
        change_kind="correction",
        change_message="会谈日期有误，已更正。",
        **{"sections-0-body": "会谈于3月18日至19日举行。"},
    )
    assert response.status_code == 302
    (correction,) = note.corrections.all()
    assert (correction.number, correction.kind) == (1, "correction")
    assert correction.created_by == editor
    assert correction.previous["title"] == "安克雷奇会谈"
    _pk, _heading, lead = correction.previous["sections"][0]
    assert lead == "会谈于3月18日举行。"

    client.logout()
    html = client.get(note.get_absolute_url()).content.decode()
    byline_end = html.index('class="byline"')
    listed = html.index('class="corrections"')
    assert byline_end < listed < html.index('class="note-summary"')
    day = timezone.localtime(correction.created_at)
    assert f"{day.year}年{day.month}月{day.day}日" in html[listed:]
    assert "会谈日期有误，已更正。" in html
    assert f'href="{version_url(note, 1)}"' in html


def test_the_earlier_wording_is_readable_with_an_escaped_diff_and_noindex(client, editor, note):
    SectionFactory(
        note=note, position=3, heading="二、展望", body="<script>alert(1)</script> 旧的判断。"
    )
    client.force_login(editor)
    save(
        client,
        note,
        change_kind="update",
        change_message="补充了会谈第二天的情况。",
        **{"sections-2-body": "<script>alert(1)</script> 新的判断。"},
    )
    client.logout()
    response = client.get(version_url(note, 1))
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]  # cacheable like every public page
    assert response["X-Robots-Tag"] == "noindex"
    html = response.content.decode()
    assert '<meta name="robots" content="noindex">' in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<del>旧</del><ins>新</ins>" in html
    assert "补充了会谈第二天的情况。" in html
    assert f'href="{note.get_absolute_url()}"' in html


def test_an_unmarked_typo_fix_leaves_no_public_record(client, editor, note):
    feed_before = client.get("/feed/").content
    client.force_login(editor)
    assert save(client, note, **{"sections-0-body": "会谈于3月18日举行了。"}).status_code == 302
    assert not Correction.objects.exists()
    client.logout()
    html = client.get(note.get_absolute_url()).content.decode()
    assert 'class="corrections"' not in html
    assert "更新于" not in html
    assert client.get(version_url(note, 1)).status_code == 404
    assert client.get("/feed/").content == feed_before


def entry_updated(client, note):
    root = ET.fromstring(client.get("/feed/").content)
    for entry in root.iter(f"{ATOM}entry"):
        if entry.find(f"{ATOM}title").text == note.title:
            return entry.find(f"{ATOM}updated").text
    raise AssertionError("the note is not in the feed")


def test_the_feed_entry_is_updated_by_a_correction(client, editor, note):
    before = entry_updated(client, note)
    client.force_login(editor)
    save(client, note, change_kind="correction", change_message="数字有误。")
    client.logout()
    after = entry_updated(client, note)
    assert after != before
    correction = note.corrections.get()
    assert datetime.fromisoformat(after) == correction.created_at


def test_versions_are_numbered_and_each_keeps_its_wording(client, editor, note):
    client.force_login(editor)
    save(client, note, change_kind="correction", change_message="一", title="标题二")
    save(client, note, **{"title": "标题三"})  # unmarked
    save(client, note, change_kind="update", change_message="二", title="标题四")
    assert list(note.corrections.values_list("number", "previous__title")) == [
        (1, "安克雷奇会谈"),
        (2, "标题三"),
    ]
    client.logout()
    assert "安克雷奇会谈" in client.get(version_url(note, 1)).content.decode()
    assert "标题三" in client.get(version_url(note, 2)).content.decode()


@pytest.mark.parametrize(
    "changes",
    [
        {"change_kind": "correction", "change_message": ""},
        {"change_kind": "", "change_message": "说明了却没选类型"},
        {"change_kind": "retraction", "change_message": "不存在的类型"},
        {"change_kind": "correction", "change_message": "长" * 301},
    ],
    ids=["no message", "no kind", "unknown kind", "too long"],
)
def test_bad_marks_are_form_errors_and_nothing_is_saved(client, editor, note, changes):
    client.force_login(editor)
    response = save(client, note, title="新标题", **changes)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert note.title == "安克雷奇会谈"
    assert not Correction.objects.exists()


@pytest.mark.parametrize("status", [Note.Status.DRAFT, Note.Status.REVIEW])
def test_drafts_cannot_be_marked_and_their_history_is_never_public(client, editor, note, status):
    Note.objects.filter(pk=note.pk).update(status=status, published_at=None)
    client.force_login(editor)
    response = save(client, note, change_kind="correction", change_message="草稿改动")
    assert response.status_code == 200
    assert "只有已上线的文章可以标注更正或更新。" in response.content.decode()
    save(client, note, title="草稿改了标题")
    assert note.title == "草稿改了标题"
    assert not Correction.objects.exists()
    client.logout()
    for number in (0, 1, 2):
        assert client.get(version_url(note, number)).status_code == 404


def test_earlier_versions_of_a_note_taken_off_the_site_are_404(client, editor, note):
    client.force_login(editor)
    save(client, note, change_kind="correction", change_message="更正")
    client.logout()
    assert client.get(version_url(note, 1)).status_code == 200
    Note.objects.filter(pk=note.pk).update(status=Note.Status.WITHDRAWN)
    assert client.get(version_url(note, 1)).status_code == 404
    Note.objects.filter(pk=note.pk).update(
        status=Note.Status.PUBLISHED, published_at=timezone.now() + timezone.timedelta(days=1)
    )
    assert client.get(version_url(note, 1)).status_code == 404


@pytest.mark.parametrize("number", [0, 2, 999999999, 99999999999999999999999])
def test_a_version_that_does_not_exist_is_404(client, editor, note, number):
    client.force_login(editor)
    save(client, note, change_kind="correction", change_message="更正")
    client.logout()
    assert client.get(version_url(note, number)).status_code == 404


def test_a_version_of_another_note_is_404(client, editor, note):
    other = NoteFactory()
    client.force_login(editor)
    save(client, note, change_kind="correction", change_message="更正")
    client.logout()
    assert client.get(f"/notes/{other.pk}/{other.slug}/v/1/").status_code == 404


def test_a_wrong_slug_redirects_to_the_versions_canonical_address(client, editor, note):
    client.force_login(editor)
    save(client, note, change_kind="correction", change_message="更正")
    client.logout()
    response = client.get(f"/notes/{note.pk}/wrong/v/1/")
    assert response.status_code == 301
    assert response["Location"] == version_url(note, 1)


def test_the_change_record_fields_show_only_for_a_note_on_the_site(client, editor, note):
    client.force_login(editor)
    assert (
        'id="change-record"' in client.get(f"/admin/notes/note/{note.pk}/change/").content.decode()
    )
    Note.objects.filter(pk=note.pk).update(status=Note.Status.DRAFT, published_at=None)
    assert (
        'id="change-record"'
        not in client.get(f"/admin/notes/note/{note.pk}/change/").content.decode()
    )
