"""Views of the site as a whole: error pages, the health check, uploads."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.cache import patch_cache_control
from django.views.static import serve

logger = logging.getLogger(__name__)

MEDIA_MAX_AGE = 365 * 24 * 3600


def server_error(request):
    """The 500 page: rendered from the template alone, touching neither the database
    nor the session (it may be shown because one of them failed)."""
    context = {"SITE_NAME": settings.SITE_NAME, "request_id": getattr(request, "id", "")}
    return HttpResponseServerError(loader.get_template("500.html").render(context))


def csrf_failure(request, reason=""):
    """A form sent without a valid token: the site's page, not Django's."""
    return render(request, "403_csrf.html", status=403)


def healthz(request):
    """Whether this app server can answer: its database and its cache.

    503 when the database fails; a failing cache is reported but not fatal,
    since pages are then served uncached.
    """
    checks = {"database": _check(_database), "cache": _check(_cache)}
    status = 200 if checks["database"] == "ok" else 503
    return JsonResponse(checks, status=status)


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache():
    cache.set("healthz", 1, timeout=10)
    if cache.get("healthz") != 1:
        raise RuntimeError("the cache did not keep a value")


def _check(probe):
    try:
        probe()
    except Exception as error:
        logger.warning("Health check: %s failed: %s", probe.__name__.strip("_"), error)
        return "error"
    return "ok"


def media(request, path):
    """An upload from MEDIA_ROOT. Stored names never change content (a new upload
    of the same name gets a new name), so browsers may keep them for a year."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    if response.status_code == 200:
        patch_cache_control(response, public=True, max_age=MEDIA_MAX_AGE)
    return response
