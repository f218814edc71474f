from types import SimpleNamespace

from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET
from django.views.generic.dates import MonthArchiveView, YearArchiveView

from notes import corrections, counts
from notes.body import assemble
from notes.charts import month_counts, monthly_chart, year_counts, yearly_chart
from notes.citations import formatted, reference_for, share_image, structured_data
from notes.listing import NoteFilter, published_topics, topic_facets
from notes.models import (
    Author,
    Correction,
    Figure,
    Note,
    Series,
    Topic,
    paragraph_link_label,
    published_q,
)
from notes.paging import NotePaginator, list_key
from notes.qr import qr_svg
from notes.reading import reading_minutes
from notes.rendering import render_markdown

PAGE_SIZE = 20


def paginate(request, queryset):
    """A page of ``queryset``; a bad or out-of-range ``page`` gives the nearest page."""
    paginator = NotePaginator(queryset, PAGE_SIZE, count_key=list_key(request))
    return paginator.get_page(request.GET.get("page"))


def series_with_counts():
    """Series with at least one published note, each with how many."""
    return counts.cached(
        "series",
        lambda: list(
            Series.objects.annotate(count=Count("notes", filter=published_q("notes__")))
            .filter(count__gt=0)
            .order_by("name")
        ),
    )


def home(request):
    notes = Note.objects.published().with_listing_data()
    return render(
        request,
        "notes/home.html",
        {
            "latest": list(notes[:10]),
            "topics": published_topics()[:24],
            "series_list": series_with_counts(),
        },
    )


def note_list(request):
    note_filter = NoteFilter.from_request(request)
    notes = note_filter.apply(Note.objects.published())
    return render(
        request,
        "notes/note_list.html",
        {
            "nav": "notes",
            "filter": note_filter,
            "page_obj": paginate(request, notes.with_listing_data()),
            "facets": [] if note_filter.errors else topic_facets(notes, note_filter),
        },
    )


def note_detail(request, pk, slug=None):
    note = get_object_or_404(
        Note.objects.published()
        .select_related("series", "note_type")
        .annotate(
            # Few notes have figures or corrections: the note's statement tells (from
            # their indexes) whether there are any to read.
            has_figures=Exists(Figure.objects.filter(note=OuterRef("pk"))),
            has_corrections=Exists(Correction.objects.filter(note=OuterRef("pk"))),
        ),
        pk=pk,
    )
    if slug != note.slug:
        return redirect(note, permanent=True)
    context = note_page_context(note)
    context["related"], context["previous"], context["next"] = note_links(
        note, [topic.pk for topic in context["topics"]]
    )
    return render(request, "notes/note_detail.html", context)


def note_links(note, topic_ids):
    """A note's related notes and its previous and next in its series.

    They change only when some note does, so they are worked out once per public
    content generation (``notes.counts``) rather than by every reader.
    """
    return counts.cached(
        "note-links",
        lambda: (note.related_notes(topic_ids=topic_ids), *note.series_neighbours()),
        note.pk,
    )


def note_page_context(note, *, authorships=None, sections=None, topics=None):
    """The context of a note's page.

    The preview of an unsaved note passes its unsaved rows; a saved note's are
    read from the database (its figures always are: uploads need a save). A note
    annotated ``has_figures`` or ``has_corrections`` false has none to read.
    """
    if authorships is None:
        authorships = list(note.authorships.select_related("author").order_by("position"))
    if sections is None:
        sections = list(note.sections.order_by("position"))
    if topics is None:
        topics = list(note.tags.order_by("name"))
    corrections = []
    if note.pk and getattr(note, "has_corrections", True):
        corrections = list(note.corrections.order_by("number"))
    figures = list(note.figures.all()) if note.pk and getattr(note, "has_figures", True) else []
    modified = corrections[-1].created_at if corrections else None
    canonical_url = settings.SITE_URL + note.get_absolute_url() if note.pk else ""
    body = assemble(sections, figures, language=note.language)
    context = {
        "note": note,
        "authorships": authorships,
        "sections": sections,
        "body": body,
        "share_image": share_image(figures[0]) if figures else None,
        "topics": topics,
        "corrections": corrections,
        "modified": modified,
        "toc": [section for section in sections if section.heading],
        "reading_minutes": reading_minutes(note.summary, *(s.body for s in sections)),
        "canonical_url": canonical_url,
        "paragraph_link_label": paragraph_link_label(note.language),
    }
    if canonical_url and note.published_at:
        reference = reference_for(
            note, authorships, canonical_url, topics=topics, modified=modified
        )
        context["citations"] = formatted(reference, accessed=timezone.localdate())
        context["qr_code"] = qr_svg(canonical_url)
        context["structured_data"] = structured_data(
            note, authorships, topics, canonical_url, modified=modified, figures=figures
        )
    return context


