"""What a note's page costs once its related notes and neighbours are kept per
content generation, and that a change shows at once."""

from datetime import timedelta

import pytest
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
    # The note, its bylines, sections, topics, corrections and figures: nothing else.
    with django_assert_num_queries(6):
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
