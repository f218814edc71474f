"""Search: relevance, filters, facets, the index following edits, bad input.

Runs on SQLite and, with DATABASE_URL, on PostgreSQL.
"""

import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from notes import generation
from notes.models import Note
from notes.search.index import counts, reindex
from tests.factories import AuthorFactory, AuthorshipFactory, NoteFactory, SectionFactory

pytestmark = pytest.mark.django_db

#: In the "memory" runs, these tokens are frequent (``notes/search/frequent.py``):
#: tested over the catalogue's bitsets, while the others are looked up in the
#: index. Some queries are then answered from memory alone (中美), some in part
#: (中美 对话), some by the index alone.
FREQUENT = [
    "中", "美", "中美", "关", "关系", "美关", "美关系", "布林肯", "台湾", "会晤", "经", "经贸",
    "哈", "哈哈", "哈哈哈", "鑫", "gdp", "federal", "reserve", "tariff", "us", "new", "the",
    "稀土", "关税", "能源", "碳中和", "海水淡化", "潮汐", "绿色", "债券", "人工智能", "正文",
    "数字人", "字人民", "人民币", "氢能源", "盐湖", "原来的", "改写后",
]  # fmt: skip


@pytest.fixture(autouse=True, params=["index", "memory"])
def frequent_tokens(request):
    """Every test here runs twice: with every token looked up in the index,
    and with :data:`FREQUENT` kept in memory (the rows are packed for them as
    the tests write notes)."""
    from notes.search import frequent

    if request.param == "memory":
        frequent.store(FREQUENT)
    return request.param


NOW = timezone.now()
DAY = timezone.timedelta(days=1)
URL = reverse("notes:search")


def note(key, *, title="", summary="", heading="", body="", days=10, topics=(), **kwargs):
    kwargs.setdefault("published_at", NOW - days * DAY)
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
    return [hit.note.slug for hit in response.context["results"].hits]


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
    assert not {h.note.pk for h in first.hits} & {h.note.pk for h in second.hits}
    beyond = client.get(URL, {"q": "碳中和", "page": "99"}).context["results"]
    assert beyond.page == 2 and len(beyond.hits) == 5


def test_index_follows_edits(client):
    n = note("edit", title="旧标题", body="原来的正文")
    assert found(client, "原来的正文") == ["edit"]
    section = n.sections.get()
    section.body = "改写后的正文"
    section.save()
    assert found(client, "原来的正文") == []
    assert found(client, "改写后") == ["edit"]
    n.tags.add("新能源")
    assert found(client, "新能源") == ["edit"]
    n.tags.remove("新能源")
    assert found(client, "新能源") == []
    author = AuthorFactory(name="欧阳明")
    AuthorshipFactory(note=n, author=author)
    assert found(client, "欧阳明") == ["edit"]
    author.name = "司马光"
    author.save()
    assert found(client, "司马光") == ["edit"]
    section.delete()
    assert found(client, "改写后") == []


def test_unpublished_and_deleted_notes_disappear(client):
    n = note("gone", title="人工智能监管")
    assert found(client, "人工智能") == ["gone"]
    n.status = Note.Status.WITHDRAWN
    n.save()
    assert found(client, "人工智能") == []
    n.status = Note.Status.PUBLISHED
    n.save()
    assert found(client, "人工智能") == ["gone"]
    Note.objects.filter(pk=n.pk).update(published_at=NOW + DAY)  # scheduled, no signal
    reindex([n.pk])  # what every update() of a note must be followed by
    assert found(client, "人工智能") == []
    assert client.get(URL, {"q": "人工智能"}).context["results"].total == 0
    pk = n.pk
    n.delete()
    assert tombstone(pk)
    assert found(client, "人工智能") == []


