"""Rate limits shared through the cache: search, sign-in, and the 429 page."""

import logging

import pytest
from django.urls import reverse
from django.utils import timezone

from throttling import limits
from throttling.limits import SEARCH, SIGN_IN, Limit

pytestmark = pytest.mark.django_db

SEARCH_URL = reverse("search:search")
LOGIN = reverse("accounts:login")


@pytest.fixture
def frozen(time_machine):
    """Windows are fixed: keep a test inside one."""
    time_machine.move_to(timezone.now().replace(second=1, minute=1), tick=False)
    return time_machine


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXY_HOPS = 1


def from_address(address):
    return {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": address}


def assert_refused(response):
    assert response.status_code == 429
    assert "429.html" in [t.name for t in response.templates]
    assert "base.html" in [t.name for t in response.templates]
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert int(response["Retry-After"]) > 0


def test_search_is_limited_per_client_address(client, frozen, behind_proxy):
    for _ in range(SEARCH.count):
        assert (
            client.get(SEARCH_URL, {"q": "中国"}, **from_address("198.51.100.1")).status_code == 200
        )
    refused = client.get(SEARCH_URL, {"q": "中国"}, **from_address("198.51.100.1"))
    assert_refused(refused)
    assert "请求过于频繁" in refused.content.decode()
    other = client.get(SEARCH_URL, {"q": "中国"}, **from_address("198.51.100.2"))
    assert other.status_code == 200
    frozen.shift(SEARCH.seconds)
    assert client.get(SEARCH_URL, **from_address("198.51.100.1")).status_code == 200


def test_a_forged_chain_does_not_escape_the_search_limit(client, frozen, behind_proxy):
    for n in range(SEARCH.count):
        client.get(SEARCH_URL, **from_address(f"192.0.2.{n}, 198.51.100.1"))
    assert_refused(client.get(SEARCH_URL, **from_address("192.0.2.250, 198.51.100.1")))


def test_the_429_page_speaks_english(client, frozen, behind_proxy):
    for _ in range(SEARCH.count):
        client.get(SEARCH_URL, **from_address("198.51.100.1"))
    refused = client.get("/en" + SEARCH_URL, **from_address("198.51.100.1"))
    assert_refused(refused)
    text = refused.content.decode()
    assert 'lang="en"' in text and "Too many requests" in text and "请求过于频繁" not in text


def test_sign_in_attempts_are_limited_per_client_address_across_accounts(
    client, frozen, behind_proxy
):
    for n in range(SIGN_IN.count):
        response = client.post(
            LOGIN, {"username": f"user{n}", "password": "guess"}, **from_address("198.51.100.1")
        )
        assert response.status_code == 200
    assert_refused(
        client.post(
            LOGIN, {"username": "someone", "password": "guess"}, **from_address("198.51.100.1")
        )
    )
    assert client.get(LOGIN, **from_address("198.51.100.1")).status_code == 200
    other = client.post(
        LOGIN, {"username": "someone", "password": "guess"}, **from_address("198.51.100.2")
    )
    assert other.status_code == 200


def test_an_unreachable_cache_lets_requests_through_and_says_so(monkeypatch, caplog):
    class Broken:
        def add(self, *args, **kwargs):
            raise ConnectionError("Redis is down")

        incr = set = add

    monkeypatch.setattr(limits, "cache", Broken())
    limit = Limit("test", count=1, seconds=60)
    with caplog.at_level(logging.WARNING, logger="throttling.limits"):
        assert [limit.exceeded("k") for _ in range(3)] == [False, False, False]
    assert "cannot be reached" in caplog.text


def test_limit_counts_in_fixed_windows(frozen):
    limit = Limit("test", count=2, seconds=600)
    assert [limit.exceeded("k") for _ in range(3)] == [False, False, True]
    assert not limit.exceeded("other key")
    frozen.shift(limit.retry_after())
    assert not limit.exceeded("k")
