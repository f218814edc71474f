"""The original file a note was imported from: public once the note is, when offered."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control

from notes.models import Note


def serve_original(note):
    """A download of ``note``'s imported file (404 when there is none or it is gone)."""
    if not note.original_file:
        raise Http404
    try:
        handle = note.original_file.open("rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=note.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def note_original(request, pk, slug):
    """The original of a published note whose editor offers it; 404 for anything else."""
    note = get_object_or_404(Note.objects.published(), pk=pk, slug=slug)
    if not note.offers_original:
        raise Http404
    response = serve_original(note)
    patch_cache_control(response, public=True, max_age=3600)
    return response
