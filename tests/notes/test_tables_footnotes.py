"""Tables with captions and sources, and footnotes, numbered across a note."""

import re

import pytest

from notes.body import assemble
from notes.forms import SectionForm
from notes.models import Section
from tests.factories import NoteFactory, SectionFactory

pytestmark = pytest.mark.django_db

TABLE = "| 地区 | 数值 |\n|---|---|\n| 东部 | 1 |\n"


def page_body(note):
    sections = list(note.sections.order_by("position"))
    return assemble(sections, list(note.figures.all()), language=note.language)


def test_tables_are_numbered_across_sections_with_caption_and_source():
    note = NoteFactory()
    SectionFactory(
        note=note, position=1, body=f"见[[表2]]。\n\n表：第一张表\n\n{TABLE}\n来源：统计公报"
    )
    SectionFactory(note=note, position=2, body=f"没有图题的表：\n\n{TABLE}")
    SectionFactory(note=note, position=3, body=f"Table: 第三张\n\n{TABLE}\nSource: survey")
    body = page_body(note)
    first, second, third = (html for _section, html in body.sections)
    assert '<a class="xref" href="#table-2">表2</a>' in first
    assert re.search(
        r'<figcaption id="p-\w+"><span class="figure-label">表1</span> 第一张表', first
    )
    assert '<p class="figure-source" id="p-' in first and "来源：统计公报" in first
    assert 'id="table-2"' in second and '<span class="figure-label">表2</span>' in second
    assert 'id="table-3"' in third and "Source: survey" in third


def test_a_table_scrolls_inside_a_named_focusable_box():
    note = NoteFactory()
    SectionFactory(note=note, body=f"表：宽表\n\n{TABLE}")
    html = page_body(note).sections[0][1]
    assert '<div class="table-scroll" role="region" tabindex="0" aria-label="表1"><table>' in html


def test_caption_and_source_paragraphs_keep_paragraph_ids():
    note = NoteFactory()
    section = SectionFactory(note=note, body=f"导语。\n\n表：图题\n\n{TABLE}\n来源：某处")
    assert len(section.paragraph_ids) == 4
    for pid in section.paragraph_ids:
        assert f'id="{pid}"' in section.body_html
    # Edited lightly, the table keeps its link.
    table_id = section.paragraph_ids[2]
    section = Section.objects.get(pk=section.pk)
    section.body = section.body.replace("东部 | 1", "东部 | 2")
    section.save()
    assert section.paragraph_ids[2] == table_id


def test_footnotes_are_numbered_through_the_note_with_back_links(client):
    note = NoteFactory()
    SectionFactory(
        note=note,
        position=1,
        heading="",
        body="甲[^a]乙[^b]再提甲[^a]。\n\n[^a]: 注甲\n\n[^b]: 注乙",
    )
    SectionFactory(note=note, position=2, heading="一、续", body="丙[^a]。\n\n[^a]: 注丙")
    html = client.get(note.get_absolute_url()).content.decode()
    refs = re.findall(r'<a id="(fnref-[\d-]+)" href="#(fn-\d+)"', html)
    assert refs == [
        ("fnref-1", "fn-1"),
        ("fnref-2", "fn-2"),
        ("fnref-1-2", "fn-1"),
        ("fnref-3", "fn-3"),
    ]
    notes = re.search(r'<section class="footnotes".*?</section>', html, re.S).group()
    assert "<h2" in notes and "注释" in notes
    assert re.search(r'<li id="fn-1"><p>注甲</p>\s*<a class="fn-back" href="#fnref-1"', notes)
    assert 'href="#fnref-1-2"' in notes
    assert re.search(r'<li id="fn-3"><p>注丙</p>', notes)


def test_a_note_without_footnotes_has_no_list(client):
    note = NoteFactory()
    SectionFactory(note=note, body="正文。")
    assert 'class="footnotes"' not in client.get(note.get_absolute_url()).content.decode()


def test_the_footnote_list_has_no_paragraph_id():
    note = NoteFactory()
    section = SectionFactory(note=note, body="甲[^1]。\n\n[^1]: 注")
    assert len(section.paragraph_ids) == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("正文[^1]。", "脚注 [^1] 在本节中没有定义"),
        ("正文。\n\n[^x]: 没人引用", "脚注 [^x] 在本节正文中没有被引用"),
    ],
)
def test_footnotes_referred_to_but_undefined_or_never_referred_to_are_form_errors(body, message):
    form = SectionForm(data={"heading": "", "body": body, "anchor": "", "position": 1})
    assert not form.is_valid()
    assert message in form.errors["body"][0]


def test_an_undefined_footnote_saved_without_the_form_shows_as_typed():
    note = NoteFactory()
    section = SectionFactory(note=note, body="正文[^9]。")
    assert "正文[^9]。" in page_body(note).sections[0][1]
    assert "fnref" not in section.body_html


def test_markup_in_captions_and_footnotes_is_sanitized():
    note = NoteFactory()
    SectionFactory(
        note=note,
        body=f"表：<script>alert(1)</script>[x](javascript:alert(1))\n\n{TABLE}\n"
        "来源：<img src=x onerror=alert(1)>\n\n甲[^1]\n\n[^1]: <b onclick=x>注</b>",
    )
    html = page_body(note).sections[0][1]
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "<b " not in html and "&lt;script&gt;" in html


def test_an_earlier_version_shows_its_tables_and_footnotes_numbered(client):
    from notes import history
    from notes.models import Correction

    note = NoteFactory()
    SectionFactory(note=note, body=f"甲[^1]。\n\n表：旧表\n\n{TABLE}\n[^1]: 旧注")
    Correction.objects.create(
        note=note, number=1, kind="update", message="改了", previous=history.snapshot_of_note(note)
    )
    html = client.get(f"/notes/{note.pk}/{note.slug}/v/1/").content.decode()
    assert '<span class="figure-label">表1</span> 旧表' in html and 'aria-label="表1"' in html
    assert '<li id="fn-1"><p>旧注</p>' in html
    assert "<!--" not in html.split("<body", 1)[1]
