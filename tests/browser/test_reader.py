"""A reader's way through the site, and what a reader saw go wrong on the way."""

import io
import re

import pypdfium2
from playwright.sync_api import expect

TOPIC = "中美关系"
ANCHORAGE = "安克雷奇会谈：中美高层对话在交锋中开场"


def pdf_pages(data):
    """The text of each page of a PDF."""
    document = pypdfium2.PdfDocument(io.BytesIO(data))
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def test_reader_journey(open_page, site):
    page = open_page(width=1280)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.url)

    # Home -> a topic -> a note.
    page.visit(site.path("notes:home"))
    page.get_by_role("complementary").get_by_role("link", name=re.compile(TOPIC)).click()
    assert page.locator("h1").inner_text() == TOPIC
    page.get_by_role("link", name=ANCHORAGE).first.click()
    assert page.locator("h1.note-title").inner_text() == ANCHORAGE

    # Open the citations and copy one: the clipboard holds exactly what the page shows.
    page.get_by_role("link", name="引用", exact=True).click()
    assert page.url.endswith("#cite")
    citation = page.locator(".citation").first
    button = page.locator(".copy-button").first
    button.click()
    expect(button).to_have_text("已复制")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == " ".join(citation.inner_text().split())
    assert ANCHORAGE in copied

    # Printed: one A4 page, with the citation and without the site's navigation.
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    assert page.locator(".site-nav").is_hidden()
    assert citation.is_visible()
    pages = pdf_pages(page.pdf(format="A4", print_background=False))
    assert len(pages) == 1, [text[:80] for text in pages]
    assert ANCHORAGE in pages[0].replace("\r\n", "")
    assert "[R/OL]" in pages[0]
    assert "全部文章" not in pages[0]  # no navigation
    page.emulate_media(media="screen")

    # Search from the header, then narrow the results by a topic facet.
    page.get_by_role("search", name="全站搜索").get_by_role("searchbox").fill("中美")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    total = page.locator(".search-hit").count()
    assert total > 1
    facets = page.locator(".search-facets")
    facets.get_by_role("link", name="外交").click()
    page.wait_for_url(re.compile("topic="))
    assert 0 < page.locator(".search-hit").count() < total
    assert "外交" in page.locator(".active-filters").inner_text()

    # The archive, by keyboard alone: a year, then a month.
    page.visit(site.path("notes:archive"))
    tab_to(page, "2021年")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("/archive/2021/$"))
    tab_to(page, "2021年3月")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("/archive/2021/3/$"))
    assert ANCHORAGE in page.locator("main").inner_text()
    assert page.errors == []


def tab_to(page, text, limit=60):
    """Press Tab until the focused link reads ``text``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == text:
            return
    raise AssertionError(f"no link reading {text!r} within {limit} tabs")


def test_a_note_prints_on_one_page_with_its_citation(open_page, site):
    """Printed as it opens, the citations never opened: one A4 page with the byline set
    apart, the reference, the address, and no navigation."""
    page = open_page(width=1280)
    page.visit(site.note_path("anchorage"))
    page.emulate_media(media="print")
    pages = pdf_pages(page.pdf(format="A4"))
    assert len(pages) == 1, [text[:80] for text in pages]
    text = pages[0].replace("\r\n", "")
    assert ANCHORAGE in text
    assert "新知财经研究院 · 高级研究员" in text  # not 新知财经研究院高级研究员
    assert "引用本文" in text and "[R/OL]" in text
    assert site.note_path("anchorage") in text
    for navigation in ("全部文章", "主题", "归档", "下一篇", "相关文章"):
        assert navigation not in text