def note_version(request, pk, slug, number):
    """An earlier published wording of a note, with what has changed since."""
    note = get_object_or_404(Note.objects.published().select_related("series", "note_type"), pk=pk)
    correction = get_object_or_404(note.corrections, number=number)
    if slug != note.slug:
        return redirect(correction, permanent=True)
    lang = note.language
    response = render(
        request,
        "notes/note_version.html",
        {
            "note": note,
            "correction": correction,
            "later": note.corrections.filter(number__gte=number).order_by("number"),
            "wording": correction.previous,
            "body": assemble(
                [
                    SimpleNamespace(heading=heading, body_html=render_markdown(body, language=lang))
                    for heading, body in corrections.sections_of(correction.previous)
                ],
                list(note.figures.all()),
                language=lang,
            ),
            "rows": corrections.compare_with_current(correction, note),
        },
    )
    response["X-Robots-Tag"] = "noindex"
    return response


def _listing(request, template, context, notes):
    context["page_obj"] = paginate(request, notes.with_listing_data())
    return render(request, template, context)


def kept_rendered(name, template, context):
    """``template`` rendered with ``context()``, kept per content generation and
    language (:mod:`notes.counts`): an index of hundreds of entries is written by the
    first reader after a change, not by every reader."""
    html = counts.cached(
        name, lambda: render_to_string(template, context()), translation.get_language()
    )
    return mark_safe(html)  # written by the template, which escaped it


def topic_list(request):
    index = kept_rendered(
        "topic-index", "notes/_topic_index.html", lambda: {"topics": published_topics()}
    )
    return render(request, "notes/topic_list.html", {"nav": "topics", "index": index})


def topic_detail(request, slug):
    topic = get_object_or_404(Topic.objects.public(), slug=slug)
    notes = Note.objects.published().filter(tags=topic)
    return _listing(request, "notes/topic_detail.html", {"nav": "topics", "topic": topic}, notes)


def authors_with_counts():
    """Authors with at least one published note, each with how many and the latest,
    the latest first (counted once per content generation)."""
    published = published_q("authorships__note__")
    return counts.cached(
        "authors",
        lambda: list(
            Author.objects.annotate(
                count=Count("authorships", filter=published),
                latest=Max("authorships__note__published_at", filter=published),
            )
            .filter(count__gt=0)
            .order_by("-latest", "name")
        ),
    )


def author_list(request):
    index = kept_rendered(
        "author-index", "notes/_author_index.html", lambda: {"authors": authors_with_counts()}
    )
    return render(request, "notes/author_list.html", {"nav": "authors", "index": index})


def author_detail(request, slug):
    author = get_object_or_404(Author.objects.public(), slug=slug)
    notes = Note.objects.published().filter(authorships__author=author)
    return _listing(
        request, "notes/author_detail.html", {"nav": "authors", "author": author}, notes
    )


def series_list(request):
    return render(
        request,
        "notes/series_list.html",
        {"nav": "series", "series_list": series_with_counts()},
    )


def series_detail(request, slug):
    series = get_object_or_404(Series.objects.public(), slug=slug)
    notes = Note.objects.published().filter(series=series)
    return _listing(request, "notes/series_detail.html", {"nav": "series", "series": series}, notes)


def archive_index(request):
    return render(
        request,
        "notes/archive_index.html",
        {"nav": "archive", "chart": yearly_chart(year_counts())},
    )


class ArchiveMixin:
    """What the date-based archive views share: published notes only, 20 a page."""

    date_field = "published_at"
    allow_empty = False
    allow_future = False
    paginate_by = PAGE_SIZE
    extra_context = {"nav": "archive"}

    def get_queryset(self):
        # Plain notes: the neighbouring periods are looked up in it, one row each; only
        # the page's notes are read with what a list entry shows (``paginate_queryset``).
        return Note.objects.published()

    def paginate_queryset(self, queryset, page_size):
        return super().paginate_queryset(queryset.with_listing_data(), page_size)

    def get_paginator(self, queryset, per_page, **kwargs):
        return NotePaginator(queryset, per_page, count_key=list_key(self.request), **kwargs)

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        """No list of periods (the chart has them). A period without notes is 404 already
        (``allow_empty = False``: Django asks whether it has any)."""
        return []


class NoteYearArchiveView(ArchiveMixin, YearArchiveView):
    make_object_list = True
    template_name = "notes/archive_year.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = int(self.get_year())
        context["chart"] = monthly_chart(month_counts(year), year)
        return context


class NoteMonthArchiveView(ArchiveMixin, MonthArchiveView):
    month_format = "%m"
    template_name = "notes/archive_month.html"


@require_GET
def robots_txt(request):
    lines = ["User-agent: *"]
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            prefix = reverse("notes:home").rstrip("/")
        lines += [f"Disallow: {prefix}/{part}/" for part in ("admin", "accounts", "search")]
    lines.append(f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def favicon(request):
    return redirect(static("img/favicon.svg"), permanent=True)
