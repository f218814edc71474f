from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from notes.models import Author, Note, Series, Topic, published_q


class InEveryLanguage(Sitemap):
    """Each page once per language, with its other languages as ``hreflang`` alternates."""

    i18n = True
    alternates = True
    x_default = True


class NoteSitemap(InEveryLanguage):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Note.objects.published().only("pk", "slug", "updated_at").order_by("-published_at")

    def lastmod(self, note):
        return note.updated_at


class _WithPublishedNotes(InEveryLanguage):
    """Topic, author and series pages that list at least one published note."""

    changefreq = "weekly"
    priority = 0.5
    model = None
    path = ""

    def items(self):
        return (
            self.model.objects.filter(published_q(self.path))
            .annotate(latest=Max(f"{self.path}updated_at"))
            .order_by("slug")
        )

    def lastmod(self, obj):
        return obj.latest


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


SITEMAPS = {
    "pages": PagesSitemap,
    "notes": NoteSitemap,
    "topics": TopicSitemap,
    "authors": AuthorSitemap,
    "series": SeriesSitemap,
}
