"""The site as a whole: error pages, health check, security headers, cookies, logs, uploads."""

import copy
import io
import json
import logging
import logging.config
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client
from gunicorn.glogging import SafeAtoms

from config import settings as production_settings
from config.logs import JsonFormatter
from tests.factories import AuthorFactory

pytestmark = pytest.mark.django_db


def refuse_queries(execute, sql, params, many, context):
    raise OperationalError("the database is down")


# Error pages.


@pytest.mark.parametrize(
    ("url", "chinese", "english"),
    [
        ("/no-such-page/", "页面不存在", "Page not found"),
        ("/notes/999999/x/", "页面不存在", "Page not found"),
        ("/topics/unknown/", "页面不存在", "Page not found"),
    ],
)
def test_404_in_the_site_s_style_in_both_languages(client, url, chinese, english):
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert chinese in html and '<html lang="zh-hans">' in html
    assert 'class="site-header"' in html and 'href="/"' in html  # the way back
    assert 'name="q"' in html  # a search box
    english_response = client.get("/en" + url)
    assert english_response.status_code == 404
    assert english in english_response.content.decode()
    assert '<html lang="en">' in english_response.content.decode()


def test_403_in_both_languages(client, author_user):
    client.force_login(author_user)
    response = client.get("/admin/accounts/user/")
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()
    response = client.get("/en/admin/accounts/user/")
    assert response.status_code == 403
    assert "Access denied" in response.content.decode()


def test_a_form_without_its_token_gets_the_site_s_403():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/en/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


def test_400_for_an_unknown_host(client):
    response = client.get("/", headers={"host": "evil.example.org"})
    assert response.status_code == 400
    assert "请求有误" in response.content.decode()


