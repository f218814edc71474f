import re

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from notes.models import Author, ImportPreview, Note, Series
from tests.factories import AuthorFactory, SeriesFactory, UserFactory
from tests.notes.brief_files import BRIEFS, english_docx, english_pdf

pytestmark = pytest.mark.django_db

UPLOAD = reverse("admin:notes_note_import")
#: Corrections an Author must make to a brief naming a series and type that do not exist.
NO_TAXONOMY = {"brief-0-series": "", "brief-0-note_type": ""}
CHANGELIST = reverse("admin:notes_note_changelist")


def upload(client, *files):
    return client.post(UPLOAD, {"files": list(files)})


def zh_file(name="platform_layout_zh.txt"):
    return SimpleUploadedFile(name, (BRIEFS / "platform_layout_zh.txt").read_bytes())


def form_data(response, *, create=True):
    """The POST data of the preview page as rendered (every form's initial values), with
    new series and types confirmed when ``create``."""
    data = {}
    for item in response.context["items"]:
        form = item["form"]
        if form is None:
            continue
        for field in form:
            value = field.value()
            if value is True:
                data[field.html_name] = "on"
            elif value not in (None, False):
                data[field.html_name] = value
        if create:
            data[f"{form.prefix}-create_series"] = data[f"{form.prefix}-create_type"] = "on"
    return data


@pytest.mark.parametrize(
    ("user", "status", "after_upload"),
    [
        ("anonymous", 302, "/admin/login/"),
        ("plain_staff", 403, None),
        ("author_user", 200, "/admin/notes/note/import/"),
        ("editor", 200, "/admin/notes/note/import/"),
    ],
)
def test_who_may_import(request, client, user, status, after_upload):
    if user == "plain_staff":
        client.force_login(UserFactory(username="staff", is_staff=True))
    elif user != "anonymous":
        client.force_login(request.getfixturevalue(user))
    assert client.get(UPLOAD).status_code == status
    response = client.post(UPLOAD, {"files": [zh_file()]})
    if after_upload is None:
        assert response.status_code == 403
    else:
        assert response.status_code == 302 and response["Location"].startswith(after_upload)


def test_changelist_has_the_import_button(client, editor):
    client.force_login(editor)
    response = client.get(CHANGELIST)
    assert f'href="{UPLOAD}"'.encode() in response.content


def test_upload_preview_and_create(client, editor):
    client.force_login(editor)
    response = upload(client, zh_file(), SimpleUploadedFile("broken.pdf", b"%PDF-1.4 broken"))
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    content = preview.content.decode()
    assert "broken.pdf" in content and "损坏" in content
    assert "老旧小区改造如何撬动居民消费" in content  # in the form
    assert "Research Note" in content  # the source text, shown beside it
    assert not Note.objects.exists()  # nothing saved before confirming

    data = form_data(preview)
    data["brief-0-title"] = "老旧小区改造与居民消费"
    data["brief-0-authors"] += "\n新作者 / 研究员 / 示例研究院"
    created = client.post(response["Location"], data)
    assert created.status_code == 302 and created["Location"] == CHANGELIST

    note = Note.objects.get()
    assert note.title == "老旧小区改造与居民消费"
    assert note.status == Note.Status.DRAFT
    assert note.created_by == editor
    assert [a.author.name for a in note.ordered_authorships()] == ["李明", "王芳", "新作者"]
    assert [s.heading for s in note.sections.order_by("position")] == [
        "",
        "一、改造投入的规模与结构",
        "二、对居民消费的拉动",
        "三、政策建议",
    ]
    assert note.sections.get(position=3).body.startswith("### （一）直接拉动\n\n改造直接带动")
    messages = [str(m) for m in get_messages(created.wsgi_request)]
    assert any("已创建草稿" in m and f"/admin/notes/note/{note.pk}/change/" in m for m in messages)
    assert not ImportPreview.objects.exists()  # used: deleted


def test_importing_the_same_file_again_updates_the_draft(client, editor):
    client.force_login(editor)
    for title in ("第一次的标题", "第二次的标题"):
        location = upload(client, zh_file())["Location"]
        data = form_data(client.get(location))
        data["brief-0-title"] = title
        client.post(location, data)
    note = Note.objects.get()
    assert note.title == "第二次的标题"
    assert note.version == 2


def test_a_published_note_is_not_overwritten(client, editor):
    client.force_login(editor)
    location = upload(client, zh_file())["Location"]
    client.post(location, form_data(client.get(location)))
    Note.objects.update(status=Note.Status.PUBLISHED, published_at=timezone.now())

    location = upload(client, zh_file())["Location"]
    response = client.post(location, form_data(client.get(location)), follow=True)
    assert "已不是草稿" in response.content.decode()
    assert Note.objects.count() == 1


