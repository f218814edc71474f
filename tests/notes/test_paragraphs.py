"""Paragraph links that survive edits: one test per kind of edit, then the page."""

import importlib
import json
import re

import pytest

from notes import history
from notes.models import Note, Section
from notes.paragraphs import carry_over
from tests.factories import NoteFactory, SectionFactory
from tests.workflow.formdata import note_form_data

pytestmark = pytest.mark.django_db

A = "美方在开场时以强硬语气提出了一系列批评，中方随即要求再次发言，逐条回应。"
B = "公开交锋的对象不只是对方，也是国内受众和第三方观众。"
C = "这些安排说明，双方都预料到不会在短时间内弥合立场差异，于是把重点放在表明态度上。"
D = "闭门会谈在气候变化、公共卫生、人员往来等领域进行了务实讨论。"
NEW = "会谈结束后，双方都没有发表联合声明，而是各自介绍了会谈情况。"


def body(*paragraphs):
    return "\n\n".join(paragraphs)


def section_with(*paragraphs):
    return SectionFactory(body=body(*paragraphs))


def edit(section, *paragraphs):
    """Save new text the way the admin does: on the row loaded from the database."""
    section = Section.objects.get(pk=section.pk)
    section.body = body(*paragraphs)
    section.save()
    return Section.objects.get(pk=section.pk)


def test_every_block_gets_an_id_stored_with_the_text():
    section = section_with(A, B, "- 一\n- 二", "> 引文", "### 小标题", "---", C)
    # A thematic break is no paragraph.
    assert len(section.paragraph_ids) == 6
    assert len(set(section.paragraph_ids)) == 6
    assert all(re.fullmatch(r"p-[0-9a-f]{8}", pid) for pid in section.paragraph_ids)
    assert section.retired_paragraph_ids == []


def test_editing_other_paragraphs_keeps_this_ones_id():
    section = section_with(A, B, C)
    ids = section.paragraph_ids
    after = edit(section, A, NEW, C)
    assert after.paragraph_ids[0] == ids[0]
    assert after.paragraph_ids[2] == ids[2]


def test_inserting_paragraphs_keeps_every_id():
    section = section_with(A, B, C)
    a, b, c = section.paragraph_ids
    after = edit(section, NEW, A, B, NEW + "（续）", C, D)
    assert after.paragraph_ids[1:3] == [a, b]
    assert after.paragraph_ids[4] == c
    assert len(set(after.paragraph_ids)) == 6
    assert after.retired_paragraph_ids == []


def test_deleting_a_paragraph_keeps_the_others_and_retires_its_id():
    section = section_with(A, B, C)
    a, b, c = section.paragraph_ids
    after = edit(section, A, C)
    assert after.paragraph_ids == [a, c]
    assert after.retired_paragraph_ids == [b]


def test_a_light_edit_of_this_paragraph_keeps_its_id():
    section = section_with(A, B, C)
    ids = section.paragraph_ids
    lightly = B.replace("第三方观众", "第三方的观察者")
    after = edit(section, A, lightly, C)
    assert after.paragraph_ids == ids


def test_a_light_edit_beside_an_insertion_and_a_deletion_keeps_its_id():
    section = section_with(A, B, C, D)
    a, b, c, d = section.paragraph_ids
    after = edit(section, A, NEW, C.replace("于是", "因此"), D)
    assert after.paragraph_ids[0] == a
    assert after.paragraph_ids[2:] == [c, d]
    assert after.retired_paragraph_ids == [b]


def test_a_paragraph_rewritten_entirely_is_a_new_one():
    section = section_with(A, B, C)
    a, b, c = section.paragraph_ids
    after = edit(section, A, NEW, C)
    assert after.paragraph_ids[1] not in (a, b, c)
    assert after.retired_paragraph_ids == [b]


def test_a_paragraph_moved_within_its_section_keeps_its_id():
    section = section_with(A, B, C)
    a, b, c = section.paragraph_ids
    assert edit(section, C, A, B).paragraph_ids == [c, a, b]


def test_restoring_a_deleted_paragraph_unretires_it():
    section = section_with(A, B)
    a, b = section.paragraph_ids
    section = edit(section, A)
    assert section.retired_paragraph_ids == [b]
    # Typed back (or restored from the history): the same text finds no old block,
    # so it is new; its old id stays retired and the new one is current.
    section = edit(section, A, B)
    assert section.paragraph_ids[0] == a
    assert b in section.retired_paragraph_ids


def test_carry_over_unit_cases():
    ids, retired = carry_over([A, B], ["p-a", "p-b"], [B, A])
    assert (ids, retired) == (["p-b", "p-a"], [])
    ids, retired = carry_over([A, A], ["p-1", "p-2"], [A])
    assert (ids, retired) == (["p-1"], ["p-2"])
    # Ids that do not match the old text (saved before ids existed): all new.
    ids, retired = carry_over([A, B], ["p-a"], [A, B])
    assert "p-a" not in ids and len(ids) == 2 and retired == []
    # Blank lines and wrapping do not count as an edit.
    ids, _ = carry_over([A + "\n" + B], ["p-a"], [A + "\n\n" + B][0:1])
    assert ids == ["p-a"]


def test_saving_the_same_text_changes_nothing():
    section = section_with(A, B)
    assert edit(section, A, B).paragraph_ids == section.paragraph_ids


