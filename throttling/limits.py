"""Rate limits counted in Django's cache, so every app server counts together.

A limit allows ``count`` events per key in fixed windows of ``seconds``
(windows start on multiples of ``seconds`` since the epoch, so nothing slides).
When the cache cannot be reached the limit lets the request through and says
so in the log: a broken Redis must not take the site down with it.
"""

import hashlib
import logging
import time
from dataclasses import dataclass
from functools import wraps

from django.core.cache import cache

from throttling.address import client_network
from throttling.views import too_many_requests

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    name: str
    count: int
    seconds: int

    def exceeded(self, key: str) -> bool:
        """Count one event for ``key``; ``True`` once more than ``count`` fall in this window."""
        window = int(time.time()) // self.seconds
        digest = hashlib.sha256(key.encode()).hexdigest()[:32]
        cache_key = f"ratelimit:{self.name}:{window}:{digest}"
        try:
            cache.add(cache_key, 0, timeout=self.seconds + 5)
            count = cache.incr(cache_key)
        except ValueError:  # evicted between add and incr: count this one afresh
            cache.set(cache_key, 1, timeout=self.seconds + 5)
            count = 1
        except Exception:
            logger.warning("Rate limit %s not applied: the cache cannot be reached.", self.name)
            return False
        return count > self.count

    def retry_after(self) -> int:
        """Seconds until the current window ends."""
        return self.seconds - int(time.time()) % self.seconds


#: Searches per client address (IPv6: per /64).
SEARCH = Limit("search", count=60, seconds=60)
#: Sign-in attempts (passwords and codes) per client address, whatever the account.
SIGN_IN = Limit("sign-in", count=30, seconds=15 * 60)
#: Password-reset requests per client address.
RESET_REQUESTS = Limit("reset-requests", count=10, seconds=60 * 60)
#: Password-reset mails per e-mail address (one address is one account).
RESET_MAILS = Limit("reset-mails", count=3, seconds=60 * 60)


def rate_limit(limit: Limit, *, methods=("GET", "POST")):
    """Answer 429 to a client address past ``limit`` for requests of ``methods``."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods and limit.exceeded(client_network(request)):
                return too_many_requests(request, retry_after=limit.retry_after())
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
