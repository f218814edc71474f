"""A figure's files: public once its note is; before that, only to those who may see it."""

import mimetypes

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control

from notes.models import Figure, private_storage
from notes.permissions import can_view

#: A published figure's file names change with its pixels, so a day is safe to cache;
#: not longer, so a note withdrawn is soon gone from caches too.
PUBLIC_MAX_AGE = 24 * 3600


def figure_file(request, pk, name):
    figure = get_object_or_404(Figure.objects.select_related("note"), pk=pk)
    path = figure.rendition_path(name)
    public = figure.note.is_published
    if path is None or not (public or can_view(request.user, figure.note)):
        raise Http404
    try:
        handle = private_storage().open(path, "rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(handle, content_type=mimetypes.guess_type(name)[0])
    response["X-Content-Type-Options"] = "nosniff"
    if public:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response