def test_a_long_body_is_matched_quickly():
    paragraphs = [f"第{n}段：" + C for n in range(300)]
    section = section_with(*paragraphs)
    changed = [p.replace("于是", "因此") if n % 3 == 0 else p for n, p in enumerate(paragraphs)]
    after = edit(section, *changed[:150], NEW, *changed[150:])
    assert after.paragraph_ids[:150] == section.paragraph_ids[:150]
    assert after.paragraph_ids[151:] == section.paragraph_ids[150:]


def test_page_renders_ids_links_and_removed_paragraph_notice(client):
    note = NoteFactory()
    lead = SectionFactory(note=note, position=1, heading="", body=body(A, B))
    section = SectionFactory(note=note, position=2, heading="一、开场", body=body(C, D))
    c, d = section.paragraph_ids
    section = edit(section, C)
    html = client.get(note.get_absolute_url()).content.decode()
    for pid in [*lead.paragraph_ids, c]:
        assert f'<div class="para" id="{pid}">' in html
        assert f'<a class="para-link" href="#{pid}" aria-label="本段链接">¶</a>' in html
    # The removed paragraph's id lands on its section, where a notice says it is gone.
    start = html.index('id="一开场"')
    section_html = html[start : html.index("</section>", start)]
    assert f'<span class="gone-anchor" id="{d}"></span>' in section_html
    assert "段落已在修订中删去" in section_html
    assert html.count(f'id="{d}"') == 1


def test_the_paragraph_link_speaks_the_notes_language():
    note = NoteFactory(language="en")
    section = SectionFactory(note=note, body="One paragraph.")
    assert 'aria-label="Link to this paragraph"' in section.body_html


def test_sanitizing_still_applies_to_each_block():
    section = section_with(
        "<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=y>"
    )
    assert "<script" not in section.body_html
    assert 'href="javascript' not in section.body_html
    assert "<img" not in section.body_html
    assert len(section.paragraph_ids) == 2


def test_admin_save_keeps_ids(client, editor):
    """The note form saves sections through the admin's inline formset."""
    note = NoteFactory()
    section = SectionFactory(note=note, position=1, heading="一、开场", body=body(A, B, C))
    a, b, c = section.paragraph_ids
    client.force_login(editor)
    data = note_form_data(
        note, **{"sections-0-body": body(A, NEW, B.replace("第三方观众", "旁观者"))}
    )
    response = client.post(f"/admin/notes/note/{note.pk}/change/", data)
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.paragraph_ids[0] == a
    assert section.paragraph_ids[2] == b
    assert section.retired_paragraph_ids == [c]


def test_restoring_a_version_kept_before_paragraph_ids_gives_them_ids(editor):
    note = NoteFactory()
    section = SectionFactory(note=note, body=body(A, B))
    history.save_revision(note, user=editor)
    version = history.versions_of(note).first()
    for kept in version.revision.version_set.all():
        data = json.loads(kept.serialized_data)
        fields = data[0]["fields"]
        if "paragraph_ids" in fields:  # as a version saved before ids existed
            del fields["paragraph_ids"], fields["retired_paragraph_ids"]
            fields["body_html"] = "<p>旧</p>"
        kept.serialized_data = json.dumps(data)
        kept.save()
    history.restore_version(note=note, version=version, user=editor)
    section.refresh_from_db()
    assert len(section.paragraph_ids) == 2
    assert f'<div class="para" id="{section.paragraph_ids[0]}">' in section.body_html


def test_the_migration_gives_existing_paragraphs_ids():
    """Rows written before ids existed (as bulk writes still write them) get theirs."""
    from django.apps import apps

    migration = importlib.import_module("notes.migrations.0009_paragraph_ids_corrections")
    note = NoteFactory(summary=f"{A}\n\n{B}")
    Note.objects.filter(pk=note.pk).update(summary_paragraph_ids=[])
    Section.objects.bulk_create(
        [Section(note=note, position=1, body=body(C, "---", D), body_html="<p>旧</p>")]
    )
    migration.give_paragraphs_ids(apps, None)
    section = Section.objects.get(note_id=note.pk)
    assert len(section.paragraph_ids) == 2
    assert f'<div class="para" id="{section.paragraph_ids[1]}">' in section.body_html
    assert "<hr" in section.body_html
    assert len(Note.objects.get(pk=note.pk).summary_paragraph_ids) == 2


def test_summary_paragraphs_have_ids_that_survive_edits(client):
    note = NoteFactory(summary=body(A, B, C))
    a, b, c = note.summary_paragraph_ids
    note = note.__class__.objects.get(pk=note.pk)
    note.summary = body(NEW, A.replace("强硬", "严厉"), C)
    note.save()
    assert note.summary_paragraph_ids[1:] == [a, c]
    assert note.retired_summary_paragraph_ids == [b]
    html = client.get(note.get_absolute_url()).content.decode()
    start = html.index('class="note-summary"')
    summary = html[start : html.index("</section>", start)]
    for pid in note.summary_paragraph_ids:
        assert f'<div class="para" id="{pid}">' in summary
        assert f'href="#{pid}"' in summary
    assert f'<span class="gone-anchor" id="{b}"></span>' in summary
    assert "段落已在修订中删去" in summary
