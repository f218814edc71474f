"""What a note's page costs once its related notes and neighbours are kept per
content generation, and that a change shows at once."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notes import generation
from tests.factories import NoteFactory, SeriesFactory

pytestmark = pytest.mark.django_db


def test_related_notes_and_neighbours_are_worked_out_once_per_generation(
    client, settings, django_assert_num_queries
):
    settings.COUNTS_CACHE = True
    now = timezone.now()
    series = SeriesFactory()
    note = NoteFactory(series=series, topics=["贸易"], published_at=now - timedelta(days=2))
    generation.current()
    first = client.get(note.get_absolute_url())
    assert (first.context["related"], first.context["next"]) == ([], None)
    # The note (with whether it has figures or corrections: it has none), its bylines,
    # sections and topics: nothing else.
    with django_assert_num_queries(4):
        client.get(note.get_absolute_url())

    later = NoteFactory(series=series, topics=["贸易"], published_at=now - timedelta(days=1))
    generation.bump()  # what the commit of the change does
    generation.current()
    response = client.get(note.get_absolute_url())
    assert response.context["related"] == [later]
    assert (response.context["previous"], response.context["next"]) == (None, later)
    assert later.get_absolute_url() in response.content.decode()


def test_a_page_reads_the_generation_once(client, settings, monkeypatch):
    settings.COUNTS_CACHE = True
    note = NoteFactory(topics=["贸易"])
    reads = []
    state = generation.state
    monkeypatch.setattr(generation, "state", lambda **kw: reads.append(kw) or state(**kw))
    for url in ("/", "/notes/", "/notes/?topic=贸易", note.get_absolute_url()):
        reads.clear()
        assert client.get(url).status_code == 200
        # The page cache reads it before the page is rendered; what the page keeps per
        # generation (counts, related notes) is kept under that number.
        assert len(reads) == 1, url
    assert generation._serving.get() is None


def test_figures_and_corrections_are_read_when_the_note_has_them(client, settings, tmp_path):
    from notes import history
    from notes.models import Correction
    from tests.notes.test_figures import make_figure

    settings.MEDIA_ROOT = tmp_path
    series = SeriesFactory()
    plain, note = (NoteFactory(series=series, topics=["贸易"]) for _ in range(2))
    make_figure(note, caption="进出口走势")
    Correction.objects.create(
        note=note,
        number=1,
        kind="update",
        message="数据更新",
        previous=history.snapshot_of_note(note),
    )

    def tables_read(url):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        # Their own statements, not the note's look in their indexes (``EXISTS``).
        tables = {
            table
            for query in queries
            for table in ("notes_figure", "notes_correction")
            if query["sql"].startswith(f'SELECT "{table}".')
        }
        return response, tables, len(queries)

    tables_read(note.get_absolute_url())  # the next scheduled note is looked up once
    response, tables, count = tables_read(plain.get_absolute_url())
    assert tables == set() and response.context["corrections"] == []
    response, tables, with_both = tables_read(note.get_absolute_url())
    assert tables == {"notes_figure", "notes_correction"} and with_both == count + 2
    assert [c.message for c in response.context["corrections"]] == ["数据更新"]
    html = response.content.decode()
    assert "进出口走势" in html and "数据更新" in html
