"""In the admin, an author sees only the topics of notes he can read."""

import pytest
from django.urls import reverse

from accounts.roles import AUTHORS
from notes.models import Note
from tests.factories import NoteFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def topics(author_user):
    other_author = UserFactory(username="other-writer", is_staff=True, roles=[AUTHORS])
    NoteFactory(topics=["公开主题"])  # published: anyone may read it
    NoteFactory(
        status=Note.Status.DRAFT, published_at=None, created_by=author_user, topics=["我的主题"]
    )
    NoteFactory(
        status=Note.Status.DRAFT, published_at=None, created_by=other_author, topics=["他人机密"]
    )
    NoteFactory(status=Note.Status.REVIEW, published_at=None, topics=["待审机密"])


def topic_admin_names(client):
    response = client.get(reverse("admin:notes_topic_changelist"))
    assert response.status_code == 200
    return {topic.name for topic in response.context["cl"].result_list}


def note_filter_names(client):
    response = client.get(reverse("admin:notes_note_changelist"))
    topic_filter = next(
        f
        for f in response.context["cl"].filter_specs
        if getattr(f, "parameter_name", "") == "topic"
    )
    return {name for _slug, name in topic_filter.lookup_choices}


def test_an_author_sees_only_topics_of_notes_he_can_read(client, topics, author_user):
    client.force_login(author_user)
    assert topic_admin_names(client) == {"公开主题", "我的主题"}
    assert note_filter_names(client) == {"我的主题"}  # his list shows only his own notes
    page = client.get(reverse("admin:notes_topic_changelist"), {"q": "机密"})
    assert "机密" not in "".join(t.name for t in page.context["cl"].result_list)


def test_an_editor_sees_every_topic(client, topics, editor):
    client.force_login(editor)
    everything = {"公开主题", "我的主题", "他人机密", "待审机密"}
    assert topic_admin_names(client) == everything
    assert note_filter_names(client) == everything
