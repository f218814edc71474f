"""The demo note with figures, a table and footnotes, as a reader's browser shows it:
on a phone the narrowest rendition is chosen and the wide table scrolls in its own
box; every picture loads, with its size known before it does; printed, the
figures are there."""

import pytest


def pictures(page):
    return page.evaluate(
        """() => [...document.querySelectorAll('.note-figure img')].map(img => ({
          src: img.currentSrc, loaded: img.complete && img.naturalWidth > 0,
          width: img.getAttribute('width'), height: img.getAttribute('height'),
          shown: img.getBoundingClientRect().width,
        }))"""
    )


@pytest.mark.parametrize(("width", "rendition"), [(375, "w480-"), (1280, "w960-")])
def test_figures_load_at_the_width_they_are_shown(open_page, site, width, rendition):
    page = open_page(width=width)
    page.visit(site.note_path("figures"))
    page.evaluate("document.querySelector('.footnotes').scrollIntoView()")
    page.wait_until("[...document.querySelectorAll('.note-figure img')].every(i => i.complete)")
    found = pictures(page)
    assert len(found) == 2
    for picture in found:
        assert picture["loaded"], picture
        assert rendition in picture["src"] and picture["src"].endswith(".webp"), picture
        assert picture["width"] and picture["height"]
        assert picture["shown"] <= width
    assert page.errors == [] and page.foreign == []


def test_a_wide_table_scrolls_in_its_box_on_a_phone(open_page, site):
    page = open_page(width=375)
    page.visit(site.note_path("figures"))
    box = page.evaluate(
        """() => { const box = document.querySelector('.table-scroll');
          return {scroll: box.scrollWidth, client: box.clientWidth,
                  page: document.documentElement.scrollWidth,
                  viewport: document.documentElement.clientWidth}; }"""
    )
    assert box["scroll"] > box["client"]  # the table is wider than its box …
    assert box["page"] <= box["viewport"]  # … and the page is not


def test_footnote_links_go_both_ways(open_page, site):
    page = open_page(width=1280)
    page.visit(site.note_path("figures"))
    page.click("#fnref-1-2")
    assert page.evaluate("location.hash") == "#fn-1"
    page.click("#fn-1 .fn-back >> nth=1")
    assert page.evaluate("location.hash") == "#fnref-1-2"


def test_printed_figures_are_there(open_page, site):
    page = open_page(width=1280)
    page.visit(site.note_path("figures"))
    page.emulate_media(media="print")
    page.evaluate("document.querySelectorAll('img').forEach(i => i.loading = 'eager')")
    page.wait_until("[...document.querySelectorAll('.note-figure img')].every(i => i.complete)")
    shown = page.evaluate(
        """() => [...document.querySelectorAll('.note-figure img')].map(i =>
          [i.naturalWidth, i.getBoundingClientRect().height])"""
    )
    assert all(natural > 0 and height > 0 for natural, height in shown)
