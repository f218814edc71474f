"""How pages present notes: bylines, excerpts, language marks, headings, order, the
site's 404, and the bad input a page must survive (the browser tests measure layout)."""

import re
from datetime import datetime

import pytest
from django.utils import timezone

from notes.templatetags.notes_tags import excerpt
from tests.factories import (
    AuthorFactory,
    AuthorshipFactory,
    NoteFactory,
    SeriesFactory,
    committed,
)

pytestmark = pytest.mark.django_db


def at(year, month, day=15):
    return timezone.make_aware(datetime(year, month, day, 10, 0))


@pytest.fixture
def notes():
    with committed():  # indexed for search, as after a commit
        return _notes()


def _notes():
    hot = SeriesFactory(slug="hot", name="热点")
    lin = AuthorFactory(slug="lin", name="林晓岚", title="高级研究员", affiliation="新知研究院")
    carter = AuthorFactory(
        slug="carter", name="Emily Carter", title="Senior Fellow", affiliation="Example Institute"
    )
    chinese = NoteFactory(
        title="中美会谈", slug="talks", series=hot, published_at=at(2021, 3), topics=["中美关系"]
    )
    english = NoteFactory(
        title="Supply chains after the tariff wars",
        slug="supply",
        series=hot,
        language="en",
        published_at=at(2024, 6),
        summary="Supply chains are diversifying rather than decoupling " * 6,
        topics=["中美关系", "Trade"],
    )
    AuthorshipFactory(note=chinese, author=lin, position=1)
    AuthorshipFactory(note=english, author=carter, position=1)
    AuthorshipFactory(note=english, author=lin, position=2)
    return {"chinese": chinese, "english": english, "lin": lin, "carter": carter}


