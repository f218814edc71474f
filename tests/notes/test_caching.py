"""Public pages: no cookie, cacheable headers, 304s, the shared page cache, and the
language chosen by the URL alone."""

import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from notes import generation, publishing
from notes.models import Note
from tests.factories import (
    AuthorFactory,
    AuthorshipFactory,
    NoteFactory,
    SectionFactory,
    SeriesFactory,
)

pytestmark = pytest.mark.django_db

MAX_AGE = re.compile(r"(?:^|, )max-age=(\d+)")


@pytest.fixture
def note():
    series, author = SeriesFactory(slug="hot"), AuthorFactory(slug="lin")
    note = NoteFactory(
        title="中美会谈",
        series=series,
        topics=["中美关系"],
        published_at=timezone.now() - timedelta(days=40),
    )
    AuthorshipFactory(note=note, author=author, position=1)
    SectionFactory(note=note, position=1, heading="一、开场", body="正文。")
    return note


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE = True


def public_urls(note):
    year, month = note.published_at.astimezone().year, note.published_at.astimezone().month
    urls = [
        "/", "/notes/", "/notes/?topic=中美关系", note.get_absolute_url(), "/topics/",
        "/topics/中美关系/", "/authors/", "/authors/lin/", "/series/hot/", "/archive/",
        f"/archive/{year}/", f"/archive/{year}/{month}/", "/search/?q=中美",
        "/feed/", "/feed/rss/", "/topics/中美关系/feed/", "/authors/lin/feed/",
        "/series/hot/feed/", f"/notes/{note.pk}/cite.bib", f"/notes/{note.pk}/cite.ris",
        f"/notes/{note.pk}/cite.json",
    ]  # fmt: skip
    return [*urls, *("/en" + url for url in urls), "/sitemap.xml", "/robots.txt"]


def max_age(response):
    return int(MAX_AGE.search(response["Cache-Control"]).group(1))


def test_every_public_page_is_cacheable_and_sets_no_cookie(client, note, settings):
    for url in public_urls(note):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not response.cookies, url
        assert "Set-Cookie" not in response, url
        cache_control = response["Cache-Control"]
        assert "public" in cache_control, url
        assert f"max-age={settings.PUBLIC_PAGE_MAX_AGE}" in cache_control, url
        assert f"s-maxage={settings.PUBLIC_PAGE_MAX_AGE}" in cache_control, url
        assert response["ETag"] and response["Last-Modified"], url
        assert "Accept-Language" not in response.get("Vary", ""), url


@pytest.mark.parametrize("cached", [True, False])
def test_a_repeated_conditional_get_is_answered_304(client, note, settings, cached):
    settings.PAGE_CACHE = cached
    for url in ("/notes/", note.get_absolute_url(), "/feed/", "/sitemap.xml", "/en/notes/"):
        first = client.get(url)
        by_etag = client.get(url, headers={"if-none-match": first["ETag"]})
        assert by_etag.status_code == 304, url
        assert by_etag.content == b""
        assert "public" in by_etag["Cache-Control"]
        assert client.get(url, headers={"if-none-match": '"other"'}).status_code == 200
        if cached:  # uncached, a page is as new as its rendering
            by_date = client.get(url, headers={"if-modified-since": first["Last-Modified"]})
            assert by_date.status_code == 304, url


@pytest.mark.parametrize(
    "headers",
    [
        {"if-none-match": "garbage, ,,W/"},
        {"if-none-match": '"' + "x" * 10_000},
        {"if-modified-since": "yesterday"},
        {"if-modified-since": "Mon, 99 Foo 2021 99:99:99 GMT"},
        {"if-modified-since": "9" * 500},
        {"accept-language": "en-US,en;q=0.9," * 2_000},
        {"accept-language": "xx-invalid;;;q=abc,*"},
    ],
)
def test_malformed_or_hostile_headers_give_the_page(client, note, headers):
    response = client.get("/notes/", headers=headers)
    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"
    assert '<html lang="zh-hans">' in response.content.decode()


@pytest.mark.parametrize("url", ["/fr/notes/", "/zh-hans/notes/", "/en-us/notes/", "/EN/", "/xx/"])
def test_unknown_language_prefixes_are_404(client, note, url):
    assert client.get(url).status_code == 404


def test_the_switcher_is_links_to_the_same_page(client, note):
    html = client.get("/notes/?topic=中美关系").content.decode()
    english = "/en/notes/?topic=%E4%B8%AD%E7%BE%8E%E5%85%B3%E7%B3%BB"
    assert f'<a href="{english}" hreflang="en" lang="en">English</a>' in html
    assert "<form" not in html.split('class="language-switcher"')[1].split("</nav>")[0]
    html = client.get(english).content.decode()
    assert '<html lang="en">' in html
    assert 'hreflang="zh-Hans" lang="zh-hans">简体中文</a>' in html


def test_hreflang_alternates_in_the_head(client, note):
    path = note.get_absolute_url()
    html = client.get("/en" + path).content.decode()
    head = html.split("</head>")[0]
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', head))
    assert alternates == {
        "zh-Hans": "http://localhost:8000" + path,
        "en": "http://localhost:8000/en" + path,
        "x-default": "http://localhost:8000" + path,
    }


