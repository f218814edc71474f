from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from notes.models import Author, Note, Series, Topic

PAGE_SIZE = 20


def paginate(request, queryset):
    """A page of ``queryset``; a bad or out-of-range ``page`` gives the nearest page."""
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def home(request):
    notes = Note.objects.published().with_listing_data()
    return render(request, "notes/home.html", {"page_obj": paginate(request, notes)})


def note_detail(request, pk, slug=None):
    note = get_object_or_404(Note.objects.published().select_related("series", "note_type"), pk=pk)
    if slug != note.slug:
        return redirect(note, permanent=True)
    return render(request, "notes/note_detail.html", note_page_context(note))


def note_page_context(note, *, authorships=None, sections=None, topics=None):
    """The context of a note's page.

    The preview of an unsaved note passes its unsaved rows; a saved note's are
    read from the database.
    """
    if authorships is None:
        authorships = note.authorships.select_related("author").order_by("position")
    if sections is None:
        sections = note.sections.order_by("position")
    if topics is None:
        topics = note.tags.order_by("name")
    return {"note": note, "authorships": authorships, "sections": sections, "topics": topics}


def _listing(request, *, template, context, notes):
    context["page_obj"] = paginate(request, notes.with_listing_data())
    return render(request, template, context)


def topic_detail(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    notes = Note.objects.published().filter(tags=topic)
    return _listing(
        request, template="notes/topic_detail.html", context={"topic": topic}, notes=notes
    )


def author_detail(request, slug):
    author = get_object_or_404(Author, slug=slug)
    notes = Note.objects.published().filter(authors=author)
    return _listing(
        request, template="notes/author_detail.html", context={"author": author}, notes=notes
    )


def series_detail(request, slug):
    series = get_object_or_404(Series, slug=slug)
    notes = Note.objects.published().filter(series=series)
    return _listing(
        request, template="notes/series_detail.html", context={"series": series}, notes=notes
    )


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