def html(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_byline_sets_affiliation_and_title_apart(client, notes):
    for note in (notes["chinese"], notes["english"]):
        page = html(client, note.get_absolute_url())
        assert "新知研究院 · 高级研究员" in page
        assert "新知研究院高级研究员" not in page
    page = html(client, notes["english"].get_absolute_url())
    assert "Example Institute · Senior Fellow" in page
    assert "Example InstituteSenior Fellow" not in page


@pytest.mark.parametrize(
    ("text", "length", "expected"),
    [
        ("短摘要", 140, "短摘要"),
        ("中" * 200, 10, "中" * 9 + "…"),
        ("Supply chains are diversifying rather than decoupling", 30, "Supply chains are…"),
        ("美联储释放加息信号 Fed signals hikes", 13, "美联储释放加息信号…"),
        ("x" * 50, 10, "x" * 9 + "…"),  # one long word is cut where it must be
    ],
)
def test_excerpts_end_with_an_ellipsis_and_whole_words(text, length, expected):
    assert excerpt(text, length) == expected


def test_list_excerpts_use_the_ellipsis_in_both_languages(client, notes):
    NoteFactory(summary="长" * 300, slug="long-summary", published_at=at(2022, 1))
    for prefix in ("", "/en"):
        page = html(client, f"{prefix}/notes/")
        assert "长" * 139 + "…" in page
        assert "..." not in page
        assert "chains are diversifying…" in page  # an English excerpt ends on a word


def test_names_and_note_text_are_marked_in_their_language(client, notes):
    english = notes["english"].get_absolute_url()
    page = html(client, english)  # an English note in the Chinese interface
    assert '<article class="note">' in page  # the interface around the note stays Chinese
    assert re.search(r'<h1 class="note-title" lang="en"', page)
    assert re.search(r'<div class="note-body" lang="en"', page)
    assert re.search(r'<h2 id="summary-heading">摘要</h2>', page)
    assert re.search(r'href="/authors/carter/" lang="en">Emily Carter<', page)
    page = html(client, "/en" + english)  # and in the English interface
    assert re.search(r'href="/en/authors/lin/" lang="zh-Hans">林晓岚<', page)
    assert re.search(r'href="/en/topics/[^"]+/" lang="zh-Hans">中美关系<', page)
    page = html(client, "/en/notes/")
    assert re.search(r'class="series-label" href="/en/series/hot/" lang="zh-Hans">热点<', page)
    assert re.search(r'<h3 class="note-item-title" lang="zh-hans" dir="auto">', page)
    assert 'lang="en">Trade<' not in page  # an English name in English needs no mark
    assert 'class="brand" href="/en/" lang="zh-Hans">研究简报<' in page  # the site's name
    page = html(client, "/en/search/?q=Trade")  # a hit's language on its text, not its dates
    assert '<li class="search-hit">' in page
    assert re.search(r'<h3 class="search-hit-title" lang="en" dir="auto">', page)
    assert re.search(r'<a href="[^"]+" lang="zh-Hans">林晓岚</a> <span class="count">', page)


def test_list_heading_names_the_filters(client, notes):
    assert "<h1>全部文章</h1>" in html(client, "/notes/")
    page = html(client, "/notes/?topic=中美关系&series=hot&year=2021&month=3")
    assert re.search(r"<h1>文章：<span>中美关系</span> · <span>热点</span> · <span>2021年3月", page)
    assert "<title>文章：中美关系 · 热点 · 2021年3月 · " in page
    page = html(client, "/en/notes/?author=carter&year=2024")
    assert "<h1>Notes: <span>Emily Carter</span> · <span>2024</span></h1>" in page


def test_authors_are_listed_by_their_latest_note(client, notes):
    response = client.get("/authors/")  # both last wrote the English note: then by name
    assert [a.name for a in response.context["authors"]] == ["Emily Carter", "林晓岚"]
    NoteFactory(slug="newest", published_at=at(2025, 1)).authorships.create(
        author=notes["lin"], position=1
    )
    response = client.get("/authors/")
    assert [a.name for a in response.context["authors"]] == ["林晓岚", "Emily Carter"]
    assert "2025年1月15日" in response.content.decode()


def test_series_index(client, notes):
    SeriesFactory(slug="empty", name="空栏目")  # no published note: not listed
    page = html(client, "/series/")
    assert '<a class="series-name" href="/series/hot/">热点</a>' in page
    assert "空栏目" not in page
    assert 'href="/series/" aria-current="page"' in page
    assert 'href="/en/series/hot/" lang="zh-Hans">热点' in html(client, "/en/series/")


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize(
    "path",
    [
        "/notes/999999/",
        "/notes/999999/no-such-note/",
        "/topics/no-such-topic/",
        "/authors/nobody/",
        "/series/no-such-series/",
        "/archive/2021/1/",  # a month without notes
        "/archive/2020/",  # a year without notes
        "/no-such-page/",
    ],
)
def test_missing_pages_are_the_site_s_404(client, notes, prefix, path):
    page = html(client, prefix + path, status=404)
    assert '<p class="error-code">404</p>' in page
    assert ("Page not found" if prefix else "页面不存在") in page
    assert "Not Found" not in page


def test_bad_input_renders(client, notes):
    crowd = NoteFactory(title="三十位作者", slug="crowd", published_at=at(2022, 5))
    for position in range(1, 31):
        AuthorshipFactory(note=crowd, author=AuthorFactory(), position=position)
    long_topic = "主题" * 50
    NoteFactory(
        title="Pneumonoultramicroscopicsilicovolcanoconiosis" * 4,
        slug="long",
        published_at=at(2022, 6),
        topics=[long_topic],
    )
    NoteFactory(title="中东：قمة الرياض 与 ועידת ירושלים", slug="rtl", published_at=at(2022, 7))
    assert html(client, crowd.get_absolute_url()).count('class="author-name"') == 30
    for url in ("/", "/notes/", "/topics/", "/authors/", "/archive/", "/archive/2022/"):
        html(client, url)
    topic = html(client, "/topics/")
    assert long_topic in topic
    assert 'dir="auto"><a href="/notes/' in html(client, "/archive/2022/7/")


def test_admin_help_names_only_the_buttons_on_the_form(admin_client, notes):
    new = html(admin_client, "/admin/notes/note/add/")
    assert "「发布」" not in new and "「定时发布」" not in new
    published = html(admin_client, f"/admin/notes/note/{notes['chinese'].pk}/change/")
    assert "「发布」" not in published and "「定时发布」" not in published
    assert '<label for="id_published_at_0">' in published
    assert '<label for="id_published_at_1">' in published
    assert 'aria-label="署名说明"' in published
    draft = NoteFactory(slug="draft", status="draft", published_at=None)
    page = html(admin_client, f"/admin/notes/note/{draft.pk}/change/")
    assert "「发布」立即发布" in page and "「定时发布」在" in page


def test_sign_in_labels_and_card(client):
    page = html(client, "/accounts/login/")
    assert "用户名：</label>" in page and "用户名:</label>" not in page
    assert 'class="account-form form-card"' in page
    assert "Username:</label>" in html(client, "/en/accounts/login/")


def test_a_hit_found_by_its_topic_says_so(client, notes):
    page = html(client, "/search/?q=中美关系")
    hit = page.split("Supply chains after the tariff wars")[1].split("</li>")[0]
    assert '<p class="search-reason">匹配的主题：<span><mark>中美关系</mark></span>' in hit
