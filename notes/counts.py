"""Counts over every published note, computed once per public content generation.

How many published notes each topic, author and series has, how many each year
and month, how many a list holds: each is an aggregate whose cost grows with the
number of notes. It is computed by the first reader after a change and kept in
Django's cache (Redis in production, shared by every app server) under a key
holding the public content generation (:mod:`notes.generation`), which every
commit that changes what the public sees moves on, as does the arrival of a
scheduled note. Later readers get it in one round trip to the cache. What is
written from the counts for every reader alike is kept the same way: the topic and
author indexes (hundreds of entries) as HTML, a key for each language.

``COUNTS_CACHE = False`` (the tests, whose transactions never commit) or a cache
that cannot be reached computes every time.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache

from notes import generation

logger = logging.getLogger(__name__)

KEY = "counts:{generation}:{name}:{digest}"
#: Entries of an old generation are never read again; this only frees the memory sooner.
TIMEOUT = 24 * 3600


def cached(name, compute, *key):
    """``compute()``, kept under ``name`` and ``key`` for the current generation.

    The generation is read before computing: a value computed from data older than a
    change is kept under the number nobody asks for after it.
    """
    number = generation.current() if settings.COUNTS_CACHE else None
    if number is None:
        return compute()
    digest = hashlib.md5(repr(key).encode(), usedforsecurity=False).hexdigest()
    cache_key = KEY.format(generation=number, name=name, digest=digest)
    try:
        value = cache.get(cache_key)
    except Exception as error:
        logger.warning("The cache cannot be read (%r): counting without it.", error)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(cache_key, value, timeout=TIMEOUT)
        except Exception as error:
            logger.warning("The cache cannot be written (%r).", error)
    return value