def test_hreflang_alternates_in_the_sitemap(client, note):
    root = ET.fromstring(client.get("/sitemap-notes.xml").content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    for url in root.findall("s:url", ns):
        loc = url.find("s:loc", ns).text
        links = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)}
        assert set(links) == {"zh-hans", "en", "x-default"}, loc
        assert loc in links.values()
        assert links["en"] == links["zh-hans"].replace("testserver/", "testserver/en/", 1)


def test_signed_in_pages_preview_and_admin_are_private(client, editor, note):
    draft = NoteFactory(status=Note.Status.DRAFT, published_at=None)
    client.force_login(editor)
    for url in [
        "/",
        "/en/notes/",
        note.get_absolute_url(),
        "/feed/",
        "/admin/",
        "/admin/notes/note/",
        reverse("admin:notes_note_preview", args=[draft.pk]),
        reverse("accounts:password_change"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url
        assert "public" not in response["Cache-Control"], url


@pytest.mark.parametrize("url", ["/accounts/login/", "/en/accounts/password/reset/", "/healthz"])
def test_account_pages_are_never_stored(client, url):
    response = client.get(url)
    assert "no-store" in response["Cache-Control"]


def test_a_pending_message_is_not_served_to_others(client, note, page_cache):
    storage = CookieStorage(RequestFactory().get("/"))
    client.cookies[storage.cookie_name] = storage._encode([Message(constants.INFO, "只给你看")])
    response = client.get("/notes/")
    assert "只给你看" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert "只给你看" not in Client().get("/notes/").content.decode()


def test_pages_are_served_from_the_shared_cache(client, note, page_cache):
    first = client.get("/notes/")
    assert first.context is not None  # rendered
    second = client.get("/notes/")
    assert second.context is None  # from the cache
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_a_publication_shows_at_once(
    client, note, editor, page_cache, django_capture_on_commit_callbacks
):
    waiting = NoteFactory(title="新的简报", status=Note.Status.REVIEW, published_at=None)
    AuthorshipFactory(note=waiting, position=1)
    SectionFactory(note=waiting, position=1)
    pages = ["/", "/notes/", "/feed/", "/en/notes/"]
    for url in pages:
        assert "新的简报" not in client.get(url).content.decode()
        assert client.get(url).context is None  # cached
    with django_capture_on_commit_callbacks(execute=True):
        publishing.publish(note=waiting, user=editor)
    for url in pages:
        assert "新的简报" in client.get(url).content.decode(), url
    with django_capture_on_commit_callbacks(execute=True):
        publishing.withdraw(note=waiting, user=editor)
    for url in pages:
        assert "新的简报" not in client.get(url).content.decode(), url


def test_a_scheduled_note_appears_on_time_under_the_cache(client, note, page_cache, time_machine):
    now = timezone.now().replace(microsecond=0)
    time_machine.move_to(now, tick=False)
    due = now + timedelta(minutes=30)
    NoteFactory(title="定时简报", published_at=due)
    response = client.get("/")
    assert "定时简报" not in response.content.decode()
    assert max_age(response) == 120  # the configured time: the note is due later
    time_machine.move_to(due - timedelta(seconds=45), tick=False)
    response = client.get("/")
    assert response.context is None and "定时简报" not in response.content.decode()
    assert max_age(response) == 45  # no copy outlives the publication
    assert "s-maxage=45" in response["Cache-Control"]
    time_machine.move_to(due, tick=False)
    response = client.get("/")
    assert "定时简报" in response.content.decode()
    assert max_age(response) == 120  # nothing more is scheduled
    assert "定时简报" in client.get("/feed/").content.decode()


def test_an_unreachable_cache_still_serves_pages(client, note, page_cache, caplog):
    with mock.patch.object(cache, "get", side_effect=ConnectionError("down")):
        for _ in range(2):
            response = client.get("/notes/")
            assert response.status_code == 200
            assert response.context is not None  # rendered each time
            assert "public" in response["Cache-Control"]
    assert "cannot be reached" in caplog.text


def test_uncached_pages_still_stop_before_a_scheduled_publication(client, note, settings):
    settings.PAGE_CACHE = False
    due = timezone.now() + timedelta(seconds=30)
    NoteFactory(published_at=due)
    with mock.patch.object(generation, "state", return_value=(None, {})):  # no cache at all
        response = client.get("/notes/")
    assert 0 <= max_age(response) <= 30


def test_cached_responses_get_fresh_security_headers(client, note, page_cache):
    client.get("/")
    response = client.get("/")
    assert response.context is None
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["X-Request-ID"] != client.get("/")["X-Request-ID"]


def test_an_old_session_cookie_is_dropped_then_the_page_is_public(
    client, note, page_cache, settings
):
    client.get("/notes/")
    client.cookies[settings.SESSION_COOKIE_NAME] = "expired-or-forged"
    response = client.get("/notes/")
    assert response.context is not None  # rendered: only cookie-less requests use the cache
    assert response.cookies[settings.SESSION_COOKIE_NAME].value == ""  # deleted
    assert "no-store" in response["Cache-Control"]  # a response that sets a cookie is private
    response = client.get("/notes/")
    assert response.context is None and "public" in response["Cache-Control"]


def test_a_missing_redis_still_serves_pages(client, note, page_cache, settings, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }
    for url in ("/", "/notes/", note.get_absolute_url(), "/feed/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "public" in response["Cache-Control"]
    assert "cannot be reached" in caplog.text
