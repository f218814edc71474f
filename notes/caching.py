"""Caching of the public pages, in browsers and proxies and in Django's cache.

:func:`public_page` wraps a public view. For an anonymous GET it

- serves the page from Django's cache (Redis in production), where it is kept
  with the public content generation (:mod:`notes.generation`) read *before*
  it was rendered, and only while that is still the generation: a page read
  from data older than a change is never taken for one that follows it, and
  every app server reads the same number, so each sees a change at once. The
  generation and the page come in one round trip to the cache;
- sends ``Cache-Control: public, max-age, s-maxage`` (``PUBLIC_PAGE_MAX_AGE``,
  cut short so that no copy outlives the next scheduled publication), an
  ``ETag`` (the digest of the page) and ``Last-Modified``, and answers a
  conditional GET with 304.

A request from someone signed in, or with a message waiting for them, gets the
page rendered for them with ``Cache-Control: private, no-store``, and nothing
is stored. Only complete 200 responses without cookies are cached; when the
cache cannot be reached pages are rendered every time.
"""

import hashlib
import logging
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.utils import timezone
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    set_response_etag,
)
from django.utils.http import http_date, parse_http_date_safe

from notes import generation

logger = logging.getLogger(__name__)

KEY = "page:{url}"


def public_page(view):
    """Cache ``view``'s pages for anonymous readers (see the module's docstring)."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        if _is_personal(request):
            response = view(request, *args, **kwargs)
            add_never_cache_headers(response)
            return response
        key = KEY.format(url=_digest(request.build_absolute_uri()))
        now, values = generation.state(also=[key] if settings.PAGE_CACHE else [])
        response = _cached(values.get(key), now)
        if response is None:
            response = _render(view(request, *args, **kwargs))
            if not _cacheable(response):
                return response
            set_response_etag(response)
            response.headers.setdefault("Last-Modified", http_date())
            if now and settings.PAGE_CACHE:
                _store(key, now.number, response)
        response = get_conditional_response(
            request,
            etag=response["ETag"],
            last_modified=parse_http_date_safe(response["Last-Modified"]),
            response=response,
        )
        max_age = _max_age(now.next_publication if now else generation.next_publication())
        patch_cache_control(response, public=True, max_age=max_age, s_maxage=max_age)
        return response

    return cached_view


def _is_personal(request):
    return request.user.is_authenticated or len(get_messages(request)) > 0


def _digest(url):
    return hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()


def _render(response):
    """A template response rendered now (class-based views and the sitemap return one)."""
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    return response


def _cacheable(response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
    )


def _cached(entry, now):
    """The response in a cache entry, if it was stored under the current generation."""
    if entry and now and entry[0] == now.number:
        return entry[1]
    return None


def _store(key, number, response):
    try:
        cache.set(key, (number, response), timeout=settings.PAGE_CACHE_TIMEOUT)
    except Exception as error:
        logger.warning("The page cache cannot be written (%r).", error)


def _max_age(next_publication):
    """Seconds a copy may be kept: the configured time, or less when a scheduled
    note is due sooner."""
    max_age = settings.PUBLIC_PAGE_MAX_AGE
    if next_publication is not None:
        until = (next_publication - timezone.now()).total_seconds()
        max_age = max(0, min(max_age, int(until)))
    return max_age
