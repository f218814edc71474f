"""Two app servers, one PostgreSQL database and one Redis, as in production.

An editor publishes through the first server and the second shows the note at once
on its page, the home page, the list, the feed and search, although the second had
cached those pages a moment before; a withdrawal through the second hides it at
once on the first. Both run gunicorn with production settings.

Needs PostgreSQL (``DATABASE_URL``) and Redis (``REDIS_URL``); elsewhere the test is
skipped, and it fails instead when ``REQUIRE_SERVERS=1`` (CI). The servers listen on
``TWO_SERVER_PORTS`` (e.g. ``8120,8121``) or on two free ports.
"""

import http.client
import os
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from redis import Redis

from accounts.roles import EDITORS
from notes.models import Note
from tests.factories import (
    AuthorshipFactory,
    NoteFactory,
    SectionFactory,
    UserFactory,
    restore_roles,
)

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery staple"
TITLE = "两台服务器之间的简报"


def _missing():
    missing = []
    if connection.vendor != "postgresql":
        missing.append("PostgreSQL (DATABASE_URL)")
    if not os.environ.get("REDIS_URL"):
        missing.append("Redis (REDIS_URL)")
    return " and ".join(missing)


REQUIRED = os.environ.get("REQUIRE_SERVERS") == "1"
pytestmark = [
    # Skipped before any database is set up for it; in CI a missing service fails instead.
    pytest.mark.skipif(
        bool(_missing()) and not REQUIRED, reason=f"the two-server test needs {_missing()}"
    ),
    pytest.mark.django_db(transaction=True),
]


def _ports():
    if os.environ.get("TWO_SERVER_PORTS"):
        return [int(p) for p in os.environ["TWO_SERVER_PORTS"].split(",")]
    ports = []
    for _ in range(2):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            ports.append(s.getsockname()[1])
    return ports


def _database_url():
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Browser:
    """HTTP through a TLS-ending proxy, as the servers expect it: keeps its cookies."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, data=None):
        headers = {"X-Forwarded-Proto": "https", "Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://127.0.0.1:{self.port}"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode()
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers, text

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, data):
        return self.request("POST", path, data)

    def sign_in(self, username):
        self.get("/accounts/login/")
        status, _, _ = self.post(
            "/accounts/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": self._token()},
        )
        assert status == 302, "sign-in refused"

    def admin_action(self, action, note):
        assert self.get("/admin/notes/note/")[0] == 200
        status, _, _ = self.post(
            "/admin/notes/note/",
            {
                "action": action,
                "_selected_action": [note.pk],
                "index": 0,
                "csrfmiddlewaretoken": self._token(),
            },
        )
        assert status == 302, f"{action} refused ({status})"

    def _token(self):
        return self.cookies["csrftoken"]


def _start(port, env, log):
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py",
         "--bind", f"127.0.0.1:{port}", "config.wsgi"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip


def _wait_until_up(port, server, deadline):
    while time.monotonic() < deadline:
        assert server.poll() is None, "a server stopped at start-up"
        try:
            if Browser(port).get("/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"the server on port {port} did not start")


@pytest.fixture
def servers(tmp_path):
    if _missing():
        pytest.fail(f"the two-server test needs {_missing()}")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "two-server-test-key-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_BEHIND_TLS_PROXY": "1",
        "SITE_URL": "https://notes.example.org",
        "DATABASE_URL": _database_url(),
        "WEB_CONCURRENCY": "1",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),  # not the checkout's own
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    # Start afresh: no generation or page an earlier run left (Django's key format).
    redis = Redis.from_url(os.environ["REDIS_URL"])
    redis.delete(":1:public:generation", *redis.keys(":1:page:*"))
    ports, processes = _ports(), []
    try:
        for port in ports:
            log = (tmp_path / f"server-{port}.log").open("w")
            processes.append(_start(port, env, log))
        deadline = time.monotonic() + 60
        for port, process in zip(ports, processes, strict=True):
            _wait_until_up(port, process, deadline)
        yield ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        for log in tmp_path.glob("server-*.log"):
            print(log.name, log.read_text()[-3000:], sep="\n")


def _public_pages(note):
    return {
        "note": note.get_absolute_url(),
        "home": "/",
        "list": "/notes/",
        "feed": "/feed/",
        "search": "/search/?" + urlencode({"q": "两台服务器"}),
    }


def _shows(port, path, note):
    """Whether the page at ``path`` shows ``note`` (links to it, or is it)."""
    status, headers, body = Browser(port).get(path)
    assert status in (200, 404), (path, status)
    if status == 404:
        return False
    assert "public" in headers["Cache-Control"], path
    assert headers.get("Set-Cookie") is None, path
    return path == note.get_absolute_url() or note.get_absolute_url() in body


def test_a_change_through_one_server_is_seen_at_once_on_the_other(servers):
    first, second = servers
    restore_roles()
    # Hashed for the servers' hashers (the tests' own is a fast one they do not know).
    editor = UserFactory(username="editor", is_staff=True, roles=[EDITORS])
    editor.password = PBKDF2PasswordHasher().encode(PASSWORD, "two-servers", iterations=1000)
    editor.save(update_fields=["password"])
    NoteFactory(title="早先的简报")
    note = NoteFactory(title=TITLE, status=Note.Status.REVIEW, published_at=None)
    AuthorshipFactory(note=note, position=1)
    SectionFactory(note=note, position=1, heading="", body="两台服务器共享同一个缓存。")
    pages = _public_pages(note)

    for port in (first, second):  # both servers cache every page without the note
        for name, path in pages.items():
            assert not _shows(port, path, note), (port, name)
    redis = Redis.from_url(os.environ["REDIS_URL"])
    assert len(redis.keys(":1:page:*")) >= 2 * (len(pages) - 1)  # all but the 404s

    publisher = Browser(first)
    publisher.sign_in("editor")
    publisher.admin_action("publish_selected", note)
    note.refresh_from_db()
    assert note.is_published

    for name, path in pages.items():
        assert _shows(second, path, note), f"{name} on the second server"
        assert _shows(first, path, note), f"{name} on the first server"

    withdrawer = Browser(second)
    withdrawer.sign_in("editor")
    withdrawer.admin_action("withdraw_selected", note)

    for name, path in pages.items():
        assert not _shows(first, path, note), f"{name} on the first server after the withdrawal"
        assert not _shows(second, path, note), f"{name} on the second server after the withdrawal"
    assert "早先的简报" in Browser(first).get("/")[2]
