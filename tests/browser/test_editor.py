"""An author writes a note in the admin, an editor publishes it, a reader sees it."""

import re

from playwright.sync_api import expect

from tests.browser.test_admin import sign_in

TITLE = "浏览器里写成的简报：两节、两位作者"


def choose_author(page, row, name):
    """Pick ``name`` in the author box (a select2 autocomplete) of byline row ``row``."""
    page.locator(f"#authorships-{row} .select2-selection").click()
    page.locator(".select2-search__field").fill(name)
    page.locator(".select2-results__option", has_text=name).click()


def test_editor_journey(open_page, site):
    reader = open_page(width=375)
    reader.visit(site.path("notes:home"))  # the server keeps the home page in its cache
    assert TITLE not in reader.locator("main").inner_text()

    writer = open_page(width=1280)
    sign_in(writer, site, site.writer)
    writer.visit(site.path("admin:notes_note_add"))
    writer.fill("#id_title", TITLE)
    writer.fill("#id_slug", "written-in-a-browser")
    writer.fill("#id_summary", "作者在浏览器里写好这篇简报，提交审核，由编辑发布。")
    writer.locator("#id_series").select_option(label="热点")
    add_row = writer.locator("#authorships-group .add-row a")
    add_row.click()
    add_row.click()
    choose_author(writer, 0, "陈默")
    choose_author(writer, 1, "林晓岚")
    add_section = writer.locator("#sections-group .add-row a")
    for index, (heading, body) in enumerate(
        [("一、第一节", "第一节的正文。"), ("二、第二节", "第二节的正文。")]
    ):
        add_section.click()
        writer.fill(f"#id_sections-{index}-heading", heading)
        writer.fill(f"#id_sections-{index}-body", body)
    writer.click("input[name=_submit_review]")
    expect(writer.locator(".messagelist")).to_contain_text("已提交审核")
    assert writer.errors == []

    editor = open_page(width=1280)
    sign_in(editor, site, site.editor)
    editor.visit(site.path("admin:notes_note_changelist"))
    editor.get_by_role("link", name=TITLE).click()
    expect(editor.locator(".note-state")).to_contain_text("待审")
    editor.click("input[name=_publish]")
    expect(editor.locator(".messagelist")).to_contain_text("已发布")

    # A reader, never signed in, sees it at once on the home page the server had cached
    # (in a new browser: the first one may keep its copy for the page's max-age).
    reader = open_page(width=375)
    reader.visit(site.path("notes:home"))
    reader.get_by_role("link", name=TITLE).click()
    reader.wait_for_url(re.compile("written-in-a-browser"))
    assert reader.locator("h1").inner_text() == TITLE
    assert reader.locator(".byline .author-name").all_inner_texts() == ["陈默", "林晓岚"]
    assert reader.locator(".note-section h2").all_inner_texts() == ["一、第一节", "二、第二节"]
    assert reader.errors == []
