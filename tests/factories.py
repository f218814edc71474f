from contextlib import contextmanager

import factory
from django.utils import timezone

from accounts.models import User
from accounts.roles import ROLES
from notes.models import Author, Authorship, Note, NoteType, Section, Series


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            from django.contrib.auth.models import Group

            self.groups.add(*Group.objects.filter(name__in=extracted))


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series

    name = factory.Sequence(lambda n: f"栏目{n}")
    slug = factory.Sequence(lambda n: f"series-{n}")


class NoteTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NoteType

    name = factory.Sequence(lambda n: f"类型{n}")
    slug = factory.Sequence(lambda n: f"type-{n}")


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"作者{n}")
    slug = factory.Sequence(lambda n: f"author-{n}")
    title = "研究员"
    affiliation = "示例研究院"


class NoteFactory(factory.django.DjangoModelFactory):
    """A published note by default; pass ``status`` and ``published_at`` for others."""

    class Meta:
        model = Note
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"研究简报第{n}号")
    slug = factory.Sequence(lambda n: f"note-{n}")
    series = factory.SubFactory(SeriesFactory)
    note_type = factory.SubFactory(NoteTypeFactory)
    summary = "这是一段摘要。"
    status = Note.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(days=1))

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)


class AuthorshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authorship

    note = factory.SubFactory(NoteFactory)
    author = factory.SubFactory(AuthorFactory)
    position = factory.Sequence(lambda n: n + 1)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    note = factory.SubFactory(NoteFactory)
    position = factory.Sequence(lambda n: n + 1)
    heading = factory.Sequence(lambda n: f"第{n}节")
    body = "正文段落。"


def restore_roles():
    """The role groups as the data migration makes them. A transactional test
    empties the database when it ends, and only the permissions come back: one
    that runs after another needs its roles made again."""
    from django.contrib.auth.models import Group, Permission

    for name, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in (code.split(".") for code in codes)
        )


@contextmanager
def committed():
    """Run what the writes of the block left for after their commit, as their
    commit would (a test's own transaction never commits): the search index
    follows them, the public generation moves."""
    from django.db import connection
    from django.test import TestCase

    from notes.aftercommit import _Once

    for _, callback, _ in connection.run_on_commit:
        if isinstance(callback, _Once):  # see conftest's django_capture_on_commit_callbacks
            callback.pending = False
    with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
        yield callbacks
