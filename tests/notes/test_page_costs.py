"""What keeps each public page's work bounded: counts kept per content generation,
pages read by id, related notes from a bounded set, neighbours by a range, and the
generator's realistic distribution; with the bad input each must survive."""

from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notes import generation
from notes.models import Author, Authorship, Note, TaggedNote, Topic
from tests.factories import AuthorFactory, NoteFactory, SeriesFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def counts_cache(settings):
    settings.COUNTS_CACHE = True


def test_counts_are_computed_once_per_content_generation(
    client, counts_cache, django_assert_num_queries
):
    NoteFactory(topics=["中美关系", "贸易"])
    generation.current()
    with django_assert_num_queries(1):
        assert "中美关系" in client.get("/topics/").content.decode()
    with django_assert_num_queries(0):
        client.get("/topics/")
    NoteFactory(topics=["货币政策"])
    generation.bump()  # what the commit of the change does
    generation.current()
    with django_assert_num_queries(1):
        assert "货币政策" in client.get("/topics/").content.decode()


def test_the_topic_and_author_indexes_are_written_once_per_generation_and_language(
    client, counts_cache, django_assert_num_queries
):
    note = NoteFactory(topics=["中美关系"])
    note.authorships.create(author=AuthorFactory(name="林晓岚"), position=1)
    generation.current()
    for url, index, name, later in (
        ("/topics/", "notes/_topic_index.html", "中美关系", "贸易"),
        ("/authors/", "notes/_author_index.html", "林晓岚", "王宁"),
    ):
        with django_assert_num_queries(1):
            first = client.get(url)
        with django_assert_num_queries(0):
            again = client.get(url)
            english = client.get(f"/en{url}")
        assert index in [t.name for t in first.templates]
        assert index not in [t.name for t in again.templates]
        assert index in [t.name for t in english.templates]
        assert name in again.content.decode() and "1 篇" in again.content.decode()
        assert name in english.content.decode() and "1 note" in english.content.decode()
        added = NoteFactory(topics=[later])
        added.authorships.create(author=AuthorFactory(name=later), position=1)
        generation.bump()  # what the commit of the change does
        generation.current()
        assert later in client.get(url).content.decode()


def test_a_list_is_counted_once_per_generation_and_per_filter(
    client, counts_cache, django_assert_num_queries
):
    for _ in range(3):
        NoteFactory(topics=["贸易"])
    NoteFactory(topics=["能源"])
    generation.current()
    first = client.get("/notes/?topic=贸易")
    assert first.context["page_obj"].paginator.count == 3
    with django_assert_num_queries(5):  # the topic, the page's ids, notes, bylines, topics
        again = client.get("/notes/?topic=贸易")
    assert again.context["page_obj"].paginator.count == 3
    assert client.get("/notes/?topic=能源").context["page_obj"].paginator.count == 1


