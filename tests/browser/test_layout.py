"""What a reader or an editor saw go wrong on screen, measured in the browser."""

import pytest

from tests.browser.conftest import overflow
from tests.browser.site import LONG_TITLE
from tests.browser.test_admin import sign_in

#: Characters on the last line of an element's text (0 when it takes one line).
LAST_LINE = """el => {
  const range = document.createRange(), tops = [];
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node; (node = walker.nextNode()); ) {
    for (let i = 0; i < node.length; i++) {
      if (!node.data[i].trim()) continue;
      range.setStart(node, i); range.setEnd(node, i + 1);
      const rect = range.getClientRects()[0];
      if (rect) tops.push(rect.top);
    }
  }
  const last = Math.max(...tops);
  if (tops.every(top => Math.abs(top - last) < 4)) return 0;
  return tops.filter(top => Math.abs(top - last) < 4).length;
}"""


def box(locator):
    return locator.evaluate("e => e.getBoundingClientRect().toJSON()")


def overlap(a, b):
    return not (
        a["right"] <= b["left"]
        or b["right"] <= a["left"]
        or a["bottom"] <= b["top"]
        or b["bottom"] <= a["top"]
    )


@pytest.mark.parametrize("width", [375, 1280])
def test_no_title_ends_in_one_character(open_page, site, width):
    page = open_page(width=width)
    pages = site.page_types()
    pages["note-60-characters"] = site.note_path("sixty")
    pages["archive-2019"] = site.path("notes:archive-year", year=2019)
    for name in (
        "home",
        "list",
        "note",
        "note-english",
        "note-long-title",
        "note-60-characters",
        "archive-year",
        "archive-2019",
    ):
        page.visit(pages[name])
        for title in page.locator("h1, h2, .note-item-title").all():
            assert title.evaluate(LAST_LINE) != 1, f"{name}: {title.inner_text()!r}"


def test_bad_input_stays_inside_a_phone_screen(open_page, site):
    """The lists and results that show the bad-input notes (see ``site``) together."""
    page = open_page(width=375)
    for path in (
        site.path("notes:archive-year", year=2019),
        site.path("notes:archive-month", year=2019, month=11),
        site.path("notes:list") + "?year=2019",
        site.path("notes:author", slug="crowd-30"),
        site.path("search:search") + "?q=" + LONG_TITLE[5:40],
        site.path("notes:series", slug="redian") + "?page=2",
    ):
        page.visit(path)
        assert overflow(page) == [], path
    assert page.errors == []


def test_english_text_is_hyphenated_not_stretched(open_page, site):
    page = open_page(width=1280)
    for language in ("zh-hans", "en"):
        page.visit(site.note_path("english", language))
        paragraph = page.locator(".note-body p").first
        style = paragraph.evaluate(
            "p => [getComputedStyle(p).hyphens, getComputedStyle(p).textAlign,"
            " p.closest('[lang]').lang]"
        )
        assert style == ["auto", "start", "en"]
        label = page.locator("#summary-heading")
        spacing = label.evaluate("h => getComputedStyle(h).letterSpacing")
        assert spacing == ("normal" if language == "en" else "4.8px")  # 摘 要, never S u m m a r y
    page.visit(site.note_path("anchorage", "en"))  # a Chinese note's label in English
    assert page.locator("#summary-heading").evaluate("h => getComputedStyle(h).letterSpacing") == (
        "normal"
    )
    page.visit(site.note_path("anchorage"))
    assert page.locator(".note-body p").first.evaluate("p => getComputedStyle(p).textAlign") == (
        "justify"
    )


def test_archive_chart_is_a_picture_with_its_list(open_page, site):
    page = open_page(width=375)
    page.visit(site.path("notes:archive-year", year=2021))
    chart = page.locator(".bar-chart svg")
    assert chart.get_attribute("role") == "img"
    assert chart.locator("a").count() == 0
    scale = chart.evaluate("s => s.getBoundingClientRect().width / s.viewBox.baseVal.width")
    size = float(
        chart.locator(".bar-label").first.evaluate("t => getComputedStyle(t).fontSize")[:-2]
    )
    assert size * scale >= 12, f"month labels drawn at {size * scale:.1f} px"
    months = page.locator(".period-index a").all_inner_texts()
    assert months == ["2021年3月", "2021年6月", "2021年9月", "2021年10月"]
    page.visit(site.path("notes:archive"))
    labels = page.locator(".bar-chart .bar-label").evaluate_all(
        "els => els.map(e => e.textContent)"
    )
    years = [text[:4] for text in page.locator(".period-index a").all_inner_texts()]
    assert labels == sorted(labels) and years == sorted(years)  # both oldest first
    assert "2020" in labels and "2020" not in years  # an empty year: a bar of 0, no link


def test_phone_lists_put_the_filters_first(open_page, site):
    page = open_page(width=375)
    page.visit(site.path("notes:list"))
    assert box(page.locator("#facet-heading"))["top"] < box(page.locator(".note-item").first)["top"]
    page.visit(site.path("search:search") + "?q=%E4%B8%AD%E7%BE%8E")
    assert page.get_by_role("search").count() == 1  # the page's own box, not the header's too
    assert box(page.locator("#search-q"))["width"] >= 250


def test_admin_layout(open_page, site):
    page = open_page(width=1280)
    sign_in(page, site, site.editor)
    page.visit(site.path("admin:notes_note_changelist"))
    results = page.locator(".results")  # every column in view, without scrolling sideways
    assert results.evaluate("e => e.scrollWidth <= e.clientWidth"), page.locator(
        "#result_list thead th"
    ).evaluate_all("ths => ths.map(th => [th.className, th.getBoundingClientRect().width])")
    for cell in page.locator("td.field-published_at, td.field-author_names .name").all():
        assert cell.evaluate("e => e.getClientRects().length") == 1, cell.inner_text()
        assert cell.evaluate(LAST_LINE) == 0, cell.inner_text()
    note = site.notes["anchorage"]
    page.visit(site.path("admin:notes_note_change", object_id=note.pk))
    for width in (1280, 375):  # 预览 and 撤回: two characters each, buttons of one size
        page.set_viewport_size({"width": width, "height": 900})
        preview = box(page.locator("button[name=_preview]"))
        withdraw = box(page.locator("input[name=_withdraw]"))
        assert abs(preview["height"] - withdraw["height"]) < 1
        assert abs(preview["width"] - withdraw["width"]) < 1
    for section in page.locator("#sections-group .inline-related.has_original").all():
        arrows = box(section.locator("span.sort"))
        label = box(section.locator("label[for$=-heading]"))
        assert not overlap(arrows, label)
