"""Pictures in imported Word and PDF briefs become the draft's figures, in place, with
the captions printed beside them; a picture without one is kept, with a warning."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from notes.importing import load_brief
from notes.importing.store import save_brief
from notes.models import Note
from tests.factories import NoteTypeFactory, SeriesFactory
from tests.notes.brief_files import english_blocks

pytestmark = pytest.mark.django_db


def picture(size=(900, 500), colour=(30, 90, 160), kind="PNG"):
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, kind)
    return out


def docx_with_pictures(*, caption_first=False) -> bytes:
    """The English brief with a captioned chart (and its source) after the first
    section heading, a picture without a caption later, and a small logo."""
    import docx
    from docx.shared import Cm

    document = docx.Document()
    document.add_picture(picture((60, 40)), width=Cm(1))  # a logo: not a figure
    for block in english_blocks():
        document.add_paragraph(block)
        if block.startswith("1. Where freight rates stand"):
            if caption_first:
                document.add_paragraph("Figure 1: Spot freight rates, 2021-2024")
            document.add_picture(picture(), width=Cm(12))
            if not caption_first:
                document.add_paragraph("Figure 1: Spot freight rates, 2021-2024")
            document.add_paragraph("Source: example data.")
        if block.startswith("2. From the port"):
            document.add_picture(picture(colour=(200, 40, 40), kind="JPEG"), width=Cm(12))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("caption_first", [False, True], ids=["caption-below", "caption-above"])
def test_word_pictures_become_figures_in_place_with_their_captions(caption_first):
    _text, brief = load_brief("brief.docx", docx_with_pictures(caption_first=caption_first))
    assert len(brief.figures) == 2
    first, second = brief.figures
    assert first.caption == "Spot freight rates, 2021-2024"
    assert first.source == "example data."
    assert second.caption == ""
    warnings = [w["message"] for w in brief.warnings]
    assert any("图2 旁没有找到图题" in str(w) for w in warnings)
    paragraphs = [p for section in brief.sections for p in section.paragraphs]
    assert "[[图1]]" in paragraphs and "[[图2]]" in paragraphs
    assert not any(p.startswith(("Figure 1", "Source:")) for p in paragraphs)

    result = save_brief(brief)
    note = result.note
    figures = list(note.figures.all())
    assert [f.caption for f in figures] == ["Spot freight rates, 2021-2024", ""]
    assert figures[0].source == "example data." and figures[0].alt
    assert figures[0].renditions and figures[1].image.name.endswith(".jpg")
    section = next(s for s in note.sections.all() if "[[图1]]" in s.body)
    assert "<!--figure:1-->" in section.body_html


def test_reimporting_replaces_the_figures():
    _text, brief = load_brief("brief.docx", docx_with_pictures())
    note = save_brief(brief).note
    _text, again = load_brief("brief.docx", docx_with_pictures())
    assert save_brief(again).note == note
    assert note.figures.count() == 2


def test_a_picture_pillow_cannot_read_is_left_out_with_a_warning():
    from notes.importing.figures import ExtractedFigure

    _text, brief = load_brief("brief.docx", docx_with_pictures())
    brief.figures[1] = ExtractedFigure(b"<html>not a picture</html>", caption="坏图")
    result = save_brief(brief)
    assert result.note.figures.count() == 1
    assert any("图2 未能导入" in w for w in result.warnings)


def pdf_with_picture(tmp_path, *, caption=True) -> bytes:
    from fpdf import FPDF

    path = tmp_path / "chart.png"
    Image.new("RGB", (600, 300), (30, 90, 160)).save(path)
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for block in english_blocks():
        pdf.multi_cell(0, 5, block, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        if block.startswith("1. Where freight rates stand"):
            pdf.image(str(path), w=120)
            pdf.ln(2)
            if caption:
                pdf.multi_cell(0, 5, "Figure 1: Spot freight rates", new_x="LMARGIN", new_y="NEXT")
                pdf.ln(2)
    return bytes(pdf.output())


def test_pdf_pictures_become_figures_in_place_with_their_captions(tmp_path):
    _text, brief = load_brief("brief.pdf", pdf_with_picture(tmp_path))
    assert len(brief.figures) == 1
    assert brief.figures[0].caption == "Spot freight rates"
    sections = [s.paragraphs for s in brief.sections]
    where = next(i for i, paragraphs in enumerate(sections) if "[[图1]]" in paragraphs)
    assert brief.sections[where].heading.startswith("1. Where freight rates stand")
    assert Image.open(io.BytesIO(brief.figures[0].data)).size == (600, 300)


def test_a_pdf_picture_without_a_caption_gets_a_warning(tmp_path):
    _text, brief = load_brief("brief.pdf", pdf_with_picture(tmp_path, caption=False))
    assert len(brief.figures) == 1
    assert any("图1 旁没有找到图题" in str(w["message"]) for w in brief.warnings)


def test_importing_through_the_admin_keeps_the_pictures(client, superuser):
    SeriesFactory(name="Trade Watch")
    NoteTypeFactory(name="Research Note")
    client.force_login(superuser)
    upload = SimpleUploadedFile("brief.docx", docx_with_pictures())
    response = client.post(reverse("admin:notes_note_import"), {"files": [upload]})
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert "图2 旁没有找到图题" in preview.content.decode()
    form = preview.context["items"][0]["form"]
    data = {}
    for field in form:
        value = field.value()
        if isinstance(value, bool):
            if value:
                data[field.html_name] = "on"
        elif value is not None:
            data[field.html_name] = value
    saved = client.post(response["Location"], data)
    assert saved.status_code == 302, saved.context and saved.context["items"][0]["form"].errors
    note = Note.objects.get(title__startswith="Shipping Costs")
    assert note.figures.count() == 2
    assert re.search(r"\[\[图1\]\]", "".join(s.body for s in note.sections.all()))
