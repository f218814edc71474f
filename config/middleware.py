"""Middleware that every response passes through, public page or not."""

import re
import uuid

from django.middleware import locale
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from config import logs

REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class RequestIdMiddleware:
    """Gives each request an id, on every log line written while it runs and in the
    ``X-Request-ID`` response header. A proxy's ``X-Request-ID`` is kept when it looks
    like one, so that its log and ours can be matched."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request.id = incoming if REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        token = logs.request_id.set(request.id)
        try:
            response = self.get_response(request)
        finally:
            logs.request_id.reset(token)
        response["X-Request-ID"] = request.id
        return response


class ResponseDefaultsMiddleware:
    """Headers that hold unless a view says otherwise.

    - ``Cross-Origin-Resource-Policy: same-origin``: no other site may embed our
      pages, images or files.
    - ``Cache-Control: private, no-store`` on anything that did not choose its own
      caching: only what is marked public (``notes.caching.public_page``, static
      files) may be kept by a browser or a proxy.

    It also leaves out the body of an answer to HEAD (keeping its length), which
    gunicorn would otherwise drop with a warning for every such request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if "Cache-Control" not in response:
            add_never_cache_headers(response)
        if request.method == "HEAD" and not response.streaming:
            response.content = b""
        return response


class LocaleMiddleware(locale.LocaleMiddleware):
    """Django's, for a site where the URL alone gives the language.

    With ``i18n_patterns(prefix_default_language=False)`` a path without a prefix
    is always in the default language, whatever the browser asks for, so the
    ``Vary: Accept-Language`` Django adds to such responses is untrue and would
    split every shared cache by the browsers' language settings.
    """

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
