"""The sitemaps follow the protocol (sitemaps.org 0.9): an index of sections, each in
pages of at most 10,000 URLs with lastmod, cached and answering conditional GETs."""

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from notes import generation, sitemaps
from notes.models import Note
from tests.factories import AuthorFactory, AuthorshipFactory, NoteFactory, SeriesFactory

pytestmark = pytest.mark.django_db

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
# W3C Datetime, as the protocol asks: a date, or a date and time with a time zone.
W3C_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$")
LOC = re.compile(r"^https?://[^/\s]+/\S*$")


def parse(response, root_tag):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert len(response.content) <= 50 * 1024 * 1024
    root = ET.fromstring(response.content)
    assert root.tag == f"{NS}{root_tag}"
    return root


def check_entry(element, children):
    """One ``<sitemap>`` or ``<url>``: a ``loc`` first, known children, a valid lastmod."""
    tags = [child.tag for child in element]
    assert tags[0] == f"{NS}loc"
    assert set(tags) <= {f"{NS}{name}" for name in children} | {f"{XHTML}link"}
    loc = element.find(f"{NS}loc").text
    assert LOC.match(loc) and len(loc) < 2048, loc
    lastmod = element.find(f"{NS}lastmod")
    assert lastmod is not None and W3C_DATETIME.match(lastmod.text), (loc, lastmod)
    return loc


def section_urls(client, loc, limit=sitemaps.LIMIT):
    path = loc.removeprefix("http://testserver")
    root = parse(client.get(path), "urlset")
    urls = root.findall(f"{NS}url")
    assert 0 < len(urls) <= limit <= 10_000
    for url in urls:
        check_entry(url, ["loc", "lastmod", "changefreq", "priority"])
        priority = float(url.find(f"{NS}priority").text)
        assert 0 <= priority <= 1
    return [url.find(f"{NS}loc").text for url in urls]


@pytest.fixture
def notes():
    author = AuthorFactory(slug="lin")
    now = timezone.now()
    published = [
        NoteFactory(published_at=now - timedelta(days=i), topics=["中美关系"]) for i in range(7)
    ]
    for note in published:
        AuthorshipFactory(note=note, author=author, position=1)
    NoteFactory(status=Note.Status.DRAFT, published_at=None, slug="draft")
    NoteFactory(published_at=now + timedelta(days=2), slug="scheduled")
    return published


def test_the_index_lists_every_page_of_every_section(client, notes, monkeypatch):
    # Five URLs a page: seven notes in two languages make three pages, one note split
    # across two of them.
    monkeypatch.setattr(sitemaps.NoteSitemap, "limit", 5)
    index = parse(client.get("/sitemap.xml"), "sitemapindex")
    locs = [check_entry(entry, ["loc", "lastmod"]) for entry in index.findall(f"{NS}sitemap")]
    assert locs == [
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-notes.xml",
        "http://testserver/sitemap-notes.xml?p=2",
        "http://testserver/sitemap-notes.xml?p=3",
        "http://testserver/sitemap-topics.xml",
        "http://testserver/sitemap-authors.xml",
        "http://testserver/sitemap-series.xml",
    ]
    note_urls = []
    for loc in locs[1:4]:
        note_urls += section_urls(client, loc, limit=5)
    assert len(note_urls) == len(set(note_urls)) == 14
    assert sorted(note_urls) == sorted(
        f"http://testserver{prefix}{note.get_absolute_url()}"
        for note in notes
        for prefix in ("", "/en")
    )
    for loc in locs[:1] + locs[4:]:
        assert section_urls(client, loc)


def test_a_page_past_the_last_and_unknown_sections_are_404(client, notes):
    for url in [
        "/sitemap-notes.xml?p=2",
        "/sitemap-notes.xml?p=0",
        "/sitemap-notes.xml?p=99999999",
        "/sitemap-notes.xml?p=abc",
        "/sitemap-nosuch.xml",
    ]:
        assert client.get(url).status_code == 404, url


def test_sitemaps_answer_conditional_gets(client, notes):
    for url in ("/sitemap.xml", "/sitemap-notes.xml", "/sitemap-topics.xml"):
        response = client.get(url)
        assert "public" in response["Cache-Control"] and response["Last-Modified"]
        again = client.get(url, headers={"If-None-Match": response["ETag"]})
        assert again.status_code == 304, url
        since = client.get(url, headers={"If-Modified-Since": response["Last-Modified"]})
        assert since.status_code == 304, url


def test_lastmod_follows_the_latest_change(client, notes):
    newest = max(notes, key=lambda note: note.updated_at)
    index = ET.fromstring(client.get("/sitemap.xml").content)
    notes_entry = next(
        entry for entry in index.findall(f"{NS}sitemap") if "notes" in entry.find(f"{NS}loc").text
    )
    expected = timezone.localtime(newest.updated_at).isoformat()
    assert notes_entry.find(f"{NS}lastmod").text == expected


def test_each_sitemap_page_is_written_once_per_content_generation(
    client, notes, settings, django_assert_num_queries
):
    settings.PAGE_CACHE = False  # kept apart from whole pages, also without them
    settings.COUNTS_CACHE = True
    generation.current()
    for url in ("/sitemap.xml", "/sitemap-notes.xml", "/sitemap-topics.xml"):
        first = client.get(url)
        with django_assert_num_queries(0):
            again = client.get(url)
        assert again.content == first.content
        assert again["Last-Modified"] == first["Last-Modified"]
        assert again["X-Robots-Tag"] == first["X-Robots-Tag"] == "noindex, noodp, noarchive"
        assert client.get(url, HTTP_HOST="127.0.0.1").content != first.content  # its own URLs
    NoteFactory(slug="newer")
    generation.bump()  # what the commit of the change does
    generation.current()
    assert "/newer/" in client.get("/sitemap-notes.xml").content.decode()
    assert client.get("/sitemap-notes.xml?p=2").status_code == 404


def test_every_section_lists_the_pages_own_addresses_in_every_language(client, notes):
    series = SeriesFactory(slug="热点")
    note = NoteFactory(slug="中美-关系", series=series, topics=["贸易与关税"])
    AuthorshipFactory(note=note, author=AuthorFactory(slug="王宁"), position=1)
    for section, objects in (
        ("notes", Note.objects.published()),
        ("topics", {topic for n in Note.objects.published() for topic in n.tags.all()}),
        ("authors", {a.author for n in Note.objects.published() for a in n.authorships.all()}),
        ("series", {n.series for n in Note.objects.published()}),
    ):
        expected = set()
        for language in ("zh-hans", "en"):
            with translation.override(language):
                expected |= {f"http://testserver{obj.get_absolute_url()}" for obj in objects}
        listed = section_urls(client, f"/sitemap-{section}.xml")
        assert set(listed) == expected and len(listed) == len(expected), section
    topics = client.get("/sitemap-topics.xml").content.decode()
    assert "http://testserver/en/topics/%E8%B4%B8" in topics  # quoted as reverse() does
