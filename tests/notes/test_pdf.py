"""The PDF of a note: what it prints, its fonts, its cache, and the bad input it survives."""

import io
import re
from unittest import mock

import pytest
from django.utils import timezone
from pypdf import PdfReader

from notes import pdf
from notes.models import Note, private_storage
from tests.factories import (
    AuthorFactory,
    AuthorshipFactory,
    NoteFactory,
    NoteTypeFactory,
    SectionFactory,
    SeriesFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """A private storage of each test's own, where PDFs are kept."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    settings.SITE_URL = "https://notes.example.org"
    settings.INSTITUTE_NAME = "新知财经研究院"
    settings.INSTITUTE_PLACE = "上海"


@pytest.fixture
def note():
    note = NoteFactory(
        title="安克雷奇会谈：中美高层对话在交锋中开场",
        slug="anchorage",
        series=SeriesFactory(name="热点"),
        note_type=NoteTypeFactory(name="研究简报", name_en="Research Note"),
        summary="会谈难以产生具体成果在双方预料之中。",
    )
    AuthorshipFactory(
        note=note,
        position=1,
        author=AuthorFactory(name="林晓岚", title="高级研究员", affiliation="新知财经研究院"),
    )
    SectionFactory(
        note=note, position=1, heading="", body="这次会谈是两国外交团队第一次坐到同一张桌子前。"
    )
    SectionFactory(
        note=note, position=2, heading="一、开场白", body="按照惯例，开场致辞只是简短寒暄。"
    )
    return note


def get_pdf(client, note):
    response = client.get(f"/notes/{note.pk}/note.pdf")
    assert response.status_code == 200, response.content[:500]
    return response


def reader_of(response):
    return PdfReader(io.BytesIO(response.content))


def text_of(reader):
    return "\n".join(page.extract_text() for page in reader.pages)


def fonts_of(reader):
    """``{base font name: embedded?}`` over all pages."""
    fonts = {}
    for page in reader.pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            font = ref.get_object()
            if font["/Subtype"] == "/Type0":
                font = font["/DescendantFonts"][0].get_object()
            descriptor = font["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    return fonts


def test_the_pdf_of_a_published_note(client, pdf_fonts, note):
    response = get_pdf(client, note)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="anchorage.pdf"'
    reader = reader_of(response)
    assert reader.metadata.title == note.title
    text = text_of(reader)
    for expected in (
        "新知财经研究院",  # the running header
        "热点研究简报",
        "Research Note",
        "安克雷奇会谈：中美高层对话在交锋中开场",
        "摘　要",
        "会谈难以产生具体成果在双方预料之中。",
        "林晓岚/新知财经研究院高级研究员",
        "一、开场白",
        "按照惯例，开场致辞只是简短寒暄。",
        # The citation and the address at the end.
        "林晓岚. 安克雷奇会谈：中美高层对话在交锋中开场[R/OL]. 上海: 新知财经研究院,",
        f"https://notes.example.org/notes/{note.pk}/anchorage/",
    ):
        assert expected in text


def test_chinese_fonts_are_embedded_and_subset(client, pdf_fonts, note):
    response = get_pdf(client, note)
    fonts = fonts_of(reader_of(response))
    assert any("CJK" in name for name in fonts)
    assert all(fonts.values()), fonts  # every font embedded
    assert all(re.match(r"^/[A-Z]{6}\+", name) for name in fonts), fonts  # and subset
    # A whole CJK font is 15 MB or more; the subsets of a short note are small.
    assert len(response.content) < 400_000


def test_every_page_has_the_running_header_and_its_number(client, pdf_fonts, note):
    paragraph = (
        "这些安排说明，双方都预料到不会在短时间内弥合立场差异，于是把重点放在表明态度上。" * 6
    )
    SectionFactory(note=note, position=3, heading="二、长文", body="\n\n".join([paragraph] * 40))
    reader = reader_of(get_pdf(client, note))
    assert len(reader.pages) >= 4
    for number, page in enumerate(reader.pages, start=1):
        lines = page.extract_text().splitlines()
        assert "新知财经研究院" in lines[0]
        assert str(number) in lines[-3:]


def stored_pdfs(note):
    return private_storage().listdir(f"notes/pdf/{note.pk}")[1]


def test_made_once_per_version_and_kept_in_storage(client, pdf_fonts, note):
    with mock.patch("notes.pdf.render", wraps=pdf.render) as render:
        first = get_pdf(client, note)
        again = get_pdf(client, note)
    assert render.call_count == 1
    assert first.content == again.content
    digest = pdf.digest_of(pdf.document_for(note))
    assert stored_pdfs(note) == [f"{digest}.pdf"]
    with private_storage().open(f"notes/pdf/{note.pk}/{digest}.pdf") as stored:
        assert stored.read() == first.content

    # Cacheable like every public page; a reader who has it already gets a 304.
    assert "public" in first["Cache-Control"]
    response = client.get(f"/notes/{note.pk}/note.pdf", headers={"if-none-match": first["ETag"]})
    assert response.status_code == 304

    # An edit makes a new version: a new file, and the old one is deleted.
    section = note.sections.get(position=2)
    section.body = "按照惯例，开场致辞只是简短的寒暄。"
    section.save()
    with mock.patch("notes.pdf.render", wraps=pdf.render) as render:
        edited = get_pdf(client, note)
    assert render.call_count == 1
    assert edited["ETag"] != first["ETag"]
    assert "开场致辞只是简短的寒暄" in text_of(reader_of(edited))
    assert stored_pdfs(note) == [f"{pdf.digest_of(pdf.document_for(note))}.pdf"]


def test_a_correction_is_printed_and_makes_a_new_version(client, pdf_fonts, note):
    before = get_pdf(client, note)["ETag"]
    note.corrections.create(
        number=1, kind="correction", message="会谈日期有误，已更正。", previous={}
    )
    response = get_pdf(client, note)
    assert response["ETag"] != before
    assert "会谈日期有误，已更正。" in text_of(reader_of(response))


@pytest.mark.parametrize(
    "state",
    [
        {"status": Note.Status.DRAFT, "published_at": None},
        {"status": Note.Status.WITHDRAWN},
        {"published_at": timezone.now() + timezone.timedelta(days=1)},
    ],
    ids=["draft", "withdrawn", "scheduled"],
)
def test_no_pdf_of_an_unpublished_note(client, state):
    note = NoteFactory(**state)
    with mock.patch("notes.pdf.render") as render:
        assert client.get(f"/notes/{note.pk}/note.pdf").status_code == 404
    render.assert_not_called()
    assert client.get("/notes/999999/note.pdf").status_code == 404


def test_without_chinese_fonts_the_reader_gets_a_clear_answer(client, note, caplog):
    with mock.patch.object(pdf, "CJK_FAMILIES", ("No Such Font SC",)):
        response = client.get(f"/notes/{note.pk}/note.pdf")
    assert response.status_code == 503
    assert response["Retry-After"] == "3600"
    html = response.content.decode()
    assert "PDF 暂时无法生成" in html
    assert "打印" in html
    assert f'href="{note.get_absolute_url()}"' in html
    assert "fonts-noto-cjk" in caplog.text


def test_note_text_is_never_read_as_typst_markup(client, pdf_fonts, note):
    note.title = '#set page(fill: red) *粗* $x^2$ #read("/etc/passwd") <lab> @ref'
    note.save()
    section = note.sections.get(position=2)
    section.body = (
        '正文里有 `#import "x"` 和 [链接](javascript:alert(1)) 以及 \\\\ 反斜杠 #emph[强调]。'
    )
    section.save()
    text = text_of(reader_of(get_pdf(client, note)))
    assert '#set page(fill: red) *粗* $x^2$ #read("/etc/passwd") <lab> @ref' in text
    assert "#emph[强调]" in text


def test_bad_input_a_pdf_still_comes(client, pdf_fonts, note):
    """No authors; 30 authors; an English title with Chinese authors; characters
    outside the BMP; a 20-page body; Markdown of every kind."""
    note.authorships.all().delete()
    assert "林晓岚/" not in text_of(reader_of(get_pdf(client, note)))

    for position in range(1, 31):
        AuthorshipFactory(
            note=note, position=position, author=AuthorFactory(name=f"作者{position}")
        )
    note.title = "Talks in Anchorage 𠮷 😀"
    note.save()
    body = "\n\n".join(
        ["𠮷野家的𩸽鱼定食。" * 30] * 150
        + ["- 一\n- 二\n  1. 甲\n  2. 乙", "> 引文 **粗体** *斜体* ~~删除~~ `代码`"]
        + [
            "| 列一 | 列二 |\n| --- | ---: |\n| 1 | 2 |\n| 3 |",
            "```\ncode block\n```",
            "---",
            "### 小标题",
        ]
    )
    SectionFactory(note=note, position=3, heading="", body=body)
    reader = reader_of(get_pdf(client, note))
    assert len(reader.pages) >= 20
    text = text_of(reader)
    assert "Talks in Anchorage 𠮷" in text
    assert "作者1、作者2" in text.replace("\n", "")
    assert "作者30" in text


def test_headings_without_numbers_are_numbered(client, pdf_fonts, note):
    english = NoteFactory(language="en", title="Green bonds", summary="A summary.")
    AuthorshipFactory(note=english, position=1, author=AuthorFactory(name="Emily Carter"))
    SectionFactory(note=english, position=1, heading="", body="Lead paragraph.")
    SectionFactory(note=english, position=2, heading="Standards converge", body="Body one.")
    SectionFactory(note=english, position=3, heading="The missing premium", body="Body two.")
    text = text_of(reader_of(get_pdf(client, english)))
    assert "1. Standards converge" in text
    assert "2. The missing premium" in text
    section = note.sections.get(position=2)
    section.heading = "开场白"
    section.save()
    assert "一、开场白" in text_of(reader_of(get_pdf(client, note)))


def test_the_deploy_check_warns_without_chinese_fonts():
    from notes.checks import pdf_fonts

    with mock.patch.object(pdf, "CJK_FAMILIES", ("No Such Font SC",)):
        (warning,) = pdf_fonts(None)
    assert warning.id == "notes.W001"
    assert "fonts-noto-cjk" in warning.msg


def test_a_bare_note_still_has_a_pdf(client, pdf_fonts):
    """No series, no type, no summary, no section: the page's furniture only."""
    bare = NoteFactory(title="无题", series=None, note_type=None, summary="")
    text = text_of(reader_of(get_pdf(client, bare)))
    assert "无题" in text
    assert "Research Note" in text  # the running head without a type


def test_one_pdf_whatever_the_readers_language(client, pdf_fonts, note):
    from django.urls import reverse
    from django.utils import translation

    chinese = get_pdf(client, note)
    with translation.override("en"):
        url = reverse("notes:pdf", kwargs={"pk": note.pk})
    with mock.patch("notes.pdf.render", wraps=pdf.render) as render:
        english = client.get(url, headers={"accept-language": "en"})
    assert english.status_code == 200
    render.assert_not_called()
    assert english.content == chinese.content


def test_figures_and_footnotes_are_printed(client, pdf_fonts, note):
    from tests.notes.test_figures import make_figure

    SectionFactory(
        note=note,
        position=3,
        heading="二、图与注",
        body="出口放缓[^1]，见[[图1]]。\n\n[[图1]]\n\n[[图3]]\n\n[^1]: 据海关月度数据。",
    )
    make_figure(note, caption="出口增速", source="海关统计")
    reader = reader_of(get_pdf(client, note))
    text = text_of(reader)
    assert "图1 出口增速" in text and "来源：海关统计" in text
    assert "据海关月度数据。" in text  # the footnote, at the foot of its page
    assert "[图3]" in text  # placed but missing: said so, nothing breaks
    assert "见图1" in text and "[[" not in text
    assert sum(len(page.images) for page in reader.pages) == 1
