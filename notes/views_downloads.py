"""What a reader takes away from a note: citation files and the PDF."""

import logging

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header

from notes import pdf
from notes.citations import FILES, reference_of_note
from notes.models import Note

logger = logging.getLogger(__name__)


def published_note(pk):
    """The published note ``pk`` with what citing it needs, or 404."""
    return get_object_or_404(Note.objects.published().select_related("series", "note_type"), pk=pk)


def citation_file(request, pk, extension):
    """``cite.bib``, ``cite.ris`` or ``cite.json``: the note for a reference manager."""
    note = published_note(pk)
    write, content_type = FILES[extension]
    response = HttpResponse(write(reference_of_note(note)), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{note.slug}.{extension}"
    )
    return response


def note_pdf(request, pk):
    """The note as a PDF, made on first request for each version of it (cached and
    answered with 304 like every public page: see ``notes.caching``)."""
    note = published_note(pk)
    try:
        data, _digest = pdf.note_pdf(note)
    except pdf.PdfUnavailable as error:
        logger.error("PDF of note %s: %s", note.pk, error.message)
        response = render(request, "notes/pdf_unavailable.html", {"note": note}, status=503)
        response["Retry-After"] = "3600"
        return response
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=False, filename=f"{note.slug}.pdf"
    )
    return response
