"""Stored XSS: script in every field an editor fills, published through the admin, is
shown as text wherever the note appears and never runs.

The pages' Content-Security-Policy would block an injected inline script by itself,
so these browsers ignore it (``bypass_csp``): what is tested is the escaping and the
Markdown sanitizer, with a listener counting every dialog a script would open.
"""

import re

from playwright.sync_api import expect

from tests.browser.test_admin import sign_in
from tests.browser.test_editor import choose_author

#: What the note's fields get (the first in the title, all in the body): the markup of
#: ``tests/notes/test_models.py``'s Markdown test and the usual ways around a filter.
PAYLOADS = [
    "<script>alert('title')</script>",
    "<img src=x onerror=alert('img')>",
    "<svg onload=alert('svg')>",
    '"><script>alert("attribute")</script>',
    "'><img src=x onerror=alert('quote')>",
    "<a href=\"javascript:alert('href')\">点我</a>",
    "[点我](javascript:alert('markdown'))",
    "<iframe srcdoc=\"<script>alert('srcdoc')</script>\"></iframe>",
    "<details open ontoggle=alert('toggle')>",
    "<body onload=alert('body')>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('mxss')>",
]
WORD = "跨站脚本测试"
TITLE = f"{WORD}{PAYLOADS[0]}"
ON_ATTRIBUTES = """() => [...document.querySelectorAll('*')].filter(e =>
    [...e.attributes].some(a => a.name.startsWith('on') ||
      /^\\s*javascript:/i.test(a.value))).map(e => e.outerHTML.slice(0, 120))"""


def test_payloads_never_run(open_page, site):
    editor = open_page(width=1280, bypass_csp=True)
    sign_in(editor, site, site.editor)
    editor.visit(site.path("admin:notes_note_add"))
    editor.fill("#id_title", TITLE)
    editor.fill("#id_slug", "xss")
    editor.fill("#id_summary", f"{WORD}摘要 {PAYLOADS[1]} {PAYLOADS[3]}")
    editor.fill("#id_tags", f'"{PAYLOADS[2]}"')
    editor.locator("#authorships-group .add-row a").click()
    choose_author(editor, 0, "陈默")
    editor.fill("#id_authorships-0-byline", PAYLOADS[4])
    editor.locator("#sections-group .add-row a").click()
    editor.fill("#id_sections-0-heading", f"一、{PAYLOADS[5]}")
    editor.fill("#id_sections-0-body", f"{WORD}正文\n\n" + "\n\n".join(PAYLOADS))
    editor.click("input[name=_continue]")  # a new note is saved before it is published
    editor.click("input[name=_publish]")
    expect(editor.locator(".messagelist")).to_contain_text("已发布")
    admin_list = site.path("admin:notes_note_changelist")
    editor.visit(admin_list)
    expect(editor.locator("#result_list")).to_contain_text(TITLE)
    assert editor.evaluate(ON_ATTRIBUTES) == []

    reader = open_page(width=375, bypass_csp=True)
    reader.visit(site.path("notes:home"))
    expect(reader.locator(".note-list")).to_contain_text(TITLE)  # its list entry
    assert reader.evaluate(ON_ATTRIBUTES) == []
    reader.get_by_role("link", name=re.compile(WORD)).first.click()
    expect(reader.locator("h1")).to_have_text(TITLE)
    body = reader.locator(".note-body").inner_text()
    assert "onerror=alert('img')" in body  # shown as text
    assert reader.evaluate(ON_ATTRIBUTES) == []
    reader.visit(site.path("search:search") + f"?q={WORD}")
    expect(reader.locator(".search-hit")).to_have_count(1)
    assert reader.evaluate(ON_ATTRIBUTES) == []

    for page in (editor, reader):
        for link in page.locator("main a").all():  # a link that ran script would alert
            if (link.get_attribute("href") or "").startswith("javascript:"):
                link.click()
        assert page.dialogs == []
