"""Search: relevance, filters, facets, the index following edits, bad input.

Runs on SQLite and, with DATABASE_URL, on PostgreSQL.
"""

import re

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from notes import generation
from notes.models import Note
from search import service
from search.index import problems, reindex
from search.models import SearchEntry
from tests.factories import (
    AuthorFactory,
    AuthorshipFactory,
    NoteFactory,
    SectionFactory,
    committed,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()
DAY = timezone.timedelta(days=1)
URL = reverse("search:search")


def note(key, *, title="", summary="", heading="", body="", days=10, topics=(), **kwargs):
    kwargs.setdefault("published_at", NOW - days * DAY)
    with committed():
        n = NoteFactory(
            slug=key, title=title or f"简报{key}", summary=summary, topics=list(topics), **kwargs
        )
        if heading or body:
            SectionFactory(note=n, position=1, heading=heading, body=body)
    return n


@pytest.fixture
def corpus():
    note("blinken", title="布林肯访华前瞻", summary="美国国务卿将于下周访问北京。",
         body="双方预计讨论中美关系与台湾问题。", topics=["中美关系", "外交"])  # fmt: skip
    note("chain", title="全球供应链重组", topics=["贸易"],
         body="中美贸易摩擦推动产业链转移，New York 的投资者关注。")  # fmt: skip
    note("fed", title="美元走势", body="The Federal  Reserve raised rates; TARIFF talk faded.",
         topics=["货币政策"])  # fmt: skip
    note("traditional", title="外長會晤", body="兩國外長舉行會晤，討論經貿問題。")
    note("scatter", title="零散的词", body="中美合作，美关税，关系密切。")
    note("script", title="脚本", body="<script>alert(1)</script>中美对话")
    note("fullwidth", title="增长数据", body="ＧＤＰ增长百分之五。")
    note("char-end", title="鑫", body="业绩创新高。")
    note("char-mid", title="数据", body="金鑫公司公告。")
    note("focus", title="英文", body="The focus is on growth.")
    note("laugh", title="笑声", body="哈哈哈。")
    note("draft", title="布林肯草稿", status=Note.Status.DRAFT, published_at=None)
    note("scheduled", title="布林肯定时", published_at=NOW + DAY)
    note("withdrawn", title="布林肯撤回", status=Note.Status.WITHDRAWN)


def found(client, q, **params):
    response = client.get(URL, {"q": q, **params})
    assert response.status_code == 200
    return [hit.slug for hit in response.context["results"].hits]


@pytest.mark.parametrize(
    ("query", "must", "must_not"),
    [
        ("布林肯", {"blinken"}, {"draft", "scheduled", "withdrawn"}),
        ("中美", {"blinken", "chain", "scatter", "script"}, set()),
        ("中美关系", {"blinken"}, {"scatter"}),  # bigrams present, phrase absent
        ("美关", {"blinken", "scatter"}, set()),  # straddles 中美|关系
        ("国务卿将", {"blinken"}, set()),  # straddles a word boundary
        ("会晤", {"traditional"}, set()),  # Simplified query, Traditional text
        ("會晤", {"traditional"}, set()),
        ("经贸问题", {"traditional"}, set()),
        ("鑫", {"char-end", "char-mid"}, set()),  # one character, at a run's end too
        ("gdp", {"fullwidth"}, set()),
        ("ＧＤＰ", {"fullwidth"}, set()),
        ("tariff", {"fed"}, set()),
        ("us", set(), {"focus"}),  # a word, not a substring
        ('"federal reserve"', {"fed"}, set()),
        ('"reserve federal"', set(), {"fed"}),
        ('"new york"', {"chain"}, set()),
        ('"rates tariff talk"', {"fed"}, set()),  # word pairs across punctuation
        ('"federal rates"', set(), {"fed"}),  # both words, not in a row
        ("美关系", {"blinken"}, {"scatter"}),  # three characters: one trigram
        ("哈哈哈", {"laugh"}, set()),
        ("哈哈哈哈", set(), {"laugh"}),  # its only trigram is there, the term is not
        ("中美 -台湾", {"chain", "scatter", "script"}, {"blinken"}),
        ('中美 -"台湾问题"', {"chain"}, {"blinken"}),
        ("布林肯 OR 增长", {"blinken", "fullwidth"}, set()),
        ("中美 对话", {"script"}, {"blinken", "chain"}),
    ],
)
def test_relevance_table(client, corpus, query, must, must_not):
    slugs = set(found(client, query))
    assert must <= slugs
    assert not (must_not & slugs)
    if must and not must_not:
        assert slugs == must


def test_ranking_follows_where_the_words_are(client):
    note("body", title="其他", body="稀土出口。", days=1)
    note("heading", title="其他", heading="稀土", body="正文。", days=2)
    note("summary", title="其他", summary="稀土。", days=3)
    note("title", title="稀土政策", days=4)
    note("body-old", title="其他", body="稀土出口。", days=5)
    assert found(client, "稀土") == ["title", "summary", "heading", "body", "body-old"]
    assert found(client, "稀土", sort="date") == ["body", "heading", "summary", "title", "body-old"]


def test_highlight_is_escaped(client, corpus):
    response = client.get(URL, {"q": "中美对话"})
    html = response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<mark>中美对话</mark>" in html
    assert "<script>alert" not in html


def test_kept_hits_are_written_in_the_reader_s_language_and_follow_changes(client):
    n = note("kept-html", title="海上风电简报", days=3)
    author = AuthorFactory(name="欧阳明", slug="ouyang")
    with committed():
        AuthorshipFactory(note=n, author=author)
    day = timezone.localtime(n.published_at).date()
    for _ in range(2):  # written, then read back as kept
        chinese = client.get(URL, {"q": "海上风电"}).content.decode()
        english = client.get("/en" + URL, {"q": "海上风电"}).content.decode()
        assert f"{day.year}年{day.month}月{day.day}日" in chinese
        assert f'href="/notes/{n.pk}/kept-html/"' in chinese
        assert 'href="/authors/ouyang/"' in chinese
        assert f">{day.day} {day.strftime('%B')} {day.year}</time>" in english
        assert f'href="/en/notes/{n.pk}/kept-html/"' in english
        assert 'href="/en/authors/ouyang/"' in english
    author.name = "司马光"
    with committed():
        author.save()
    assert "司马光" in client.get(URL, {"q": "海上风电"}).content.decode()


def test_filters_combine_with_the_query(client, corpus):
    assert set(found(client, "中美", topic="贸易")) == {"chain"}
    assert found(client, "中美", topic="不存在的主题") == []
    response = client.get(URL, {"q": "中美", "topic": "不存在的主题"})
    assert "没有名为" in response.content.decode()


def test_author_year_series_type_filters(client):
    author = AuthorFactory(slug="lin")
    kept = note("kept", title="关税研究", days=400)
    AuthorshipFactory(note=kept, author=author)
    note("other", title="关税观察", days=400)
    year = timezone.localtime(kept.published_at).year
    assert found(client, "关税", author="lin") == ["kept"]
    assert set(found(client, "关税", year=str(year))) == {"kept", "other"}
    assert found(client, "关税", year=str(year - 3)) == []
    assert found(client, "关税", series=kept.series.slug) == ["kept"]
    assert found(client, "关税", type=kept.note_type.slug) == ["kept"]
    month = timezone.localtime(kept.published_at).month
    assert set(found(client, "关税", year=str(year), month=str(month))) == {"kept", "other"}
    assert found(client, "关税", year=str(year), month=str(month % 12 + 1)) == []
    assert found(client, "关税", author="lin", year=str(year), month=str(month)) == ["kept"]


def test_filters_agree_with_the_lists(client):
    """Every filter combination finds what /notes/ lists with the same filters."""
    lin, wu = AuthorFactory(slug="lin"), AuthorFactory(slug="wu")
    for i in range(12):
        n = note(f"f{i}", title=f"关税{i}", days=200 * (i % 4) + i,
                 topics=[["贸易"], ["贸易", "外交"], ["外交"], []][i % 4])  # fmt: skip
        AuthorshipFactory(note=n, author=(lin, wu)[i % 2], position=1)
        if i % 3 == 0:
            AuthorshipFactory(note=n, author=(wu, lin)[i % 2], position=2)
    years = {str(timezone.localtime(n.published_at).year) for n in Note.objects.all()}
    for params in [{"topic": "贸易"}, {"topic": ["贸易", "外交"]}, {"author": "wu"},
                   {"author": "lin", "topic": "外交"}, *({"year": y} for y in years)]:  # fmt: skip
        listed = client.get(reverse("notes:list"), params).context["page_obj"].paginator.count
        results = client.get(URL, {"q": "关税", **params}).context["results"]
        assert results.total == listed, params


def test_facets_count_published_results_only(client, corpus):
    response = client.get(URL, {"q": "中美"})
    results = response.context["results"]
    assert results.total == 4
    topics = {name: n for _, name, n in results.topics}
    assert topics == {"中美关系": 1, "外交": 1, "贸易": 1}
    year = timezone.localtime(NOW - 10 * DAY).year
    assert results.years == [(year, 4)]
    response = client.get(URL, {"q": "布林肯"})
    assert response.context["results"].total == 1
    assert {name for _, name, _ in response.context["results"].topics} == {"中美关系", "外交"}


def test_author_facet(client):
    author = AuthorFactory(name="林晓岚", slug="lin")
    for key in ("a", "b"):
        AuthorshipFactory(note=note(key, title="能源转型"), author=author)
    note("c", title="能源转型")
    results = client.get(URL, {"q": "能源"}).context["results"]
    assert results.authors == [("lin", "林晓岚", 2)]


def test_pagination(client):
    for i in range(25):
        note(f"n{i}", title=f"碳中和第{i}篇", days=i + 1)
    first = client.get(URL, {"q": "碳中和"}).context["results"]
    assert (first.total, first.num_pages, len(first.hits)) == (25, 2, 20)
    second = client.get(URL, {"q": "碳中和", "page": "2"}).context["results"]
    assert len(second.hits) == 5
    assert not {h.pk for h in first.hits} & {h.pk for h in second.hits}
    beyond = client.get(URL, {"q": "碳中和", "page": "99"}).context["results"]
    assert beyond.page == 2 and len(beyond.hits) == 5


def test_index_follows_edits(client):
    n = note("edit", title="旧标题", body="原来的正文")
    assert found(client, "原来的正文") == ["edit"]
    section = n.sections.get()
    section.body = "改写后的正文"
    with committed():
        section.save()
    assert found(client, "原来的正文") == []
    assert found(client, "改写后") == ["edit"]
    with committed():
        n.tags.add("新能源")
    assert found(client, "新能源") == ["edit"]
    with committed():
        n.tags.remove("新能源")
    assert found(client, "新能源") == []
    with committed():
        author = AuthorFactory(name="欧阳明")
        AuthorshipFactory(note=n, author=author)
    assert found(client, "欧阳明") == ["edit"]
    author.name = "司马光"
    with committed():
        author.save()
    assert found(client, "司马光") == ["edit"]
    with committed():
        section.delete()
    assert found(client, "改写后") == []


def test_the_index_changes_only_after_the_commit(client, django_capture_on_commit_callbacks):
    n = note("later", title="盐湖提锂")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        n.title = "海上风电"
        n.save()
        SectionFactory(note=n, position=2, body="风机")
        assert SearchEntry.objects.get(note=n).document.startswith(" 盐湖提锂 ")
    assert len(callbacks) == 2  # the search index and the public generation, once each
    for callback in callbacks:
        callback()
    assert SearchEntry.objects.get(note=n).document.startswith(" 海上风电 ")
    assert found(client, "风机") == ["later"]


def test_unpublished_and_deleted_notes_disappear(client):
    n = note("gone", title="人工智能监管")
    assert found(client, "人工智能") == ["gone"]
    n.status = Note.Status.WITHDRAWN
    with committed():
        n.save()
    assert found(client, "人工智能") == []
    n.status = Note.Status.PUBLISHED
    with committed():
        n.save()
    assert found(client, "人工智能") == ["gone"]
    with committed():  # scheduled: no signal, no reindex, the generation moves
        Note.objects.filter(pk=n.pk).update(published_at=NOW + DAY)
        generation.changed()
    assert found(client, "人工智能") == []
    assert client.get(URL, {"q": "人工智能"}).context["results"].total == 0
    Note.objects.filter(pk=n.pk).update(published_at=NOW - DAY, status=Note.Status.DELETED)
    with committed():
        generation.changed()
    assert found(client, "人工智能") == []
    pk = n.pk
    with committed():
        n.delete()
    assert not SearchEntry.objects.filter(note_id=pk).exists()
    assert problems() == {"missing": 0, "stale": 0, "orphaned": 0}


def test_reindex_removes_entries_of_deleted_notes(client):
    n = note("x", title="测试")
    pk = n.pk
    assert found(client, "测试") == ["x"]
    Note.objects.filter(pk=pk)._raw_delete(connection.alias)
    assert problems()["orphaned"] == 1
    reindex([pk])
    assert not SearchEntry.objects.filter(note_id=pk).exists()
    assert problems() == {"missing": 0, "stale": 0, "orphaned": 0}


def test_admin_save_with_inlines_leaves_a_correct_index(client, superuser):
    author = AuthorFactory(name="诸葛亮")
    client.force_login(superuser)
    data = {
        "title": "新的简报", "slug": "xin", "language": "zh-hans", "summary": "摘要。",
        "tags": "海洋经济", "status": "published",
        "published_at_0": "2021-03-22", "published_at_1": "09:00:00",
        "authorships-TOTAL_FORMS": "1", "authorships-INITIAL_FORMS": "0",
        "authorships-0-author": author.pk, "authorships-0-position": "1",
        "sections-TOTAL_FORMS": "1", "sections-INITIAL_FORMS": "0",
        "sections-0-heading": "一、港口", "sections-0-body": "航运指数回升",
        "sections-0-position": "1",
        "figures-TOTAL_FORMS": "0", "figures-INITIAL_FORMS": "0",
    }  # fmt: skip
    with committed():
        response = client.post(reverse("admin:notes_note_add"), data)
    assert response.status_code == 302
    client.logout()
    # The status is read from the note: an update() needs no reindex.
    with committed():
        Note.objects.filter(slug="xin").update(status=Note.Status.PUBLISHED, published_at=NOW - DAY)
        generation.changed()
    for q in ("新的简报", "海洋经济", "诸葛亮", "港口", "航运指数"):
        assert found(client, q) == ["xin"], q


@pytest.mark.parametrize("results", [1, 30])
def test_query_count_is_constant(client, django_assert_num_queries, results):
    author = AuthorFactory()
    for i in range(results):
        n = note(f"q{i}", title="数字人民币试点", body="正文", topics=["金融", f"主题{i}"])
        AuthorshipFactory(note=n, author=author)
    # The matching ids with their times; the topic and author facets (one
    # statement); the ranking; the notes of the page, their bylines, topics,
    # sections and figures' captions; on PostgreSQL a SET LOCAL first; in a
    # transaction (here a savepoint).
    queries = 10 + (connection.vendor == "postgresql")
    generation.current()  # looks up the next scheduled note: once per change, not per page
    with django_assert_num_queries(queries):
        response = client.get(URL, {"q": "数字人民币"})
    assert response.context["results"].total == results
    assert len(response.context["results"].topics) == min(results + 1, 15)
    with django_assert_num_queries(queries + 1):  # the topic is looked up
        response = client.get(URL, {"q": "数字人民币", "topic": "金融"})
    assert response.context["results"].total == results
    with django_assert_num_queries(1):  # the topic again; the results come from the cache
        response = client.get(URL, {"q": "数字人民币", "topic": "金融", "utm": "x"})
    assert response.context["results"].total == results


BAD_INPUT = [
    {"q": ""},
    {"q": "   "},
    {"q": "，。！？、"},
    {"q": "中" * 10_000},
    {"q": "& | ! : * ( ) ' \" NEAR AND OR NOT"},
    {"q": "a:* & !b | (c"},
    {"q": 'NEAR("中美" 布林肯, 2)'},
    {"q": '"unbalanced 中美'},
    {"q": "中美\x00关系"},
    {"q": "😀🇨🇳"},
    {"q": "\x01\x1b[31m\x7f"},
    {"q": "-中美"},
    {"q": "OR OR OR"},
    {"q": "中美", "page": "-1"},
    {"q": "中美", "page": "abc"},
    {"q": "中美", "page": "99999999999999999999"},
    {"q": "中美", "year": "abc"},
    {"q": "中美", "year": "99999"},
    {"q": "中美", "topic": "不存在"},
    {"q": "中美", "topic": "a\x00b"},
    {"q": "中美", "sort": "'; DROP TABLE notes_note; --"},
    {"q": "x" * 300},
]


@pytest.mark.parametrize("params", BAD_INPUT, ids=lambda p: repr(p)[:40])
def test_bad_input_never_breaks(client, corpus, params):
    response = client.get(URL, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<mark>" not in re.sub(r"<mark>[^<]*</mark>", "", html)  # marks are well formed
    assert Note.objects.count() == 14


def test_bad_input_messages(client, corpus):
    assert "请输入要查找的字词" in client.get(URL, {"q": "  "}).content.decode()
    assert "没有可以查找的文字" in client.get(URL, {"q": "，。"}).content.decode()
    assert "只按前 200 个字查找" in client.get(URL, {"q": "中" * 300}).content.decode()
    assert "年份必须是数字" in client.get(URL, {"q": "中美", "year": "abc"}).content.decode()


def test_bounded_ranking_pages_cover_every_match_once(client, monkeypatch):
    """Only the newest RANK_CANDIDATES matches are ranked; the rest follow by date."""
    old_title = note("old-title", title="氢能源规划", days=100)
    for i in range(24):
        note(f"b{i}", title="其他", body="氢能源项目。", days=i + 1)
    monkeypatch.setattr(service, "RANK_CANDIDATES", 5)
    monkeypatch.setattr(service, "PAGE_SIZE", 4)
    pages = [found(client, "氢能源", page=str(p)) for p in range(1, 8)]
    seen = [slug for page in pages for slug in page]
    assert sorted(seen) == sorted([old_title.slug] + [f"b{i}" for i in range(24)])
    # The old note is not among the five newest, so it is not ranked: by date, last.
    assert seen == [f"b{i}" for i in range(24)] + ["old-title"]
    monkeypatch.setattr(service, "RANK_CANDIDATES", 300)
    cache.clear()  # the pages above are kept under the same generation
    assert found(client, "氢能源")[0] == "old-title"


def test_publishing_through_the_workflow_updates_the_index(client, editor):
    from notes import publishing

    n = note("flow", title="海上风电", summary="摘要。", body="正文。", status=Note.Status.DRAFT,
             published_at=None)  # fmt: skip
    with committed():
        AuthorshipFactory(note=n)
    assert found(client, "海上风电") == []
    with committed():
        publishing.publish(note=n, user=editor)
    response = client.get(URL, {"q": "海上风电"})
    assert [h.slug for h in response.context["results"].hits] == ["flow"]
    assert response.context["results"].years == [(timezone.localtime().year, 1)]


def test_scheduled_note_appears_by_time_alone(client):
    """Searches are cached, yet a scheduled note joins when its time comes."""
    import time_machine

    note("now", title="潮汐发电")
    note("later", title="潮汐能源", published_at=NOW + DAY)
    assert found(client, "潮汐") == ["now"]
    with time_machine.travel(NOW + 2 * DAY):
        assert sorted(found(client, "潮汐")) == ["later", "now"]
        assert client.get(URL, {"q": "潮汐"}).context["results"].total == 2


def test_counts_and_facets_follow_the_workflow(client, editor):
    from notes import publishing

    n = note("w1", title="绿色债券", topics=["金融"])
    note("w2", title="绿色债券市场", topics=["金融"])
    results = client.get(URL, {"q": "绿色债券"}).context["results"]
    assert (results.total, [t[2] for t in results.topics]) == (2, [2])
    with committed():
        publishing.withdraw(note=n, user=editor)
    results = client.get(URL, {"q": "绿色债券"}).context["results"]
    assert (results.total, [(t[1], t[2]) for t in results.topics]) == (1, [("金融", 1)])
    assert [hit.slug for hit in results.hits] == ["w2"]


def test_renaming_a_topic_or_an_author_reindexes_their_notes(client):
    n = note("c1", title="海水淡化", topics=["基建"])
    with committed():
        AuthorshipFactory(note=n, author=AuthorFactory(name="欧阳修"))
    assert found(client, "基础设施") == []
    results = client.get(URL, {"q": "海水淡化"}).context["results"]
    assert [(t[1], t[2]) for t in results.topics] == [("基建", 1)]
    from notes.models import Author, Topic

    with committed():
        Topic.objects.filter(name="基建").update(name="基础设施")
        Topic.objects.get(name="基础设施").save()
        author = Author.objects.get(name="欧阳修")
        author.name = "苏东坡"
        author.save()
    assert found(client, "基础设施") == ["c1"]
    assert found(client, "苏东坡") == ["c1"]
    assert found(client, "欧阳修") == []
    results = client.get(URL, {"q": "海水淡化"}).context["results"]
    assert [(t[1], t[2]) for t in results.topics] == [("基础设施", 1)]


def _create_a_full_note():
    from notes.models import Author

    authors = list(Author.objects.order_by("pk")[:3])
    with committed(), transaction.atomic():
        n = NoteFactory(title="完整的简报", topics=[f"主题{i}" for i in range(5)])
        for position in range(1, 9):
            SectionFactory(note=n, position=position, heading=f"第{position}节", body="正文")
        for position, author in enumerate(authors, 1):
            AuthorshipFactory(note=n, author=author, position=position)
    return n


def test_indexing_a_new_note_costs_a_few_queries_once_after_the_commit():
    """8 sections, 3 bylines and 5 topics in one transaction: reindexed once, after it."""
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from django.test.utils import CaptureQueriesContext

    from notes.models import Author, Authorship, Note, Section, TaggedNote, Topic
    from notes.signals import notes_changed
    from search import signals

    for _ in range(3):
        AuthorFactory()
    _create_a_full_note()  # makes the topics: both runs below find them
    with CaptureQueriesContext(connection) as indexed:
        n = _create_a_full_note()
    assert SearchEntry.objects.get(note=n).document.count("第") == 8
    senders = [Note, Section, Authorship, TaggedNote]
    for sender in senders:
        post_save.disconnect(sender=sender, dispatch_uid="search")
        post_delete.disconnect(sender=sender, dispatch_uid="search")
    m2m_changed.disconnect(sender=TaggedNote, dispatch_uid="search")
    post_save.disconnect(sender=Author, dispatch_uid="search")
    post_save.disconnect(sender=Topic, dispatch_uid="search")
    notes_changed.disconnect(dispatch_uid="search")
    try:
        with CaptureQueriesContext(connection) as plain:
            _create_a_full_note()
    finally:
        signals.connect()
    extra = len(indexed) - len(plain)
    assert 0 < extra <= 15, "\n".join(q["sql"][:90] for q in indexed.captured_queries)


def test_past_the_limit_the_count_is_a_lower_bound(client, monkeypatch):
    for i in range(5):
        note(f"m{i}", title="盐湖提锂", days=i + 1, topics=["资源"])
    monkeypatch.setattr(service, "LIMIT", 3)
    response = client.get(URL, {"q": "盐湖"})
    results = response.context["results"]
    assert (results.total, results.more) == (3, True)
    assert [h.slug for h in results.hits] == ["m0", "m1", "m2"]  # the newest three
    assert [(t[1], t[2]) for t in results.topics] == [("资源", 3)]
    html = response.content.decode()
    assert "找到 3+ 篇文章" in html and "以下按最新的 3 篇计数" in html


def test_years_are_counted_in_the_site_s_time_zone(client):
    from datetime import datetime

    local = timezone.get_current_timezone()
    note("new-year", title="跨年简报", published_at=datetime(2021, 1, 1, 0, 30, tzinfo=local))
    note("old-year", title="跨年简报", published_at=datetime(2020, 12, 31, 23, 30, tzinfo=local))
    note("older", title="跨年简报", published_at=datetime(2018, 6, 1, tzinfo=local))
    results = client.get(URL, {"q": "跨年"}).context["results"]
    assert results.years == [(2021, 1), (2020, 1), (2018, 1)]


def test_figure_captions_are_searched_and_shown_in_the_snippet(client):
    from tests.notes.test_figures import make_figure

    n = note("charts", title="出口观察", body="正文没有这个词。")
    with committed():
        figure = make_figure(n, caption="集装箱运价指数走势")
    html = client.get(URL, {"q": "运价指数"}).content.decode()
    assert "出口观察" in html and "<mark>运价指数</mark>" in html
    with committed():
        figure.delete()
    assert "出口观察" not in client.get(URL, {"q": "运价指数"}).content.decode()


def test_snippets_show_figure_numbers_and_no_footnote_marks(client):
    note("marks", title="标记", body="运价上涨[^1]，见[[图1]]。\n\n[[图1]]\n\n[^1]: 运价来自示例。")
    html = client.get(URL, {"q": "运价"}).content.decode()
    snippet = re.search(r'<p class="search-snippet"[^>]*>(.*?)</p>', html, re.S).group(1)
    assert "见 图1" in snippet
    assert "[^" not in snippet and "]]" not in snippet and "[[" not in snippet