def test_pages_read_from_either_end_follow_one_order(client):
    now = timezone.now()
    # Ties in the publication time are ordered by id, from the start and from the end.
    for i in range(45):
        NoteFactory(published_at=now - timedelta(hours=i // 3))
    expected = list(Note.objects.published().values_list("pk", flat=True))
    seen = []
    for page in (1, 2, 3):
        response = client.get(f"/notes/?page={page}")
        seen += [note.pk for note in response.context["page_obj"].object_list]
    assert seen == expected


@pytest.mark.parametrize(
    ("page", "shown"), [("99999999", 3), ("-1", 3), ("abc", 1), ("0", 3), ("1e9", 1)]
)
def test_a_page_out_of_range_gives_the_nearest(client, page, shown):
    for _ in range(45):
        NoteFactory()
    response = client.get(f"/notes/?page={page}")
    assert response.status_code == 200
    assert response.context["page_obj"].number == shown
    assert len(response.context["page_obj"].object_list) == (5 if shown == 3 else 20)


def test_an_archive_page_out_of_range_is_404(client):
    note = NoteFactory()
    year = timezone.localtime(note.published_at).year
    assert client.get(f"/archive/{year}/?page=99999999").status_code == 404
    assert client.get(f"/archive/{year}/?page=abc").status_code == 404
    assert client.get(f"/archive/{year}/?page=1").status_code == 200


def test_the_archive_looks_up_neighbouring_periods_without_reading_their_notes(
    client, django_assert_num_queries
):
    march = timezone.make_aware(timezone.datetime(2022, 3, 15, 12))
    NoteFactory(published_at=march, topics=["贸易"])
    generation.current()
    with CaptureQueriesContext(connection) as alone:
        client.get("/archive/2022/")
        client.get("/archive/2022/3/")
    for when in (
        march - timedelta(days=400),
        march - timedelta(days=40),
        march + timedelta(days=40),
    ):
        NoteFactory(published_at=when, topics=["贸易"])
    with django_assert_num_queries(len(alone)):  # one statement a neighbour either way
        year = client.get("/archive/2022/")
        month = client.get("/archive/2022/3/")
    assert (year.context["previous_year"].year, year.context["next_year"]) == (2021, None)
    assert month.context["previous_month"].month == 2 and month.context["next_month"].month == 4


def test_a_month_filter_is_a_range_in_the_sites_time_zone(client):
    # 2021-03-31 23:30 in Shanghai is still March there, April 1st nowhere near.
    march = timezone.make_aware(timezone.datetime(2021, 3, 31, 23, 30))
    NoteFactory(title="三月末", published_at=march)
    NoteFactory(title="四月初", published_at=march + timedelta(hours=1))
    titles = {
        n.title for n in client.get("/notes/?year=2021&month=3").context["page_obj"].object_list
    }
    assert titles == {"三月末"}
    titles = {
        n.title for n in client.get("/notes/?year=2021&month=12").context["page_obj"].object_list
    }
    assert titles == set()


def test_related_notes_come_from_the_rarest_topics_ranked_by_shared_topics(monkeypatch):
    now = timezone.now()
    note = NoteFactory(topics=["常见", "罕见", "其他"])
    for i in range(5):
        NoteFactory(published_at=now - timedelta(hours=i), topics=["常见"])
    both = NoteFactory(published_at=now - timedelta(days=9), topics=["常见", "罕见"])
    three = NoteFactory(published_at=now - timedelta(days=10), topics=["常见", "罕见", "其他"])
    rare = NoteFactory(published_at=now - timedelta(days=3), topics=["罕见"])
    NoteFactory(status=Note.Status.DRAFT, published_at=None, topics=["罕见", "常见", "其他"])
    related = note.related_notes()
    assert related[:2] == [three, both] and len(related) == 5
    # From the two rarest topics only: the notes on the commonest alone are not weighed.
    monkeypatch.setattr(Note, "RELATED_TOPICS", 2)
    related = note.related_notes()
    assert related == [three, both, rare]
    assert [n.shared for n in related] == [3, 2, 1]


def test_a_note_with_40_topics_has_its_page(client):
    topics = [f"主题{i}" for i in range(40)]
    note = NoteFactory(topics=topics)
    other = NoteFactory(topics=topics[:3])
    response = client.get(note.get_absolute_url())
    assert response.status_code == 200
    assert response.context["related"] == [other]


def test_series_neighbours_at_the_same_instant_keep_the_order():
    series = SeriesFactory()
    when = timezone.now() - timedelta(days=1)
    first, second, third = (NoteFactory(series=series, published_at=when) for _ in range(3))
    earlier = NoteFactory(series=series, published_at=when - timedelta(days=1))
    NoteFactory(series=series, status=Note.Status.DRAFT, published_at=None)
    assert second.series_neighbours() == (first, third)
    assert first.series_neighbours() == (earlier, second)
    assert third.series_neighbours() == (second, None)
    assert earlier.series_neighbours() == (None, first)


def test_generate_notes_on_the_demo_content_twice():
    call_command("seed_demo", stdout=StringIO())
    demo = Note.objects.count()
    for _ in range(2):
        call_command("generate_notes", "30", "--no-index", stdout=StringIO(), stderr=StringIO())
    assert Note.objects.count() == demo + 60
    # The demo's series and types are reused by name, not made again.
    assert Note.objects.filter(series__name="热点").count() > 1


def test_generated_notes_are_distributed_like_a_real_sites():
    from bench.dataset import generate

    generate(2000, seed=3)
    per_topic = Counter(TaggedNote.objects.values_list("tag_id", flat=True))
    assert Topic.objects.count() >= 400 and len(per_topic) >= 200
    commonest, *rest = sorted(per_topic.values(), reverse=True)
    assert commonest > 0.5 * 2000  # one topic on most notes
    assert rest[0] > 3 * rest[20] and sorted(rest)[len(rest) // 2] < 20  # a long tail
    per_note = Counter(TaggedNote.objects.values_list("content_object_id", flat=True))
    assert max(per_note.values()) >= 20  # a round-up with dozens
    per_author = Counter(Authorship.objects.values_list("author_id", flat=True))
    assert Author.objects.count() >= 300
    top = sorted(per_author.values(), reverse=True)
    assert top[0] > 10 * top[len(top) // 2]
    per_series = Counter(Note.objects.values_list("series_id", flat=True))
    assert len(per_series) >= 10 and max(per_series.values()) > 10 * min(per_series.values())
    per_month = Counter(
        (timezone.localtime(d).year, timezone.localtime(d).month)
        for d in Note.objects.published().values_list("published_at", flat=True)
    )
    assert max(per_month.values()) > 0.08 * 2000  # one busy month
