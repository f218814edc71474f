"""Importing as editors use it: warnings beside the fields, no series or type created
without asking, previews kept out of the session, one draft per brief whatever the
format, and the original file kept with the note."""

import json
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from notes.models import ImportPreview, Note, NoteType, Series, private_storage
from tests.factories import SeriesFactory
from tests.notes.brief_files import BRIEFS
from tests.notes.family import FAMILY, docx
from tests.notes.test_import_admin import NO_TAXONOMY, form_data

pytestmark = pytest.mark.django_db

UPLOAD = reverse("admin:notes_note_import")
ZH = BRIEFS / "platform_layout_zh.txt"
COUNTY_PDF = FAMILY / "county-house.chromium.pdf"
NO_BYLINE = "宏观\n研究简报\n一篇没有署名的简报\n\n摘要\n\n摘要一段。\n\n正文第一段。\n".encode()


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_brief", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- The command ---------------------------------------------------------------------------


def test_the_command_creates_no_series_or_type_unless_told():
    _, err = run(ZH)
    note = Note.objects.get()
    assert note.series is None and note.note_type is None
    assert not Series.objects.exists() and not NoteType.objects.exists()
    assert "注意：栏目“宏观”不存在" in err and "注意：类型“研究简报”不存在" in err

    run(ZH, "--create-taxonomy")
    note.refresh_from_db()
    assert (note.series.name, note.note_type.name) == ("宏观", "研究简报")


def test_the_command_maps_to_existing_series_and_types_by_their_letters():
    series = SeriesFactory(name="宏 观")
    note_type = NoteType.objects.create(name="研究简报", name_en="Research Note", slug="brief")
    _, err = run(COUNTY_PDF)
    note = Note.objects.get()
    assert (note.series, note.note_type) == (series, note_type)
    assert "不存在" not in err


def test_dry_run_says_what_does_not_exist():
    out, err = run(ZH, "--dry-run")
    assert "将创建" in out
    assert "栏目“宏观”不存在，将不设置（用 --create-taxonomy 新建）" in err
    assert not Note.objects.exists()


def test_json_and_the_command_print_warnings(tmp_path):
    path = tmp_path / "no-byline.txt"
    path.write_bytes(NO_BYLINE)
    out, err = run(path, "--json")
    (warning,) = json.loads(out)["warnings"]
    assert warning["field"] == "authors" and "没有找到作者署名" in warning["message"]
    assert "no-byline.txt: 注意：没有找到作者署名" in err

    _, err = run(path, "--create-taxonomy")
    assert "no-byline.txt: 注意：没有找到作者署名" in err


def test_the_same_brief_from_any_format_updates_one_draft(tmp_path):
    word = tmp_path / "county.docx"
    word.write_bytes(docx("county-styled-markers"))
    out, _ = run(COUNTY_PDF, "--create-taxonomy")
    assert "已创建" in out
    note = Note.objects.get()
    assert note.original_name == COUNTY_PDF.name

    out, _ = run(word, "--create-taxonomy")
    assert "已更新《县域商业体系建设如何释放农村消费潜力》：同一简报" in out
    note.refresh_from_db()
    assert Note.objects.count() == 1 and note.version == 2
    assert note.original_name == "county.docx"
    assert note.original_file.read() == word.read_bytes()


# --- The admin preview ---------------------------------------------------------------------


def upload(client, *files):
    return client.post(UPLOAD, {"files": list(files)})


def test_the_preview_shows_warnings_beside_the_fields_and_asks(client, editor):
    client.force_login(editor)
    location = upload(client, SimpleUploadedFile("b.txt", NO_BYLINE))["Location"]
    page = client.get(location)
    html = page.content.decode()
    authors_row = html[html.index('name="brief-0-authors"') :]
    authors_row = authors_row[: authors_row.index('class="form-row')]
    assert "没有找到作者署名" in authors_row  # beside the authors field
    series_row = html[html.index('name="brief-0-series"') :]
    assert "栏目“宏观”还不存在" in series_row[: series_row.index('class="form-row')]
    assert 'name="brief-0-create_series"' in html

    response = client.post(location, form_data(page, create=False))
    assert response.status_code == 200  # asked, not created
    assert "勾选下面的“新建”" in response.content.decode()
    assert not Note.objects.exists() and not Series.objects.exists()

    client.post(location, form_data(page))
    note = Note.objects.get()
    assert note.series.name == "宏观" and note.note_type.name == "研究简报"


def session_size(client):
    return len(Session.objects.get(session_key=client.session.session_key).session_data)


def test_previews_stay_out_of_the_session(client, editor):
    client.force_login(editor)
    files = [
        SimpleUploadedFile(path.name, path.read_bytes())
        for path in sorted(FAMILY.glob("*.pdf"))[:3]
    ]
    assert sum(f.size for f in files) > 500_000
    location = upload(client, *files)["Location"]
    assert client.get(location).status_code == 200
    assert session_size(client) < 4096
    preview = ImportPreview.objects.get()
    assert preview.owner == editor and preview.size > 500_000
    stored = [e["stored"] for e in preview.entries]
    assert all(private_storage().exists(name) for name in stored)

    client.post(location, form_data(client.get(location)))
    assert not ImportPreview.objects.exists()  # deleted on use, files too
    assert not any(private_storage().exists(name) for name in stored)


