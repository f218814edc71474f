"""Every public page's statements are answered by indexes, on PostgreSQL.

Over a few thousand generated notes (distributed like a real site's: a topic on
most notes, a long tail, a busy month, a note with 40 topics), each page type
is requested and every statement it runs is explained with sequential scans
disabled: a plan that still reads ``notes_note`` or the taggings table from end
to end means no index can serve that statement, and its cost grows with the
number of notes. (The counts are computed on every request here: the tests keep
no counts in the cache.)
"""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.dataset import generate
from notes.models import Author, Note, Series, TaggedNote, Topic

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="query plans are PostgreSQL's (CI runs them)"
    ),
]

GUARDED = {"notes_note", "notes_taggednote"}


def sequential_scans(plan):
    """The guarded tables a plan reads with a sequential scan."""
    found = []
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") in GUARDED:
        found.append(plan["Relation Name"])
    for child in plan.get("Plans", []):
        found += sequential_scans(child)
    return found


def explain(sql):
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0]  # psycopg decodes the JSON
            return (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]
        finally:
            cursor.execute("RESET enable_seqscan")


@pytest.fixture
def site():
    """3,000 generated notes, one of them with 40 topics, with fresh statistics."""
    generate(3000, seed=7, batch_size=1000)
    published = Note.objects.published()
    many = published.order_by("-published_at").first()
    topics = list(Topic.objects.exclude(tagged_notes__content_object=many)[:40])
    TaggedNote.objects.bulk_create(TaggedNote(content_object=many, tag=t) for t in topics)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return many


def page_urls(many):
    published = Note.objects.published()
    local = timezone.localtime
    commonest = max(Topic.objects.public(), key=lambda t: t.tagged_notes.count())
    rarest = min(Topic.objects.public(), key=lambda t: t.tagged_notes.count())
    author = Author.objects.public().first()
    series = Series.objects.public().first()
    busiest = max(
        ((d.year, d.month) for d in published.values_list("published_at", flat=True)),
        key=lambda ym: published.filter(
            published_at__year=ym[0], published_at__month=ym[1]
        ).count(),
    )
    plain = published.exclude(pk=many.pk).filter(series__isnull=False).first()
    year = local(plain.published_at).year
    return [
        "/",
        "/notes/",
        "/notes/?page=50",
        "/notes/?page=99999999",
        f"/notes/?topic={commonest.slug}",
        f"/notes/?topic={rarest.slug}",
        f"/notes/?topic={commonest.slug}&topic={rarest.slug}&year={year}",
        f"/notes/?author={author.slug}&year={busiest[0]}&month={busiest[1]}",
        "/topics/",
        commonest.get_absolute_url(),
        commonest.get_absolute_url() + "?page=40",
        rarest.get_absolute_url(),
        "/authors/",
        author.get_absolute_url(),
        "/series/",
        series.get_absolute_url(),
        plain.get_absolute_url(),
        many.get_absolute_url(),
        "/archive/",
        f"/archive/{busiest[0]}/",
        f"/archive/{busiest[0]}/{busiest[1]}/",
        f"/archive/{busiest[0]}/{busiest[1]}/?page=5",
        "/feed/",
        commonest.get_absolute_url() + "feed/",
        "/sitemap.xml",
        "/sitemap-notes.xml",
        "/sitemap-topics.xml",
        "/sitemap-authors.xml",
        "/sitemap-series.xml",
        "/sitemap-pages.xml",
    ]


def test_an_index_serves_every_statement_of_every_public_page(client, site):
    scans = []
    for url in page_urls(site):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        selects = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
        assert selects, url
        for sql in selects:
            tables = sequential_scans(explain(sql))
            if tables:
                statement = re.sub(r"\s+", " ", sql)[:300]
                scans.append(f"{url}: {', '.join(tables)} in {statement}")
    assert not scans, "\n".join(scans)


def test_the_guard_sees_a_sequential_scan(site):
    """An unindexed condition on the notes is caught (the guard is not blind)."""
    sql = "SELECT id FROM notes_note WHERE summary LIKE '%美%'"
    assert sequential_scans(explain(sql)) == ["notes_note"]
