"""Unpublished notes appear nowhere public: one table over public URLs × note states."""

import pytest
from django.utils import timezone

from notes.models import Note, Topic
from tests.factories import (
    AuthorFactory,
    AuthorshipFactory,
    NoteFactory,
    SectionFactory,
    SeriesFactory,
    committed,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()
DAYS_AGO = NOW - timezone.timedelta(days=3)
SOON = NOW + timezone.timedelta(hours=1)

STATES = {
    "draft": {"status": Note.Status.DRAFT, "published_at": None},
    "draft-with-date": {"status": Note.Status.DRAFT, "published_at": DAYS_AGO},
    "review": {"status": Note.Status.REVIEW, "published_at": DAYS_AGO},
    "scheduled": {"status": Note.Status.PUBLISHED, "published_at": SOON},
    "withdrawn": {"status": Note.Status.WITHDRAWN, "published_at": DAYS_AGO},
    "deleted": {"status": Note.Status.DELETED, "published_at": DAYS_AGO},
}  # fmt: skip

PUBLIC_URLS = [
    "/", "/notes/", "/notes/?topic=shared", "/notes/?topic=secret-topic",
    "/notes/?author=shared-author",
    "/notes/?series=shared-series", "/topics/", "/topics/shared/", "/authors/",
    "/authors/shared-author/", "/series/shared-series/", "/archive/", "/archive/{year}/",
    "/archive/{year}/{month}/", "/feed/", "/feed/rss/", "/topics/shared/feed/",
    "/authors/shared-author/feed/", "/series/shared-series/feed/", "/sitemap.xml",
    "{visible}", "/search/?q=标题", "/search/?q=secretnote", "/search/?q=标题&topic=shared",
    "/search/?q=标题&sort=date", "/search/?q=shared",
    # Names used only on unpublished work: topic, author and series pages, feeds, filters.
    "/topics/secret-topic/", "/topics/secret-topic/feed/", "/authors/secret-author/",
    "/authors/secret-author/feed/", "/series/secret-series/", "/series/secret-series/feed/",
    "/notes/?author=secret-author", "/notes/?series=secret-series",
    "/notes/?topic=shared&topic=secret-topic", "/search/?q=shared&author=secret-author",
    "/search/?q=shared&topic=secret-topic", "/search/?q=shared&series=secret-series",
]  # fmt: skip

#: Pages of names that appear only on unpublished work: never found.
NAME_URLS = [
    "/topics/secret-topic/", "/topics/secret-topic/feed/", "/authors/secret-author/",
    "/authors/secret-author/feed/", "/series/secret-series/", "/series/secret-series/feed/",
]  # fmt: skip

SECRET = "SECRETNOTE"


@pytest.fixture
def world(request):
    """One published note and one hidden note sharing its topic, author and series."""
    with committed():
        return _world(request.param)


def _world(state):
    series, author = SeriesFactory(slug="shared-series"), AuthorFactory(slug="shared-author")
    visible = NoteFactory(
        title="公开的文章", series=series, published_at=NOW - timezone.timedelta(days=2),
        topics=["shared"],
    )  # fmt: skip
    AuthorshipFactory(note=visible, author=author, position=1)
    SectionFactory(note=visible)
    hidden = NoteFactory(
        title=f"{SECRET}标题", slug="secret-slug", series=series, topics=["shared"],
        summary=f"{SECRET}摘要", **STATES[state],
    )  # fmt: skip
    hidden.tags.add(Topic.objects.create(name=f"{SECRET}话题", slug="secret-topic"))
    AuthorshipFactory(note=hidden, author=author, position=1)
    secret_author = AuthorFactory(
        slug="secret-author", name=f"{SECRET}作者", title=f"{SECRET}职务",
        affiliation=f"{SECRET}单位", bio=f"{SECRET}简介",
    )  # fmt: skip
    AuthorshipFactory(note=hidden, author=secret_author, position=2)
    in_secret_series = NoteFactory(
        title=f"{SECRET}栏目文章", slug="secret-slug-2",
        series=SeriesFactory(slug="secret-series", name=f"{SECRET}栏目"),
        **STATES[state],
    )  # fmt: skip
    AuthorshipFactory(note=in_secret_series, author=author, position=1)
    return visible, hidden


@pytest.mark.parametrize("world", STATES, indirect=True)
@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_hidden_notes_appear_nowhere(client, world, url):
    visible, _hidden = world
    local = visible.published_at.astimezone()
    url = url.format(year=local.year, month=local.month, visible=visible.get_absolute_url())
    response = client.get(url)
    assert response.status_code in (200, 404)
    body = response.content.decode()
    assert SECRET not in body
    assert "secret-slug" not in body
    if "secret-author" not in url:  # a slug the reader typed may be echoed in the error
        assert "secret-author" not in body


@pytest.mark.parametrize("world", STATES, indirect=True)
def test_hidden_notes_are_404_and_not_counted(client, world):
    visible, hidden = world
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(f"/notes/{hidden.pk}/").status_code == 404
    for url in NAME_URLS:
        assert client.get(url).status_code == 404, url
    for q in ("标题", "secretnote", "shared"):
        assert client.get("/search/", {"q": q}).context["results"].total == (q == "shared")
    topics = {t.name: t.count for t in client.get("/topics/").context["topics"]}
    assert topics == {"shared": 1}
    authors = {a.slug: a.count for a in client.get("/authors/").context["authors"]}
    assert authors == {"shared-author": 1}
    assert sum(b.count for b in client.get("/archive/").context["chart"].bars) == 1
    detail = client.get(visible.get_absolute_url()).context
    assert detail["related"] == []
    assert (detail["previous"], detail["next"]) == (None, None)
