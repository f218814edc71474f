import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from notes.models import Note, Topic
from tests.factories import AuthorFactory, NoteFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()
DAY = timezone.timedelta(days=1)


@pytest.mark.parametrize(
    ("status", "published_at", "public"),
    [
        (Note.Status.PUBLISHED, NOW - DAY, True),
        (Note.Status.PUBLISHED, NOW + DAY, False),  # scheduled
        (Note.Status.DRAFT, None, False),
        (Note.Status.DRAFT, NOW - DAY, False),
        (Note.Status.REVIEW, NOW - DAY, False),
        (Note.Status.WITHDRAWN, NOW - DAY, False),
    ],
)
def test_published_queryset(status, published_at, public):
    note = NoteFactory(status=status, published_at=published_at)
    assert (note in Note.objects.published()) is public
    assert note.is_published is public


def test_scheduled_note_appears_when_its_time_comes(time_machine):
    note = NoteFactory(published_at=NOW + DAY)
    assert note.is_scheduled
    assert not Note.objects.published().exists()
    time_machine.move_to(NOW + 2 * DAY)
    assert list(Note.objects.published()) == [note]


def test_published_note_needs_a_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        NoteFactory(status=Note.Status.PUBLISHED, published_at=None)


def test_section_positions_are_unique_per_note():
    section = SectionFactory(position=1)
    SectionFactory(position=1)  # another note: fine
    with pytest.raises(IntegrityError), transaction.atomic():
        SectionFactory(note=section.note, position=1)


def test_note_slugs_are_unique():
    NoteFactory(slug="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        NoteFactory(slug="same")


def test_blank_slug_is_made_from_a_chinese_title():
    first = NoteFactory(title="中美关系 新阶段", slug="")
    second = NoteFactory(title="中美关系 新阶段", slug="")
    assert first.slug == "中美关系-新阶段"
    assert second.slug == "中美关系-新阶段-2"


def test_topic_slugs_keep_chinese_and_match_case_insensitively():
    note = NoteFactory()
    note.tags.add("中美关系", "Trade")
    assert Topic.objects.get(name="中美关系").slug == "中美关系"
    other = NoteFactory()
    other.tags.add("trade")
    assert Topic.objects.filter(name__iexact="trade").count() == 1


def test_visible_to():
    published = NoteFactory()
    draft = NoteFactory(status=Note.Status.DRAFT, published_at=None)
    writer = UserFactory(is_staff=True, roles=["Authors"])
    own = NoteFactory(status=Note.Status.DRAFT, published_at=None)
    own.authorships.create(author=AuthorFactory(user=writer), position=1)
    editor = UserFactory(is_staff=True, roles=["Editors"])
    anonymous = AnonymousUser()

    assert set(Note.objects.visible_to(anonymous)) == {published}
    assert set(Note.objects.visible_to(writer)) == {published, own}
    assert set(Note.objects.visible_to(editor)) == {published, draft, own}


def test_section_body_is_rendered_and_sanitized():
    section = SectionFactory(
        body=(
            "第一行\n第二行\n\n<script>alert(1)</script>\n\n"
            '<img src="x" onerror="alert(1)">\n\n[点我](javascript:alert(1)) [好](https://example.org)'
        )
    )
    html = section.body_html
    assert "<p>第一行第二行</p>" in html
    assert "<script" not in html
    assert "<img" not in html
    assert 'href="javascript' not in html
    assert 'href="https://example.org"' in html


def test_section_anchor_is_stable_and_unique_within_a_note():
    section = SectionFactory(heading="一、开场")
    twin = SectionFactory(note=section.note, heading="一、开场")
    assert section.anchor == "一开场"
    assert twin.anchor == "一开场-2"
    section.heading = "一、新的开场"
    section.save()
    assert section.anchor == "一开场"