def test_twenty_files_get_a_clear_answer(client, editor):
    client.force_login(editor)
    good = ZH.read_bytes()
    files = [SimpleUploadedFile(f"b{n}.txt", good) for n in range(18)]
    files += [
        SimpleUploadedFile("broken.pdf", b"%PDF-1.4 broken"),
        SimpleUploadedFile("old.doc", b"\xd0\xcf\x11\xe0"),
    ]
    response = upload(client, *files)
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    assert len(preview.context["items"]) == 20
    assert session_size(client) < 4096

    too_many = upload(client, *files, SimpleUploadedFile("b20.txt", good))
    assert too_many.status_code == 200
    assert "一次最多导入 20 个文件" in too_many.content.decode()


def test_a_preview_is_capped(client, editor, monkeypatch):
    monkeypatch.setattr("notes.admin_import.MAX_PREVIEW_BYTES", 6000)
    client.force_login(editor)
    files = [SimpleUploadedFile(f"b{n}.txt", ZH.read_bytes()) for n in range(3)]
    location = upload(client, *files)["Location"]
    items = client.get(location).context["items"]
    assert items[0]["form"] is not None
    assert "合计超过" in items[-1]["entry"]["error"]


def test_previews_expire_after_a_day(client, editor):
    client.force_login(editor)
    location = upload(client, SimpleUploadedFile("a.txt", ZH.read_bytes()))["Location"]
    stored = ImportPreview.objects.get().entries[0]["stored"]
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        assert client.get(location).status_code == 404
        upload(client, SimpleUploadedFile("b.txt", ZH.read_bytes()))
        assert ImportPreview.objects.count() == 1  # the old one purged, with its file
        assert not private_storage().exists(stored)


def test_a_user_keeps_at_most_three_previews(client, editor):
    client.force_login(editor)
    for n in range(5):
        upload(client, SimpleUploadedFile(f"{n}.txt", ZH.read_bytes()))
    assert ImportPreview.objects.filter(owner=editor).count() == 3


# --- The original file ---------------------------------------------------------------------


def import_pdf(client, *, offer):
    location = upload(client, SimpleUploadedFile(COUNTY_PDF.name, COUNTY_PDF.read_bytes()))
    data = form_data(client.get(location["Location"]))
    if offer:
        data["brief-0-offer_original"] = "on"
    client.post(location["Location"], data)
    return Note.objects.get()


def test_the_original_is_private_until_published_and_offered(client, editor):
    client.force_login(editor)
    note = import_pdf(client, offer=True)
    assert note.original_file.read() == COUNTY_PDF.read_bytes()
    assert note.offer_original
    url = reverse("notes:original", args=[note.pk, note.slug])
    client.logout()
    assert client.get(url).status_code == 404  # a draft

    Note.objects.filter(pk=note.pk).update(
        status=Note.Status.PUBLISHED, published_at=timezone.now() - timedelta(hours=1)
    )
    page = client.get(note.get_absolute_url()).content.decode()
    assert "下载原文 PDF" in page and url in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == COUNTY_PDF.read_bytes()
    assert response["Content-Disposition"].startswith("attachment")
    assert client.get(reverse("notes:original", args=[note.pk, "wrong"])).status_code == 404

    Note.objects.filter(pk=note.pk).update(offer_original=False)
    assert client.get(url).status_code == 404
    assert "下载原文" not in client.get(note.get_absolute_url()).content.decode()


def test_the_original_is_not_offered_unless_ticked(client, editor):
    client.force_login(editor)
    note = import_pdf(client, offer=False)
    Note.objects.filter(pk=note.pk).update(
        status=Note.Status.PUBLISHED, published_at=timezone.now() - timedelta(hours=1)
    )
    client.logout()
    assert client.get(reverse("notes:original", args=[note.pk, note.slug])).status_code == 404


def test_staff_who_may_see_the_note_get_its_original_in_the_admin(client, editor, author_user):
    client.force_login(editor)
    note = import_pdf(client, offer=False)
    admin_url = reverse("admin:notes_note_original", args=[note.pk])
    assert (
        client.get(reverse("admin:notes_note_change", args=[note.pk]))
        .content.decode()
        .count(admin_url)
    )
    response = client.get(admin_url)
    assert response.status_code == 200
    client.force_login(author_user)  # not theirs: not in their admin queryset
    assert client.get(admin_url).status_code == 404


def test_an_author_must_correct_unknown_taxonomy_before_saving(client, author_user):
    client.force_login(author_user)
    location = upload(client, SimpleUploadedFile("a.txt", ZH.read_bytes()))["Location"]
    data = form_data(client.get(location))
    assert client.post(location, data).status_code == 200
    client.post(location, data | NO_TAXONOMY)
    assert Note.objects.get().series is None


def test_expired_previews_are_purged_by_the_command(client, editor):
    client.force_login(editor)
    upload(client, SimpleUploadedFile("a.txt", ZH.read_bytes()))
    stored = ImportPreview.objects.get().entries[0]["stored"]
    out = StringIO()
    call_command("purge_import_previews", stdout=out)
    assert ImportPreview.objects.count() == 1 and "已删除 0 个" in out.getvalue()
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        call_command("purge_import_previews", stdout=out)
    assert not ImportPreview.objects.exists() and not private_storage().exists(stored)
    assert "已删除 1 个" in out.getvalue()