def test_pdf_and_docx_uploads(client, editor):
    client.force_login(editor)
    location = upload(
        client,
        SimpleUploadedFile("brief.pdf", english_pdf()),
        SimpleUploadedFile("brief.docx", english_docx()),
    )["Location"]
    preview = client.get(location)
    titles = [item["form"]["title"].value() for item in preview.context["items"]]
    assert titles == ["Shipping Costs and the Next Round of Inflation"] * 2
    response = client.post(location, form_data(preview), follow=True)
    assert Note.objects.count() == 1  # the same brief: the second file updates the draft
    assert "同一简报导入过" in response.content.decode()
    assert Author.objects.filter(name="Jane Doe").count() == 1


def test_invalid_corrections_save_nothing(client, editor):
    client.force_login(editor)
    location = upload(client, zh_file(), zh_file("second.txt"))["Location"]
    data = form_data(client.get(location))
    data["brief-1-sections"] = "   "
    data["brief-0-authors"] = "a / b / c / d"
    response = client.post(location, data)
    assert response.status_code == 200
    first, second = (item["form"] for item in response.context["items"])
    assert "姓名 / 职务 / 单位" in str(first.errors["authors"])
    assert second.errors["sections"]
    assert "errorlist" in response.content.decode()
    assert not Note.objects.exists()


def test_author_cannot_create_series_but_can_create_authors(client, author_user):
    SeriesFactory(name="别的栏目")
    client.force_login(author_user)
    location = upload(client, zh_file())["Location"]
    data = form_data(client.get(location))
    response = client.post(location, data)
    assert response.status_code == 200  # asked again, nothing saved
    assert "栏目“宏观”不存在，您无权新建" in response.content.decode()
    assert not Note.objects.exists()

    data["brief-0-series"] = data["brief-0-note_type"] = ""
    client.post(location, data)
    note = Note.objects.get()
    assert note.series is None and note.note_type is None
    assert not Series.objects.filter(name="宏观").exists()
    assert note.created_by == author_user
    assert Author.objects.filter(name="李明").exists()


def test_existing_author_is_matched(client, editor):
    li = AuthorFactory(name="李明", title="研究员", affiliation="示例研究院")
    client.force_login(editor)
    location = upload(client, zh_file())["Location"]
    client.post(location, form_data(client.get(location)))
    assert Note.objects.get().ordered_authorships()[0].author == li
    assert Author.objects.filter(name="李明").count() == 1


def test_upload_without_files_is_a_form_error(client, editor):
    client.force_login(editor)
    response = client.post(UPLOAD, {})
    assert response.status_code == 200
    assert response.context["form"].errors["files"]


def test_unknown_or_foreign_batch_is_404(client, editor, author_user):
    client.force_login(editor)
    location = upload(client, zh_file())["Location"]
    assert client.get(reverse("admin:notes_note_import_preview", args=["nope"])).status_code == 404
    other = Client()
    other.force_login(author_user)
    assert other.get(location).status_code == 404


def test_forms_need_csrf_tokens(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(UPLOAD, {"files": [zh_file()]}).status_code == 403
    page = client.get(UPLOAD).content.decode()
    assert re.search(r'name="csrfmiddlewaretoken"', page)


def test_sections_field_needs_paragraphs():
    from notes.import_forms import BriefForm

    data = {"title": "标题", "language": "zh-hans", "sections": "## 只有小标题\n\n## 还是小标题"}
    form = BriefForm(data)
    assert not form.is_valid()
    assert "正文不能为空" in str(form.errors["sections"])
    form = BriefForm(
        {**data, "sections": "导语。\n\n## 小标题\n\n第一行\n接着一行\n\n### 小节\n\n段落。"}
    )
    assert form.is_valid(), form.errors
    assert [(s.heading, s.paragraphs) for s in form.cleaned_data["sections"]] == [
        ("", ["导语。"]),
        ("小标题", ["第一行接着一行", "### 小节", "段落。"]),
    ]


def test_oversized_upload_fails_alone(client, editor, monkeypatch):
    monkeypatch.setattr("notes.importing.readers.MAX_FILE_SIZE", 4096)
    client.force_login(editor)
    big = SimpleUploadedFile("big.txt", "很长的简报。\n".encode() * 1000)
    location = upload(client, big, zh_file())["Location"]
    preview = client.get(location)
    big_item, good_item = preview.context["items"]
    assert good_item["form"] is not None
    assert "太大" in big_item["entry"]["error"] and big_item["form"] is None
    client.post(location, form_data(preview))
    assert Note.objects.count() == 1


def test_a_draft_the_user_may_not_change_is_not_overwritten(client, author_user, monkeypatch):
    from notes.admin import NoteAdmin

    client.force_login(author_user)
    location = upload(client, zh_file())["Location"]
    client.post(location, form_data(client.get(location)) | NO_TAXONOMY)
    note = Note.objects.get()

    monkeypatch.setattr(
        NoteAdmin, "has_change_permission", lambda self, request, obj=None: obj is None
    )
    location = upload(client, zh_file())["Location"]
    data = form_data(client.get(location)) | NO_TAXONOMY
    data["brief-0-title"] = "不该出现的标题"
    response = client.post(location, data, follow=True)
    assert "无权修改" in response.content.decode()
    note.refresh_from_db()
    assert note.title == "老旧小区改造如何撬动居民消费" and note.version == 1