@pytest.mark.parametrize("signed_in", [False, True])
def test_500_renders_without_a_database(editor, signed_in):
    client = Client(raise_request_exception=False)
    if signed_in:
        client.force_login(editor)
    with connection.execute_wrapper(refuse_queries):
        response = client.get("/en/notes/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Server error" in html and '<html lang="en">' in html
    assert 'class="site-header"' in html and "研究简报" in html
    assert response["X-Request-ID"] in html  # a reference the reader can quote
    assert "no-store" in response["Cache-Control"]


def test_500_in_chinese():
    client = Client(raise_request_exception=False)
    with mock.patch("notes.views.Note.objects.published", side_effect=RuntimeError):
        response = client.get("/")
    assert response.status_code == 500
    assert "服务器出错了" in response.content.decode()


# Health check.


def test_healthz_checks_the_database_and_the_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_answers_plain_http_even_when_https_is_enforced(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301


def test_healthz_fails_without_the_database(client):
    with connection.execute_wrapper(refuse_queries):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error"


def test_healthz_reports_a_broken_cache_but_stays_up(client):
    with mock.patch("config.views.cache.set", side_effect=ConnectionError("down")):
        response = client.get("/healthz")
    assert response.status_code == 200  # pages are served uncached meanwhile
    assert response.json() == {"database": "ok", "cache": "error"}


# Security headers, scored by the MDN HTTP Observatory's rules.


def observatory_score(response):
    """The Observatory's modifiers for what one response shows (its scoring table,
    the tests that depend on headers): baseline 100."""
    csp = dict(
        [*part.split(" ", 1), ""][:2] for part in response["Content-Security-Policy"].split("; ")
    )
    unsafe = any(
        "'unsafe-inline'" in csp.get(d, "") or "'unsafe-eval'" in csp.get(d, "")
        for d in ("script-src", "style-src", "default-src")
    )
    hsts = response.get("Strict-Transport-Security", "")
    max_age = int(hsts.split("max-age=")[1].split(";")[0]) if "max-age=" in hsts else 0
    cookies = response.cookies.values()
    rules = {
        "csp-default-src-none": 10 if csp.get("default-src") == "'none'" and not unsafe else 0,
        "cookies": 5
        if cookies and all(c["secure"] and c["samesite"] and c["httponly"] for c in cookies)
        else 0,  # no cookie scores 0
        "corp-same-origin": 10
        if response.get("Cross-Origin-Resource-Policy") in ("same-origin", "same-site")
        else 0,
        "coop-same-origin": 10
        if response.get("Cross-Origin-Opener-Policy") == "same-origin"
        else 0,
        "referrer-policy-private": 5
        if response.get("Referrer-Policy")
        in ("no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin")
        else 0,
        "x-frame-options-via-csp": 5 if csp.get("frame-ancestors") == "'none'" else 0,
        "hsts-six-months": 0 if max_age >= 15_768_000 else -20,
        "x-content-type-options": 0 if response.get("X-Content-Type-Options") == "nosniff" else -5,
    }
    return 100 + sum(rules.values()), rules


def test_the_home_page_scores_at_least_130_with_the_observatory_s_rules(client):
    response = client.get("/", secure=True)
    score, rules = observatory_score(response)
    assert rules["csp-default-src-none"] == 10
    assert rules["corp-same-origin"] == 10
    assert rules["referrer-policy-private"] == rules["x-frame-options-via-csp"] == 5
    assert rules["hsts-six-months"] == rules["x-content-type-options"] == 0
    assert score >= 130, rules
    assert "preload" not in response["Strict-Transport-Security"]


def test_permissions_policy_denies_powerful_features(client):
    policy = client.get("/")["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


@pytest.mark.parametrize("url", ["/", "/en/notes/", "/no-such-page/", "/healthz", "/sitemap.xml"])
def test_every_response_keeps_to_its_origin(client, url):
    response = client.get(url)
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_every_cookie_is_secure_httponly_and_samesite(client, editor):
    client.get("/accounts/login/")
    response = client.post(
        "/accounts/login/", {"username": "editor", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    assert set(response.cookies) >= {"sessionid", "csrftoken"}
    for cookie in response.cookies.values():
        assert cookie["secure"] and cookie["httponly"], cookie.key
        assert cookie["samesite"] == "Lax", cookie.key
    assert settings.LANGUAGE_COOKIE_SECURE and settings.LANGUAGE_COOKIE_SAMESITE == "Lax"


# Logs.


@pytest.fixture
def json_log():
    """The production logging set-up with LOG_FORMAT=json, written to a buffer."""
    stream = io.StringIO()
    config = copy.deepcopy(production_settings.LOGGING)
    config["handlers"]["console"].update(formatter="json", stream=stream)
    logging.config.dictConfig(config)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logging.config.dictConfig(settings.LOGGING)


def test_json_logs_carry_the_request_id(client, json_log):
    response = client.get("/no-such-page/")
    [line] = json_log()
    assert line["logger"] == "django.request"
    assert line["request_id"] == response["X-Request-ID"]
    assert line["status_code"] == 404 and line["path"] == "/no-such-page/"
    assert line["client"] == "127.0.0.1"
    assert {"time", "level", "message"} <= set(line)


def test_a_refused_request_is_info_without_traceback(client, author_user, json_log):
    client.force_login(author_user)
    assert client.get("/admin/accounts/user/").status_code == 403
    [line] = [entry for entry in json_log() if entry["logger"] == "django.request"]
    assert line["level"] == "INFO" and line["status_code"] == 403
    assert "exc_info" not in line


def test_a_server_error_keeps_its_traceback(json_log):
    client = Client(raise_request_exception=False)
    with mock.patch("notes.views.Note.objects.published", side_effect=RuntimeError("boom")):
        client.get("/")
    [line] = [entry for entry in json_log() if entry["logger"] == "django.request"]
    assert line["level"] == "ERROR" and "RuntimeError: boom" in line["exc_info"]


def test_a_proxy_s_request_id_is_kept_when_it_looks_like_one(client):
    assert client.get("/", headers={"x-request-id": "abc-123.def_456"})["X-Request-ID"] == (
        "abc-123.def_456"
    )
    forged = client.get("/", headers={"x-request-id": "<script>\n"})["X-Request-ID"]
    assert len(forged) == 32 and forged.isalnum()


def test_gunicorn_access_lines_become_fields():
    atoms = SafeAtoms(
        {"h": "10.0.0.1", "m": "GET", "U": "/notes/", "q": "page=2", "s": 200, "B": 5120,
         "M": 12, "a": 'curl "7"', "{x-request-id}o": "abc123", "{x-forwarded-for}i": "1.2.3.4"}
    )  # fmt: skip
    record = logging.LogRecord("gunicorn.access", logging.INFO, "", 0, "%(h)s", (atoms,), None)
    line = json.loads(JsonFormatter().format(record))
    assert line["path"] == "/notes/" and line["status"] == 200 and line["duration_ms"] == 12
    assert line["request_id"] == "abc123" and line["forwarded_for"] == "1.2.3.4"


# Uploads.


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "authors").mkdir()
    (tmp_path / "authors" / "lin.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    return tmp_path


def test_uploads_are_served_with_long_cache_headers(client, media_root):
    author = AuthorFactory(slug="lin", photo="authors/lin.png")
    assert author.photo.url == "/media/authors/lin.png"
    response = client.get(author.photo.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "max-age=31536000" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/media/authors/missing.png", 404),
        ("/media/authors/", 404),
        ("/media/authors/lin.png%00.html", 404),
        ("/media/../config/settings.py", 400),
        ("/media/%2e%2e/config/settings.py", 400),
        ("/en/media/authors/lin.png", 404),
    ],
)
def test_a_missing_or_forbidden_upload_is_a_clear_4xx(client, media_root, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert "no-store" in response["Cache-Control"]


def test_the_redis_cache_keeps_one_client_per_pool():
    from config.cache import RedisCache

    backend = RedisCache("redis://127.0.0.1:6379/0", {})._cache  # no connection is made
    assert backend.get_client() is backend.get_client(write=True)


def test_head_answers_carry_no_body_but_the_length():
    from django.http import HttpResponse
    from django.test import RequestFactory

    from config.middleware import ResponseDefaultsMiddleware

    page = HttpResponse(b"<p>page</p>", headers={"Content-Length": "11"})
    middleware = ResponseDefaultsMiddleware(lambda request: page)
    response = middleware(RequestFactory().head("/"))
    assert response.content == b"" and response["Content-Length"] == "11"
