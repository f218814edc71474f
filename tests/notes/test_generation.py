"""The public content generation: shared, bumped once per commit, and by the clock."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from notes import generation, publishing
from notes.models import Note
from tests.factories import AuthorFactory, NoteFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def bumps(callbacks):
    return [c for c in callbacks if getattr(c, "func", None) is generation._bump_after_commit]


def test_stable_without_changes():
    first = generation.current()
    assert first is not None
    assert generation.current() == first


def test_a_save_bumps_once_after_commit(django_capture_on_commit_callbacks):
    before = generation.current()
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        note = NoteFactory(topics=["中美关系", "贸易"])
        SectionFactory(note=note)
        SectionFactory(note=note)
        note.authorships.create(author=AuthorFactory(), position=1)
    assert len(bumps(callbacks)) == 1
    assert generation.current() == before  # not yet run
    bumps(callbacks)[0]()
    assert generation.current() != before


def test_a_rolled_back_savepoint_registers_the_bump_again(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        try:
            with transaction.atomic():
                NoteFactory()
                raise RuntimeError
        except RuntimeError:
            pass
        NoteFactory()
    assert len(bumps(callbacks)) == 1


def test_a_rolled_back_transaction_bumps_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        try:
            with transaction.atomic():
                NoteFactory()
                raise RuntimeError
        except RuntimeError:
            pass
    assert bumps(callbacks) == []


def test_a_workflow_step_bumps(editor, django_capture_on_commit_callbacks):
    note = NoteFactory(status=Note.Status.PUBLISHED)
    before = generation.current()
    with django_capture_on_commit_callbacks(execute=True):
        publishing.withdraw(note=note, user=editor)
    assert generation.current() != before


def test_a_scheduled_publication_moves_the_generation_when_its_time_comes(time_machine):
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    NoteFactory(published_at=now + timedelta(hours=2))
    before = generation.current()
    time_machine.move_to(now + timedelta(hours=1), tick=False)
    assert generation.current() == before
    time_machine.move_to(now + timedelta(hours=2, seconds=1), tick=False)
    after = generation.current()
    assert after != before
    assert generation.current() == after  # nothing more is scheduled


def test_a_lost_number_starts_afresh():
    before = generation.current()
    cache.delete(generation.KEY)
    assert generation.current() not in (None, before)


def test_an_unreachable_cache_means_no_generation(caplog):
    with mock.patch.object(cache, "get", side_effect=ConnectionError("down")):
        assert generation.current() is None
        generation.changed()  # outside a transaction: bumps at once, and survives
    assert "cannot be reached" in caplog.text
