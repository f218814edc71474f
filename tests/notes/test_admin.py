import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notes.models import Note, Section
from tests.factories import (
    AuthorFactory,
    AuthorshipFactory,
    NoteFactory,
    NoteTypeFactory,
    SectionFactory,
    SeriesFactory,
)

pytestmark = pytest.mark.django_db

ADMIN_MODELS = ["notes.note", "notes.author", "notes.series", "notes.notetype", "notes.topic",
                "accounts.user", "auth.group"]  # fmt: skip


@pytest.fixture
def objects(superuser):
    note = NoteFactory(topics=["中美关系"])
    SectionFactory(note=note)
    AuthorshipFactory(note=note)
    return {
        "notes.note": note,
        "notes.author": note.authorships.get().author,
        "notes.series": note.series,
        "notes.notetype": note.note_type,
        "notes.topic": note.tags.get(),
        "accounts.user": superuser,
        "auth.group": Group.objects.first(),
    }


@pytest.mark.parametrize("model", ADMIN_MODELS)
@pytest.mark.parametrize("page", ["changelist", "add", "change"])
def test_admin_pages_load_for_a_superuser(client, superuser, objects, model, page):
    client.force_login(superuser)
    app_label, model_name = model.split(".")
    args = [objects[model].pk] if page == "change" else []
    response = client.get(reverse(f"admin:{app_label}_{model_name}_{page}", args=args))
    assert response.status_code == 200


def test_admin_note_list_query_count_does_not_grow(client, superuser):
    client.force_login(superuser)
    url = reverse("admin:notes_note_changelist")

    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    AuthorshipFactory(note=NoteFactory(topics=["a"]))
    few = count_queries()
    series, note_type = SeriesFactory(), NoteTypeFactory()
    for _ in range(30):
        note = NoteFactory(series=series, note_type=note_type, topics=["a", "b"])
        AuthorshipFactory(note=note)
        AuthorshipFactory(note=note)
    many = count_queries()
    assert few == many


def _change_form_data(note, sections, **overrides):
    data = {
        "title": note.title,
        "slug": note.slug,
        "series": note.series_id or "",
        "note_type": note.note_type_id or "",
        "language": note.language,
        "summary": note.summary,
        "tags": "中美关系",
        "status": note.status,
        "published_at_0": "2021-03-22",
        "published_at_1": "09:00:00",
        "source_url": "",
        "loaded_version": note.version,
        "authorships-TOTAL_FORMS": "0",
        "authorships-INITIAL_FORMS": "0",
        "authorships-MIN_NUM_FORMS": "0",
        "authorships-MAX_NUM_FORMS": "1000",
        "sections-TOTAL_FORMS": str(len(sections)),
        "sections-INITIAL_FORMS": str(len(sections)),
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
        "figures-TOTAL_FORMS": "0",
        "figures-INITIAL_FORMS": "0",
        "figures-MIN_NUM_FORMS": "0",
        "figures-MAX_NUM_FORMS": "1000",
    }
    for i, section in enumerate(sections):
        data.update(
            {
                f"sections-{i}-id": section.pk,
                f"sections-{i}-note": note.pk,
                f"sections-{i}-heading": section.heading,
                f"sections-{i}-body": section.body,
                f"sections-{i}-anchor": section.anchor,
                f"sections-{i}-position": section.position,
            }
        )
    data.update(overrides)
    return data


@pytest.fixture
def note_with_sections():
    note = NoteFactory()
    first = SectionFactory(note=note, position=1, heading="一、甲", body="甲的正文")
    second = SectionFactory(note=note, position=2, heading="二、乙", body="乙的正文")
    return note, [first, second]


def test_sections_can_be_swapped(client, superuser, note_with_sections):
    note, (first, second) = note_with_sections
    client.force_login(superuser)
    data = _change_form_data(
        note, [first, second], **{"sections-0-position": 2, "sections-1-position": 1}
    )
    response = client.post(reverse("admin:notes_note_change", args=[note.pk]), data)
    assert response.status_code == 302
    assert list(note.sections.values_list("heading", flat=True)) == ["二、乙", "一、甲"]


def test_duplicate_section_position_is_a_form_error(client, superuser, note_with_sections):
    note, sections = note_with_sections
    client.force_login(superuser)
    data = _change_form_data(note, sections, title="改过的标题", **{"sections-1-position": 1})
    response = client.post(reverse("admin:notes_note_change", args=[note.pk]), data)
    assert response.status_code == 200
    assert "顺序号" in response.content.decode()
    note.refresh_from_db()
    assert note.title != "改过的标题"  # nothing half-saved
    assert sorted(Section.objects.filter(note=note).values_list("position", flat=True)) == [1, 2]


def test_published_without_date_is_an_error_on_the_date_field(
    client, superuser, note_with_sections
):
    note, sections = note_with_sections
    client.force_login(superuser)
    data = _change_form_data(note, sections, published_at_0="", published_at_1="")
    response = client.post(reverse("admin:notes_note_change", args=[note.pk]), data)
    assert response.status_code == 200
    assert "published_at" in response.context["adminform"].form.errors


def test_slug_clash_is_an_error_on_the_slug_field(client, superuser, note_with_sections):
    note, sections = note_with_sections
    NoteFactory(slug="taken")
    client.force_login(superuser)
    data = _change_form_data(note, sections, slug="taken")
    response = client.post(reverse("admin:notes_note_change", args=[note.pk]), data)
    assert response.status_code == 200
    assert "slug" in response.context["adminform"].form.errors
    assert Note.objects.filter(slug="taken").count() == 1


def test_add_note_with_sections_and_authors(client, superuser):
    author = AuthorFactory()
    client.force_login(superuser)
    data = {
        "title": "新的简报",
        "slug": "xin-de-jianbao",
        "language": "zh-hans",
        "summary": "摘要。",
        "tags": "外交, 中美关系",
        "status": "draft",
        "authorships-TOTAL_FORMS": "1",
        "authorships-INITIAL_FORMS": "0",
        "authorships-0-author": author.pk,
        "authorships-0-position": "1",
        "sections-TOTAL_FORMS": "2",
        "sections-INITIAL_FORMS": "0",
        "sections-0-heading": "",
        "sections-0-body": "导语",
        "sections-0-position": "1",
        "sections-1-heading": "一、正文",
        "sections-1-body": "内容",
        "sections-1-position": "2",
        "figures-TOTAL_FORMS": "0",
        "figures-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:notes_note_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    note = Note.objects.get(slug="xin-de-jianbao")
    assert note.created_by == superuser
    assert [s.heading for s in note.sections.all()] == ["", "一、正文"]
    assert list(note.authors.all()) == [author]
    assert sorted(note.tags.names()) == ["中美关系", "外交"]
