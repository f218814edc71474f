import re
import xml.etree.ElementTree as ET
from datetime import datetime

import pytest
from django.utils import timezone

from notes.models import Note, Topic
from tests.factories import (
    AuthorFactory,
    AuthorshipFactory,
    NoteFactory,
    NoteTypeFactory,
    SectionFactory,
    SeriesFactory,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def at(year, month, day=15):
    return timezone.make_aware(datetime(year, month, day, 10, 0))


@pytest.fixture
def library():
    """A small, known set of published notes."""
    macro, hot = SeriesFactory(slug="macro", name="宏观"), SeriesFactory(slug="hot", name="热点")
    brief, comment = NoteTypeFactory(slug="brief"), NoteTypeFactory(slug="comment")
    lin, zhou = AuthorFactory(slug="lin", name="林"), AuthorFactory(slug="zhou", name="周")
    notes = {
        "talks": NoteFactory(
            title="中美会谈", slug="中美会谈", series=hot, note_type=brief,
            published_at=at(2021, 3, 20), topics=["中美关系", "外交"],
        ),
        "trade": NoteFactory(
            title="贸易观察", slug="trade", series=hot, note_type=comment,
            published_at=at(2021, 6), topics=["中美关系", "贸易"],
        ),
        "rates": NoteFactory(
            title="利率走势", slug="rates", series=macro, note_type=brief,
            published_at=at(2022, 1), topics=["货币政策"],
        ),
    }  # fmt: skip
    AuthorshipFactory(note=notes["talks"], author=lin, position=1)
    AuthorshipFactory(note=notes["talks"], author=zhou, position=2)
    AuthorshipFactory(note=notes["trade"], author=lin, position=1)
    AuthorshipFactory(note=notes["rates"], author=zhou, position=1)
    SectionFactory(note=notes["talks"], position=1, heading="", body="导语。")
    SectionFactory(note=notes["talks"], position=2, heading="一、开场", body="正文。")
    SectionFactory(note=notes["talks"], position=3, heading="二、展望", body="正文。")
    return notes


def titles(response):
    return {note.title for note in response.context["page_obj"].object_list}


PUBLIC_URLS = [
    "/", "/notes/", "/topics/", "/topics/中美关系/", "/authors/", "/authors/lin/",
    "/series/hot/", "/archive/", "/archive/2021/", "/archive/2021/3/", "/feed/", "/feed/rss/",
    "/topics/中美关系/feed/", "/authors/lin/feed/", "/series/hot/feed/", "/sitemap.xml",
    "/robots.txt", "/healthz",
]  # fmt: skip


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_urls_answer(client, library, url):
    assert client.get(url).status_code == 200


def test_note_page_and_canonical_redirects(client, library):
    note = library["talks"]
    response = client.get(note.get_absolute_url())
    assert response.status_code == 200
    assert note.get_absolute_url() == f"/notes/{note.pk}/%E4%B8%AD%E7%BE%8E%E4%BC%9A%E8%B0%88/"
    for wrong in (f"/notes/{note.pk}/", f"/notes/{note.pk}/wrong-slug/"):
        response = client.get(wrong)
        assert response.status_code == 301
        assert response["Location"] == note.get_absolute_url()
    assert client.get("/notes/999999/x/").status_code == 404


def test_note_page_content(client, library):
    note = library["talks"]
    html = client.get(note.get_absolute_url()).content.decode()
    assert '<html lang="zh-hans">' in html
    assert '<link rel="canonical" href="http://localhost:8000' in html
    assert 'property="og:title"' in html
    assert '"@type": "Report"' in html
    assert 'href="#一开场"' in html  # table of contents
    assert "2021年3月20日" in html
    assert "阅读约 1 分钟" in html
    assert "林" in html and "示例研究院 · 研究员" in html
    assert library["trade"].title in html  # related by shared topic, also next in series


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"中美会谈", "贸易观察", "利率走势"}),
        ("?topic=中美关系", {"中美会谈", "贸易观察"}),
        ("?topic=中美关系&topic=外交", {"中美会谈"}),
        ("?topic=外交&topic=货币政策", set()),
        ("?author=lin", {"中美会谈", "贸易观察"}),
        ("?author=zhou&topic=中美关系", {"中美会谈"}),
        ("?series=hot", {"中美会谈", "贸易观察"}),
        ("?series=hot&type=comment", {"贸易观察"}),
        ("?type=brief", {"中美会谈", "利率走势"}),
        ("?year=2021", {"中美会谈", "贸易观察"}),
        ("?year=2021&month=3", {"中美会谈"}),
        ("?year=2021&month=3&author=zhou&series=hot&type=brief&topic=外交", {"中美会谈"}),
        ("?year=2022&series=hot", set()),
    ],
)
def test_note_list_filters_combine(client, library, query, expected):
    response = client.get("/notes/" + query)
    assert response.status_code == 200
    assert titles(response) == expected


def test_active_filter_chips_speak_the_reader_s_language(client, library):
    html = client.get("/notes/?topic=中美关系").content.decode()
    assert "主题：<span>中美关系</span>" in html
    html = client.get("/en/notes/?topic=中美关系").content.decode()
    assert 'Topic: <span lang="zh-Hans">中美关系</span>' in html and "：<span" not in html


