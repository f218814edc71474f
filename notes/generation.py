"""The public content generation: a number that changes whenever what the public sees may.

Anything cached from public content (whole pages, search results) is cached
under a key holding :func:`current`. The number lives in Django's cache
(Redis in production), so every app server reads the same one:

- a commit that changes a note, a section, a byline, a topic link, an author,
  a topic, a series, a note type or a correction bumps it, once per transaction, after the
  commit (:func:`changed`, connected to those models' signals and to
  ``notes.signals.notes_changed``, which writes through ``QuerySet.update()``
  send);
- the next scheduled publication time is kept beside it, with the number it
  was read for: once that time has come, the first reader bumps it, so a note
  scheduled for 10:00 is on every cached page from 10:00 with no worker.

The number is bumped with ``incr``, never rewritten: a page rendered from
data read before a commit is stored under the old number, which nobody asks
for again. A missing number (evicted, or Redis restarted) is started afresh
at a random value, so old entries are never mistaken for new ones. When the
cache cannot be reached, :func:`current` returns ``None`` and callers serve
uncached.
"""

import logging
import secrets
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import NamedTuple

from django.core.cache import cache
from django.utils import timezone

from notes.aftercommit import on_commit_once

logger = logging.getLogger(__name__)

KEY = "public:generation"
#: ``(generation, time of the next scheduled publication or None)``, for one generation.
NEXT_KEY = "public:next-publication"


class State(NamedTuple):
    number: int
    #: when the next scheduled note becomes public (``None``: nothing is scheduled)
    next_publication: datetime | None


#: The state read at the start of the request being served (``serving``).
_serving: ContextVar["State | None"] = ContextVar("public_generation", default=None)


def current() -> int | None:
    """The generation now, or ``None`` if the cache cannot be reached.

    While a request is being served, the number it started with: what the page keeps
    per generation is then kept under the number its page is, without asking the
    cache again.
    """
    known = _serving.get()
    if known is not None:
        return known.number
    now, _ = state()
    return now.number if now else None


@contextmanager
def serving(now: "State | None"):
    """Within the block, :func:`current` is ``now`` (read by the caller from
    :func:`state` before the page is rendered); ``None`` leaves it to be read."""
    token = _serving.set(now)
    try:
        yield
    finally:
        _serving.reset(token)


def state(*, also=()) -> tuple[State | None, dict]:
    """The generation now with the time of the next scheduled publication, and the
    values of the cache keys in ``also``, read in the same round trip.

    The state is ``None`` (and the values empty) if the cache cannot be reached.
    """
    try:
        values = cache.get_many([KEY, NEXT_KEY, *also])
        generation = values.pop(KEY, None)
        if generation is None:
            cache.add(KEY, secrets.randbelow(2**62), timeout=None)
            generation = cache.get(KEY)
        known = values.pop(NEXT_KEY, None)
        if known and known[0] == generation and known[1] and known[1] <= timezone.now():
            generation = cache.incr(KEY)
        if not known or known[0] != generation:
            known = (generation, next_publication())
            cache.set(NEXT_KEY, known, timeout=None)
    except Exception as error:
        logger.warning("The cache cannot be reached (%r): serving without it.", error)
        return None, {}
    return State(generation, known[1]), values


def next_publication():
    """When the next scheduled note becomes public, read from the database."""
    from notes.models import Note

    return (
        Note.objects.filter(status=Note.Status.PUBLISHED, published_at__gt=timezone.now())
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )


def bump() -> int | None:
    """Move to a new generation now; returns it (``None`` if the cache failed)."""
    try:
        return cache.incr(KEY)
    except ValueError:  # no number yet: the next reader starts one
        return None
    except Exception as error:
        logger.warning("The cache cannot be reached (%r): the generation was not bumped.", error)
        return None


def changed():
    """Public content may have changed: bump once, after the current transaction
    commits (at once outside a transaction)."""
    on_commit_once(_bump_after_commit)


def _bump_after_commit(_items):
    bump()


def _on_change(sender, raw=False, **kwargs):
    if not raw:
        changed()


def connect():
    from django.db.models.signals import post_delete, post_save

    from notes.models import (
        Author,
        Authorship,
        Correction,
        Figure,
        Note,
        NoteType,
        Section,
        Series,
        TaggedNote,
        Topic,
    )
    from notes.signals import notes_changed

    uid = "notes.generation"
    models = (
        Note,
        Section,
        Figure,
        Authorship,
        TaggedNote,
        Author,
        Topic,
        Series,
        NoteType,
        Correction,
    )
    for model in models:
        post_save.connect(_on_change, sender=model, dispatch_uid=uid)
        post_delete.connect(_on_change, sender=model, dispatch_uid=uid)
    notes_changed.connect(_on_change, dispatch_uid=uid)
