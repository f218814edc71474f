"""Sitemaps: ``/sitemap.xml`` is an index of one sitemap a section, each in pages of at
most ``LIMIT`` URLs (``/sitemap-notes.xml?p=2``).

Every page is listed once per language with the others as ``hreflang`` alternates;
each language counts as a URL. A page of the notes' sitemap reads only its own
notes (:mod:`notes.paging`); the other sections' rows are aggregates kept per
content generation (:mod:`notes.counts`). The index is Django's; a section's
page is written directly (:meth:`InEveryLanguage.urlset`): for 2,000 URLs, Django's
sitemap template took about ten times as long.

Each sitemap page, once written, is kept in Django's cache under the content
generation (:func:`kept`), whether or not whole pages are cached: a page of
URLs is written by the first request after a change, not by every crawler. Every
sitemap is also a public page, with ``ETag``/``Last-Modified`` and 304 for a
conditional GET.
"""

from datetime import datetime
from functools import wraps
from html import escape

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.http import http_date

from notes import counts
from notes.models import Author, Note, Series, Topic, published_q
from notes.paging import notes_between

#: URLs in one sitemap page (each language of a page is one). The protocol allows
#: 50,000. A page is served from the cache, and its time is that of moving its bytes
#: (about 5 µs a KB alone, 7 µs under load: the cache, the ETag's digest, the
#: socket): 300 URLs with their alternates (135 KB of notes) answer in ~1 ms, 2,000
#: took ~4.4 ms; more pages only lengthen the index (634 entries at 100,000 notes,
#: 80 KB).
LIMIT = 300
URLSET = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)


def latest_change():
    """When a published note last changed (read from the index on ``updated_at``)."""
    return (
        Note.objects.published()
        .order_by("-updated_at")
        .values_list("updated_at", flat=True)
        .first()
    )


def kept(write):
    """A view of the sitemap page ``write(request, **kwargs)`` returns as ``(XML, the
    Last-Modified header or None)``, each page kept per content generation
    (:mod:`notes.counts`) for the address it was asked at.

    A page that does not exist (an unknown section, a bad or too high ``p``) is
    answered 404 by ``write`` and nothing is kept.
    """

    @wraps(write)
    def view(request, **kwargs):
        page = request.GET.get("p", "1")
        if page.isdigit() and len(page) < 10:
            key = (request.scheme, request.get_host(), kwargs.get("section"), int(page))
            content, modified = counts.cached("sitemap", lambda: write(request, **kwargs), *key)
        else:
            content, modified = write(request, **kwargs)
        response = HttpResponse(content, content_type="application/xml")
        if modified:
            response["Last-Modified"] = modified
        response["X-Robots-Tag"] = "noindex, noodp, noarchive"
        return response

    return view


@kept
def sitemap_index(request):
    """``/sitemap.xml``: every page of every section, written by Django's sitemaps."""
    response = sitemap_views.index(request, SITEMAPS, sitemap_url_name="sitemap-section").render()
    return response.content, response.get("Last-Modified")


@kept
def sitemap_section(request, section):
    """``/sitemap-<section>.xml?p=N``: a page of a section's URLs, written directly
    (Django's sitemap template took ten times as long for 2,000 URLs)."""
    if section not in SITEMAPS:
        raise Http404("No such sitemap.")
    sitemap = SITEMAPS[section]()
    try:
        page = sitemap.paginator.page(request.GET.get("p", 1))
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404(str(error)) from None
    return sitemap.urlset(page.object_list, f"{request.scheme}://{request.get_host()}")


def w3c_date(value):
    """A page's lastmod: its date in the site's time zone (W3C Datetime, as Django's
    sitemaps write it)."""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return value.isoformat()


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

    def paths(self, items, language):
        """The path of each of ``items`` in ``language``."""
        with translation.override(language):
            return [self.location(item) for item in items]

    def urlset(self, pairs, base):
        """The ``<urlset>`` of ``(item, language)`` pairs, with each item's languages as
        alternates, as bytes; and the Last-Modified header of the latest lastmod."""
        languages = self._languages()
        items = list(dict.fromkeys(item for item, _language in pairs))
        paths = {
            language: {
                item: escape(base + path)
                for item, path in zip(items, self.paths(items, language), strict=True)
            }
            for language in languages
        }
        alternates = {
            item: "".join(
                [
                    *(
                        f'<xhtml:link rel="alternate" hreflang="{language}" '
                        f'href="{paths[language][item]}"/>'
                        for language in languages
                    ),
                    f'<xhtml:link rel="alternate" hreflang="x-default" '
                    f'href="{paths[settings.LANGUAGE_CODE][item]}"/>',
                ]
            )
            for item in items
        }
        lastmods = {item: self.lastmod(item) for item in items}
        rest = f"<changefreq>{self.changefreq}</changefreq><priority>{self.priority}</priority>"
        lines = [URLSET]
        for item, language in pairs:
            lastmod = lastmods[item]
            lines.append(
                f"<url><loc>{paths[language][item]}</loc>"
                + (f"<lastmod>{w3c_date(lastmod)}</lastmod>" if lastmod else "")
                + f"{rest}{alternates[item]}</url>\n"
            )
        lines.append("</urlset>\n")
        latest = max((value for value in lastmods.values() if value), default=None)
        modified = http_date(latest.timestamp()) if latest else None
        return "".join(lines).encode(), modified


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
