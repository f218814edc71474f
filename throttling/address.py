"""The client's address, the one place every limit and the sign-in lockout take it from.

Behind ``TRUSTED_PROXY_HOPS`` proxies, each proxy appends the address it
received the request from to ``X-Forwarded-For``. The client is therefore the
entry that many places from the right; entries further left were sent by the
client itself and prove nothing, so a forged chain changes nothing. With no
trusted hop (no proxy), ``X-Forwarded-For`` is ignored.
"""

import ipaddress

from django.conf import settings


def _address(value: str) -> str | None:
    """``value`` as a normalised IP address (a port or brackets removed), or ``None``."""
    value = value.strip()
    if value.startswith("["):  # [2001:db8::1]:443
        value = value[1:].partition("]")[0]
    elif value.count(":") == 1:  # 192.0.2.1:8080
        value = value.partition(":")[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_address(request) -> str | None:
    """The address of the client behind the trusted proxies; ``None`` if none is known."""
    hops = settings.TRUSTED_PROXY_HOPS
    if hops:
        chain = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if len(chain) >= hops:
            address = _address(chain[-hops])
            if address:
                return address
    return _address(request.META.get("REMOTE_ADDR", ""))


def client_network(request) -> str:
    """What a rate limit counts by: the client's IPv4 address, or its IPv6 /64.

    One subscriber usually holds a whole IPv6 /64, so counting single IPv6
    addresses would give each of them billions of allowances.
    """
    address = client_address(request)
    if address is None:
        return "unknown"
    if ":" in address:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address) + "/64"
    return address
