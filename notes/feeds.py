"""Atom and RSS feeds: the latest notes, and those of one topic, author or series."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from notes.models import Author, Note, Series, Topic

FEED_SIZE = 20


class LatestNotesFeed(Feed):
    feed_type = Atom1Feed

    def title(self, obj=None):
        return settings.SITE_NAME

    def subtitle(self, obj=None):
        return _("最新发布的研究简报")

    description = subtitle

    def link(self, obj=None):
        return "/"

    def notes(self, obj):
        return Note.objects.published()

    def items(self, obj=None):
        return self.notes(obj).with_listing_data()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return "\n\n".join(item.summary_paragraphs)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.published_at, item.updated_at)

    def item_author_name(self, item):
        return "、".join(a.author.name for a in item.ordered_authorships()) or None

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]


class LatestNotesRssFeed(LatestNotesFeed):
    feed_type = Rss201rev2Feed


class TopicFeed(LatestNotesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Topic, slug=slug)

    def title(self, obj):
        return f"{settings.SITE_NAME} · {obj.name}"

    def link(self, obj):
        return obj.get_absolute_url()

    def notes(self, obj):
        return Note.objects.published().filter(tags=obj)


class AuthorFeed(TopicFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Author, slug=slug)

    def notes(self, obj):
        return Note.objects.published().filter(authorships__author=obj)


class SeriesFeed(TopicFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Series, slug=slug)

    def notes(self, obj):
        return Note.objects.published().filter(series=obj)
