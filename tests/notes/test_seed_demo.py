from io import StringIO

import pytest
from django.core.management import call_command

from notes.models import Author, Note, Section, Series, Topic

pytestmark = pytest.mark.django_db


def _counts():
    return {
        model.__name__: model.objects.count() for model in (Note, Section, Author, Series, Topic)
    }


def test_seed_demo_twice_leaves_the_same_counts(settings):
    settings.DEBUG = False
    call_command("seed_demo", stdout=StringIO())
    first = _counts()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == first
    assert first["Note"] >= 12


def test_seed_demo_content(settings):
    settings.DEBUG = False
    call_command("seed_demo", stdout=StringIO())
    published = Note.objects.published()
    assert published.count() >= 12
    assert published.filter(language="en").count() == 2
    assert Note.objects.filter(status=Note.Status.DRAFT).count() == 1
    scheduled = [n for n in Note.objects.all() if n.is_scheduled]
    assert len(scheduled) == 1
    anchorage = Note.objects.get(slug="anchorage-talks-2021")
    assert anchorage.is_published and anchorage.sections.count() >= 3


def test_seed_demo_creates_demo_accounts_only_when_debugging(settings, django_user_model):
    settings.DEBUG = False
    call_command("seed_demo", stdout=StringIO())
    assert not django_user_model.objects.exists()
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    editor = django_user_model.objects.get(username="editor")
    assert editor.has_perm("notes.publish_note")
    assert django_user_model.objects.get(username="admin").is_superuser