def test_active_filters_are_removable_one_by_one(client, library):
    response = client.get("/notes/?topic=中美关系&author=lin")
    active = response.context["filter"].active()
    assert [f.value for f in active] == ["中美关系", "林"]
    assert client.get("/notes/" + active[0].remove_url).context["filter"].topics == []
    assert titles(client.get("/notes/" + active[1].remove_url)) == {"中美会谈", "贸易观察"}


def test_topic_facets_count_the_current_filter(client, library):
    response = client.get("/notes/?series=hot")
    facets = {t.name: t.count for t in response.context["facets"]}
    assert facets == {"中美关系": 2, "外交": 1, "贸易": 1}


@pytest.mark.parametrize(
    "query",
    [
        "?topic=nothing", "?author=nobody", "?series=none", "?type=none", "?year=abc",
        "?year=0", "?month=13&year=2021", "?month=3", "?topic=%00", "?author=%00",
        "?year=99999999999999999999",
    ],
)  # fmt: skip
def test_bad_filters_give_a_clear_empty_result(client, library, query):
    response = client.get("/notes/" + query)
    assert response.status_code == 200
    assert titles(response) == set()
    assert response.context["filter"].errors


def test_a_filter_repeated_a_thousand_times(client, library):
    response = client.get("/notes/?" + "&".join(["topic=中美关系"] * 1000))
    assert response.status_code == 200
    assert titles(response) == {"中美会谈", "贸易观察"}


def test_a_huge_query_string(client, library):
    response = client.get("/notes/?topic=" + "x" * 100_000)
    assert response.status_code == 200
    assert titles(response) == set()


@pytest.mark.parametrize("page", ["0", "-1", "abc", "999", "1.5", ""])
def test_odd_page_numbers(client, library, page):
    assert client.get(f"/notes/?page={page}").status_code == 200
    assert client.get(f"/topics/中美关系/?page={page}").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/archive/0/", "/archive/2021/13/", "/archive/2021/0/", "/archive/2021/3/32/",
        "/archive/1999/", "/archive/99999/", "/topics/unknown/", "/authors/nobody/",
        "/series/none/", "/topics/%00/", "/topics/../", "/topics/😀/", "/authors/linΩ林/",
        "/topics/unknown/feed/", "/archive/2021/?page=abc",
    ],
)  # fmt: skip
def test_bad_urls_are_404(client, library, url):
    assert client.get(url).status_code == 404


def test_archive_chart(client, library):
    response = client.get("/archive/2021/")
    chart = response.context["chart"]
    assert [bar.count for bar in chart.bars] == [0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]
    assert "<svg" in response.content.decode()
    yearly = client.get("/archive/").context["chart"]
    assert [(b.label, b.count) for b in yearly.bars] == [("2021", 2), ("2022", 1)]


def test_feeds_parse_and_list_published_notes(client, library):
    NoteFactory(title="草稿", status=Note.Status.DRAFT, published_at=None)
    atom = ET.fromstring(client.get("/feed/").content)
    assert {e.find(f"{ATOM}title").text for e in atom.iter(f"{ATOM}entry")} == {
        "中美会谈", "贸易观察", "利率走势",
    }  # fmt: skip
    rss = ET.fromstring(client.get("/feed/rss/").content)
    assert len(rss.findall("./channel/item")) == 3
    topic = ET.fromstring(client.get("/topics/外交/feed/").content)
    assert [e.find(f"{ATOM}title").text for e in topic.iter(f"{ATOM}entry")] == ["中美会谈"]


def test_sitemap_lists_exactly_the_published_notes(client, library):
    NoteFactory(status=Note.Status.DRAFT, published_at=None, slug="secret")
    root = ET.fromstring(client.get("/sitemap-notes.xml").content)
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locs = [
        loc.text
        for loc in root.iter(f"{ns}loc")
        if "/notes/" in loc.text and loc.text.count("/") > 5
    ]
    assert sorted(locs) == sorted(
        f"http://testserver{prefix}{n.get_absolute_url()}"
        for n in library.values()
        for prefix in ("", "/en")
    )


def test_favicon_redirects_to_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")


def test_robots_points_at_the_sitemap(client):
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: " in body and "Disallow: /admin/" in body


def test_the_language_is_in_the_url(client, library):
    note_url = library["talks"].get_absolute_url()
    html = client.get("/en/").content.decode()
    assert '<html lang="en">' in html
    assert "Latest notes" in html
    note_html = client.get("/en" + note_url).content.decode()
    assert "20 March 2021" in note_html
    html = client.get("/").content.decode()
    assert "最新文章" in html
    assert 'lang="en" aria-current="true"' not in html
    assert 'lang="en">English</a>' in html  # each language named in itself


def test_a_note_s_topics_come_by_name_everywhere(client):
    """On a list's card, on the note's page and in the feeds alike, whatever order
    the topics were added in."""
    note = NoteFactory(slug="ordered", topics=["Gamma"])
    note.tags.add("Alpha")
    note.tags.add("Beta")
    chips = re.compile(r'<ul class="topic-chips".*?</ul>', re.S)
    names = re.compile(r">(Alpha|Beta|Gamma)</a>")
    topic = Topic.objects.get(name="Beta").get_absolute_url()
    for url in ["/notes/", topic, note.get_absolute_url(), "/en/notes/"]:
        (card,) = chips.findall(client.get(url).content.decode())
        assert names.findall(card) == ["Alpha", "Beta", "Gamma"], url
    atom = ET.fromstring(client.get("/feed/").content)
    categories = [c.get("term") for c in atom.iter(f"{ATOM}category")]
    assert categories == ["Alpha", "Beta", "Gamma"]
