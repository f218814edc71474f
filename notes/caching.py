"""Caching of the public pages, in browsers and proxies and in Django's cache.

Two parts:

- :func:`public_page` wraps a public view. For someone signed in, or with a
  message waiting for them, the page gets ``Cache-Control: private, no-store``;
  for anyone else it is marked public.
- :class:`PublicPageCacheMiddleware`, just after the static files in
  ``MIDDLEWARE``, finishes a public page: an ``ETag`` (the digest of the page),
  ``Last-Modified``, ``Cache-Control: public, max-age, s-maxage``
  (``PUBLIC_PAGE_MAX_AGE``, cut short so that no copy outlives the next
  scheduled publication), and 304 for a conditional GET that matches.

  For a request without session or message cookie (anonymous for sure), it
  keeps the finished page in Django's cache (Redis in production) with the
  public content generation (:mod:`notes.generation`) read *before* the page
  was rendered, and serves it again while that is still the generation: a page
  read from data older than a change is never taken for one that follows it,
  and every app server reads the same number, so each sees a change at once.
  The generation and the page come in one round trip to the cache; a page
  served from the cache passes through none of the middleware below this one
  (the page was kept with the headers they added).

Only complete 200 responses without cookies are kept; when the cache cannot be
reached, pages are rendered every time. A page served from the cache is not
counted by the rate limit of its view (search): only the requests that reach
the view do the work the limit protects.
"""

import hashlib
import logging
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
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
    """Mark ``view``'s pages public for anonymous readers (see the module's docstring)."""

    @wraps(view)
    def public_view(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            if request.user.is_authenticated or len(get_messages(request)) > 0:
                add_never_cache_headers(response)
            else:
                response.public_page = True
        return response

    return public_view


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = now = None
        if request.method in ("GET", "HEAD") and _surely_anonymous(request):
            key = KEY.format(url=_digest(request.build_absolute_uri()))
            now, values = generation.state(also=[key] if settings.PAGE_CACHE else [])
            entry = values.get(key)
            if entry and now and entry[0] == now.number:
                return _finish(request, entry[1], now)
        # What the page keeps per generation (counts, a note's related notes) is
        # kept under the number read here, as the page is.
        with generation.serving(now):
            response = self.get_response(request)
        if not (getattr(response, "public_page", False) and _cacheable(response)):
            return response
        # One piece, not the hundreds a feed is written in: each would be a write to
        # the socket, for every reader.
        response.content = response.content
        set_response_etag(response)
        response.headers.setdefault("Last-Modified", http_date())
        if key and now and settings.PAGE_CACHE:
            _store(key, now.number, response)
        return _finish(request, response, now or generation.state()[0])


def _surely_anonymous(request):
    """No session (so not signed in) and no message waiting in a cookie."""
    cookies = request.COOKIES
    return not cookies.get(settings.SESSION_COOKIE_NAME) and not cookies.get(
        CookieStorage.cookie_name
    )


def _finish(request, response, now):
    """The conditional answer, with the time it may be kept."""
    response = get_conditional_response(
        request,
        etag=response["ETag"],
        last_modified=parse_http_date_safe(response["Last-Modified"]),
        response=response,
    )
    max_age = _max_age(now.next_publication if now else generation.next_publication())
    patch_cache_control(response, public=True, max_age=max_age, s_maxage=max_age)
    return response


def _digest(url):
    return hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()


def _cacheable(response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
    )


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
