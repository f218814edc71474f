import pytest
from django.utils import timezone

from accounts.roles import AUTHORS
from notes.models import Note
from tests.factories import (
    AuthorFactory,
    AuthorshipFactory,
    NoteFactory,
    SectionFactory,
    UserFactory,
)


def complete_note(**kwargs):
    """A note with everything publication needs (summary, an author, a section)."""
    note = NoteFactory(**kwargs)
    AuthorshipFactory(note=note, position=1)
    SectionFactory(note=note, position=1, heading="", body="导语正文。")
    SectionFactory(note=note, position=2, heading="一、背景", body="背景正文。")
    return note


@pytest.fixture
def other_author(db):
    return UserFactory(username="other-writer", is_staff=True, roles=[AUTHORS])


@pytest.fixture
def draft(author_user):
    return complete_note(
        status=Note.Status.DRAFT, published_at=None, created_by=author_user, topics=["能源"]
    )


@pytest.fixture
def credited_draft(author_user):
    """A draft created by someone else on which ``author_user`` is credited."""
    note = complete_note(status=Note.Status.DRAFT, published_at=None)
    AuthorshipFactory(note=note, position=2, author=AuthorFactory(user=author_user))
    return note


@pytest.fixture
def empty_draft(author_user):
    return NoteFactory(
        status=Note.Status.DRAFT, published_at=None, summary="", created_by=author_user
    )


def in_future(**delta):
    return timezone.now() + timezone.timedelta(**delta)
