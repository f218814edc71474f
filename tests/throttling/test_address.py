"""The client address: from X-Forwarded-For, trusting exactly the configured proxy hops."""

import pytest
from django.test import RequestFactory

from throttling.address import client_address, client_network

PROXY = "10.0.0.2"


@pytest.mark.parametrize(
    ("hops", "remote", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "198.51.100.1", "203.0.113.9"),  # no proxy: the header is ignored
        (1, PROXY, "198.51.100.1", "198.51.100.1"),
        (1, PROXY, "1.1.1.1, 198.51.100.1", "198.51.100.1"),  # forged entry on the left
        (1, PROXY, "1.1.1.1,2.2.2.2 , 198.51.100.1", "198.51.100.1"),
        (2, PROXY, "1.1.1.1, 198.51.100.1, 10.0.0.1", "198.51.100.1"),
        (2, PROXY, "198.51.100.1", PROXY),  # fewer entries than hops: the nearest peer
        (1, PROXY, None, PROXY),  # header missing
        (1, PROXY, "", PROXY),
        (1, PROXY, "garbage", PROXY),
        (1, PROXY, "198.51.100.1, unknown", PROXY),
        (1, PROXY, "[2001:db8::1]:443", "2001:db8::1"),
        (1, PROXY, "2001:DB8:0::1", "2001:db8::1"),
        (1, PROXY, "198.51.100.1:5555", "198.51.100.1"),
        (1, "", "198.51.100.1", "198.51.100.1"),  # proxy over a Unix socket
        (0, "", None, None),
    ],
)
def test_client_address(settings, hops, remote, forwarded, expected):
    settings.TRUSTED_PROXY_HOPS = hops
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_address(RequestFactory().get("/", **headers)) == expected


@pytest.mark.parametrize(
    ("remote", "network"),
    [
        ("198.51.100.7", "198.51.100.7"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:bbbb::9", "2001:db8:1:2::/64"),
        ("", "unknown"),
    ],
)
def test_limits_count_ipv6_clients_by_their_64(settings, remote, network):
    settings.TRUSTED_PROXY_HOPS = 0
    assert client_network(RequestFactory().get("/", REMOTE_ADDR=remote)) == network