def tombstone(pk):
    """Whether the index row of ``pk`` is emptied (see ``index.delete``)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT document, topic_ids, frequent FROM notes_search WHERE note_id = %s", [pk]
        )
        document, topics, bits = cursor.fetchone()
        cursor.execute(
            "SELECT COUNT(*) FROM notes_search WHERE note_id = %s AND vector <> ''"
            if connection.vendor == "postgresql"
            else "SELECT COUNT(*) FROM notes_search_fts WHERE rowid = %s",
            [pk],
        )
        rows_in_index = cursor.fetchone()[0]
    return document == "" and topics in ([], "[]") and bits is None and rows_in_index == 0


def test_reindex_empties_rows_of_deleted_notes(client):
    n = note("x", title="测试")
    pk = n.pk
    assert found(client, "测试") == ["x"]
    Note.objects.filter(pk=pk)._raw_delete(connection.alias)
    reindex([pk])
    assert tombstone(pk)
    assert client.get(URL, {"q": "测试"}).context["results"].total == 0
    assert counts()["tombstones"] == 1


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
    }  # fmt: skip
    response = client.post(reverse("admin:notes_note_add"), data)
    assert response.status_code == 302
    client.logout()
    # A status written with update() (as the workflow does) needs reindex() after it.
    Note.objects.filter(slug="xin").update(status=Note.Status.PUBLISHED, published_at=NOW - DAY)
    reindex(Note.objects.filter(slug="xin").values_list("pk", flat=True))
    for q in ("新的简报", "海洋经济", "诸葛亮", "港口", "航运指数"):
        assert found(client, q) == ["xin"], q


@pytest.mark.parametrize("results", [1, 30])
def test_query_count_is_constant(client, django_assert_num_queries, results, frequent_tokens):
    author = AuthorFactory()
    for i in range(results):
        n = note(f"q{i}", title="数字人民币试点", body="正文", topics=["金融", f"主题{i}"])
        AuthorshipFactory(note=n, author=author)
    # SET LOCAL (PostgreSQL, for index lookups only), the matches, the
    # ranking, the notes, their bylines, their topics and their sections. From memory
    # (数字人民币 is frequent there), the index is not asked: the statement
    # only reads the highest revision. Reading the catalogue (once per
    # process and change) takes five more: the highest revision, the
    # vocabulary, the notes, their topics' and their authors' names.
    lookups = frequent_tokens == "index"
    queries = 6 + (connection.vendor == "postgresql" and lookups)
    generation.current()  # looks up the next scheduled note: once per change, not per page
    with django_assert_num_queries(queries + 5):
        response = client.get(URL, {"q": "数字人民币"})
    assert response.context["results"].total == results
    with django_assert_num_queries(queries):  # the catalogue is current
        response = client.get(URL, {"q": "数字人民币"})
    assert response.context["results"].total == results
    assert len(response.context["results"].topics) == min(results + 1, 15)
    with django_assert_num_queries(queries + 1):  # the topic is looked up; the filtered ids
        response = client.get(URL, {"q": "数字人民币", "topic": "金融"})  # come with the matches
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
    from notes.search import engine

    old_title = note("old-title", title="氢能源规划", days=100)
    for i in range(24):
        note(f"b{i}", title="其他", body="氢能源项目。", days=i + 1)
    monkeypatch.setattr(engine, "RANK_CANDIDATES", 5)
    monkeypatch.setattr(engine, "PAGE_SIZE", 4)
    pages = [found(client, "氢能源", page=str(p)) for p in range(1, 8)]
    seen = [slug for page in pages for slug in page]
    assert sorted(seen) == sorted([old_title.slug] + [f"b{i}" for i in range(24)])
    # The old note is not among the five newest, so it is not ranked: by date, last.
    assert seen == [f"b{i}" for i in range(24)] + ["old-title"]
    monkeypatch.setattr(engine, "RANK_CANDIDATES", 300)
    assert found(client, "氢能源")[0] == "old-title"


def test_publishing_through_the_workflow_updates_the_index(client, editor):
    from notes import publishing

    n = note("flow", title="海上风电", summary="摘要。", body="正文。", status=Note.Status.DRAFT,
             published_at=None)  # fmt: skip
    AuthorshipFactory(note=n)
    assert found(client, "海上风电") == []
    publishing.publish(note=n, user=editor)
    response = client.get(URL, {"q": "海上风电"})
    assert [h.note.slug for h in response.context["results"].hits] == ["flow"]
    assert response.context["results"].years == [(timezone.localtime().year, 1)]


def test_scheduled_note_appears_by_time_alone(client):
    """The catalogue is current, yet a scheduled note joins when its time comes."""
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
    publishing.withdraw(note=n, user=editor)
    results = client.get(URL, {"q": "绿色债券"}).context["results"]
    assert (results.total, [(t[1], t[2]) for t in results.topics]) == (1, [("金融", 1)])
    assert [hit.note.slug for hit in results.hits] == ["w2"]


def test_rows_are_stamped_again_after_commit(django_capture_on_commit_callbacks):
    """A commit stamps the rows it wrote again (see index._restamp)."""

    def revisions():
        with connection.cursor() as cursor:
            cursor.execute("SELECT note_id, revision FROM notes_search ORDER BY note_id")
            return dict(cursor.fetchall())

    other = note("r0", title="其他")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        written = note("r1", title="标记")
    before = revisions()
    assert callbacks
    for callback in callbacks:
        callback()
    after = revisions()
    assert after[written.pk] > max(before.values())
    assert after[other.pk] == before[other.pk]


def test_catalogue_takes_in_what_changed_without_reading_everything(client, editor):
    from notes import publishing
    from notes.models import Topic
    from notes.search import catalogue

    first = note("c1", title="海水淡化", topics=["水资源"])
    assert found(client, "海水淡化") == ["c1"]
    (read,) = catalogue._cached.values()
    second = note("c2", title="海水淡化工程", topics=["水资源", "基建"], days=1)
    results = client.get(URL, {"q": "海水淡化"}).context["results"]
    (now,) = catalogue._cached.values()
    assert now is not read and now.loaded_at == read.loaded_at  # brought up to date
    assert [hit.note.slug for hit in results.hits] == ["c2", "c1"]
    assert [(t[1], t[2]) for t in results.topics] == [("水资源", 2), ("基建", 1)]
    Topic.objects.filter(name="基建").update(name="基础设施")
    Topic.objects.get(name="基础设施").save()  # a rename reindexes the topic's notes
    publishing.withdraw(note=first, user=editor)
    results = client.get(URL, {"q": "海水淡化"}).context["results"]
    assert results.total == 1
    assert [(t[1], t[2]) for t in results.topics] == [("基础设施", 1), ("水资源", 1)]
    assert catalogue._cached[next(iter(catalogue._cached))].loaded_at == read.loaded_at
    second.delete()
    assert client.get(URL, {"q": "海水淡化"}).context["results"].total == 0


def test_catalogue_is_read_again_when_old(client, monkeypatch):
    from notes.search import catalogue

    note("a1", title="盐湖提锂")
    assert found(client, "盐湖") == ["a1"]
    first = next(iter(catalogue._cached.values()))
    assert found(client, "盐湖") == ["a1"]
    assert next(iter(catalogue._cached.values())) is first
    monkeypatch.setattr(catalogue, "MAX_AGE", 0)
    assert found(client, "盐湖") == ["a1"]
    assert next(iter(catalogue._cached.values())) is not first
