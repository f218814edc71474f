"""Every public list page and the note page run a fixed number of queries."""

import pytest

from notes import generation
from tests.factories import (
    AuthorFactory,
    AuthorshipFactory,
    NoteFactory,
    SectionFactory,
    SeriesFactory,
)

pytestmark = pytest.mark.django_db

# url -> queries, whatever the number of notes.
# A list reads its page's ids, then their notes (notes.paging). The counts are computed
# each time here (COUNTS_CACHE is off in tests); the counts' own tests check the cache.
PAGES = {
    "/": 5,
    "/notes/": 6,
    "/notes/?topic=t0&author=a0&year={year}": 8,
    "/topics/": 1,
    "/topics/t0/": 6,
    "/authors/": 1,
    "/authors/a0/": 6,
    "/series/s0/": 6,
    "/archive/": 1,
    "/archive/{year}/": 9,
    "/archive/{year}/{month}/": 8,
    "/feed/": 4,
    "/topics/t0/feed/": 5,
    "/sitemap.xml": 6,
    "/sitemap-notes.xml": 3,
    "/sitemap-topics.xml": 1,
    "NOTE": 7,  # a note without figures or corrections (tests/notes/test_note_page_costs.py)
}


def make_notes(count, *, series, author):
    notes = []
    for _ in range(count):
        note = NoteFactory(series=series, topics=["t0", "t1"])
        AuthorshipFactory(note=note, author=author, position=1)
        AuthorshipFactory(note=note, position=2)
        SectionFactory(note=note, position=1)
        SectionFactory(note=note, position=2)
        notes.append(note)
    return notes


def page_url(url, note):
    if url == "NOTE":
        return note.get_absolute_url()
    local = note.published_at.astimezone()
    return url.format(year=local.year, month=local.month)


@pytest.mark.parametrize("url", PAGES)
def test_query_count_is_the_same_for_1_and_50_notes(client, url, django_assert_num_queries):
    author, series = AuthorFactory(slug="a0"), SeriesFactory(slug="s0")
    first = make_notes(1, series=series, author=author)[0]
    generation.current()  # looks up the next scheduled note: once per change, not per page
    with django_assert_num_queries(PAGES[url]):
        assert client.get(page_url(url, first)).status_code == 200
    make_notes(49, series=series, author=author)
    with django_assert_num_queries(PAGES[url]):
        response = client.get(page_url(url, first))
        assert response.status_code == 200
    if "page_obj" in (response.context or {}):
        assert len(response.context["page_obj"].object_list) == 20
