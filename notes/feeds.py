"""Atom and RSS feeds: the latest notes, and those of one topic, author or series.

Summaries are plain text. Atom says so (``type="text"``); RSS readers take a
description for HTML, so there each paragraph is escaped once and put in
``<p>``: markup typed into a summary is shown, never rendered. A note's first
figure is its entry's enclosure, by its absolute address.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Max
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import format_html_join
from django.utils.translation import gettext as _

from notes.citations import share_image
from notes.models import Author, Note, Series, Topic

FEED_SIZE = 20


class TextSummaryAtom1Feed(Atom1Feed):
    """Atom whose entry summaries are plain text, not HTML."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"]:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class LatestNotesFeed(Feed):
    feed_type = TextSummaryAtom1Feed

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
        notes = self.notes(obj).with_listing_data().prefetch_related("figures")
        return notes.annotate(last_correction=Max("corrections__created_at"))[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return "\n\n".join(item.summary_paragraphs)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        """Changed when a correction or an update is published; an unmarked edit (a
        typo fixed) leaves no public trace, here as on the page."""
        return item.last_correction or item.published_at

    def item_author_name(self, item):
        return "、".join(a.author.name for a in item.ordered_authorships()) or None

    def item_enclosures(self, item):
        """The note's first figure, at its full width, by its absolute address (one
        only: RSS allows one enclosure an item)."""
        figures = item.figures.all()
        image = share_image(figures[0]) if figures else None
        if image is None:
            return []
        return [Enclosure(image["url"], str(image["size"]), image["type"])]

    def item_categories(self, item):
        return [topic.name for topic in item.topics_by_name()]


class LatestNotesRssFeed(LatestNotesFeed):
    feed_type = Rss201rev2Feed

    def item_description(self, item):
        return format_html_join("", "<p>{}</p>", ((p,) for p in item.summary_paragraphs))


class TopicFeed(LatestNotesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Topic.objects.public(), slug=slug)

    def title(self, obj):
        return f"{settings.SITE_NAME} · {obj.name}"

    def link(self, obj):
        return obj.get_absolute_url()

    def notes(self, obj):
        return Note.objects.published().filter(tags=obj)


class AuthorFeed(TopicFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Author.objects.public(), slug=slug)

    def notes(self, obj):
        return Note.objects.published().filter(authorships__author=obj)


class SeriesFeed(TopicFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Series.objects.public(), slug=slug)

    def notes(self, obj):
        return Note.objects.published().filter(series=obj)
