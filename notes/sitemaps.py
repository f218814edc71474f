"""Sitemaps: ``/sitemap.xml`` is an index of one sitemap a section, each in pages of at
most ``LIMIT`` URLs (``/sitemap-notes.xml?p=2``).

Every page is listed once per language with the others as ``hreflang`` alternates;
each language counts as a URL. A page of the notes' sitemap reads only its own
notes (:mod:`notes.paging`); the other sections' rows are aggregates kept per
content generation (:mod:`notes.counts`).

Each sitemap page, once written, is kept in Django's cache under the content
generation (:func:`kept`), whether or not whole pages are cached: a page of 2,000
URLs is written by the first request after a change, not by every crawler. Every
sitemap is also a public page, with ``ETag``/``Last-Modified`` and 304 for a
conditional GET.
"""

from functools import wraps

from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import HttpResponse
from django.urls import reverse
from django.utils.functional import cached_property

from notes import counts
from notes.models import Author, Note, Series, Topic, published_q
from notes.paging import notes_between

#: URLs in one sitemap page (each language of a page is one). The protocol allows
#: 50,000; a page of 2,000 takes a worker a fraction of a second to write.
LIMIT = 2_000


def latest_change():
    """When a published note last changed (read from the index on ``updated_at``)."""
    return (
        Note.objects.published()
        .order_by("-updated_at")
        .values_list("updated_at", flat=True)
        .first()
    )


def kept(view):
    """``view`` (Django's sitemap index or section view) with each page it writes kept
    per content generation (:mod:`notes.counts`), for the address it was asked at.

    A page that does not exist (an unknown section, a bad or too high ``p``) is
    answered by the view, 404, and nothing is kept.
    """

    @wraps(view)
    def kept_view(request, *args, **kwargs):
        page = request.GET.get("p", "1")
        if not (page.isdigit() and len(page) < 10):
            return view(request, *args, **kwargs)

        def write():
            response = view(request, *args, **kwargs).render()
            return response.content, response.get("Last-Modified")

        content, modified = counts.cached(
            "sitemap", write, request.scheme, request.get_host(), kwargs.get("section"), int(page)
        )
        response = HttpResponse(content, content_type="application/xml")
        if modified:
            response["Last-Modified"] = modified
        response["X-Robots-Tag"] = "noindex, noodp, noarchive"
        return response

    return kept_view


class InEveryLanguage(Sitemap):
    """Each page once per language, with its other languages as ``hreflang`` alternates."""

    i18n = True
    alternates = True
    x_default = True
    limit = LIMIT

    @cached_property
    def paginator(self):
        # Django builds a paginator, and counts, each time it is asked; once is enough.
        return Paginator(self._items(), self.limit)

    def _location(self, item, force_lang_code=None):
        # Django asks for each page's address in each language once for the page and
        # once more for each alternate: ask ``reverse()`` once.
        key = (id(item[0]), force_lang_code or item[1])
        if key not in self._locations:
            self._locations[key] = super()._location(item, force_lang_code)
        return self._locations[key]

    @cached_property
    def _locations(self):
        return {}


class _NotesInEveryLanguage:
    """The ``(note, language)`` pairs of the notes' sitemap, read a page at a time."""

    def __init__(self, notes, languages):
        self.notes = notes
        self.languages = languages

    @cached_property
    def notes_count(self):
        return counts.cached("sitemap-notes", self.notes.count)

    def count(self):
        return self.notes_count * len(self.languages)

    def __getitem__(self, pairs):
        size = len(self.languages)
        first, last = pairs.start // size, -(-pairs.stop // size)
        notes = notes_between(self.notes, first, min(last, self.notes_count), self.notes_count)
        every = [(note, language) for note in notes for language in self.languages]
        return every[pairs.start - first * size : pairs.stop - first * size]


class NoteSitemap(InEveryLanguage):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Note.objects.published().only("pk", "slug", "updated_at")

    def _items(self):
        return _NotesInEveryLanguage(self.items(), self._languages())

    def lastmod(self, note):
        return note.updated_at

    def get_latest_lastmod(self):
        return latest_change()


class _WithPublishedNotes(InEveryLanguage):
    """Topic, author and series pages that list at least one published note."""

    changefreq = "weekly"
    priority = 0.5
    model = None
    path = ""

    def items(self):
        return self._rows

    @cached_property
    def _rows(self):
        return counts.cached(
            f"sitemap-{self.model._meta.model_name}",
            lambda: list(
                self.model.objects.filter(published_q(self.path))
                .annotate(latest=Max(f"{self.path}updated_at"))
                .order_by("slug")
            ),
        )

    def lastmod(self, obj):
        return obj.latest

    def get_latest_lastmod(self):
        return max((obj.latest for obj in self.items()), default=None)


class TopicSitemap(_WithPublishedNotes):
    model = Topic
    path = "tagged_notes__content_object__"


class AuthorSitemap(_WithPublishedNotes):
    model = Author
    path = "authorships__note__"


class SeriesSitemap(_WithPublishedNotes):
    model = Series
    path = "notes__"


class PagesSitemap(InEveryLanguage):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["notes:home", "notes:list", "notes:topics", "notes:authors", "notes:archive"]

    def location(self, name):
        return reverse(name)

    @cached_property
    def _latest(self):
        return latest_change()

    def lastmod(self, name):
        return self._latest

    def get_latest_lastmod(self):
        return self._latest


SITEMAPS = {
    "pages": PagesSitemap,
    "notes": NoteSitemap,
    "topics": TopicSitemap,
    "authors": AuthorSitemap,
    "series": SeriesSitemap,
}
