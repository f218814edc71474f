"""The restore drill of docs/operations.md: dump, restore into a fresh database, compare.

The database is dumped the documented way for its engine (``pg_dump`` and
``pg_restore`` for PostgreSQL, SQLite's online backup for SQLite), the media
folder with ``tar``; the copy is read by ``manage.py inventory`` in another
process, as an operator would, and must hold the same notes, versions, users,
media and search results as the original.
"""

import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from accounts.roles import EDITORS
from notes import publishing
from notes.history import save_revision
from notes.models import Note, Topic
from tests.factories import (
    AuthorFactory,
    AuthorshipFactory,
    NoteFactory,
    SectionFactory,
    UserFactory,
    restore_roles,
)

ROOT = Path(__file__).resolve().parent.parent
SEARCHES = ["关税", "半导体", "tariff"]


@pytest.fixture
def content(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    restore_roles()  # a transactional test before this one may have emptied the database
    editor = UserFactory(username="editor", is_staff=True, roles=[EDITORS])
    UserFactory(username="reader", is_active=False)
    author = AuthorFactory(name="林晓岚", slug="lin")
    author.photo.save("lin.png", ContentFile(b"\x89PNG fake photo"), save=True)
    for n, (title, topic) in enumerate(
        [("关税与供应链", "贸易"), ("半导体出口管制", "科技"), ("Tariff outlook", "trade")]
    ):
        note = NoteFactory(title=title, topics=[topic], status=Note.Status.DRAFT, published_at=None)
        AuthorshipFactory(note=note, author=author, position=1)
        SectionFactory(note=note, position=1, heading="一、背景", body=f"{title}的正文。")
        save_revision(note, user=editor, comment="初稿")
        if n < 2:
            publishing.publish(note=note, user=editor)
    NoteFactory(title="关税草稿", status=Note.Status.DRAFT, published_at=None)
    return settings.MEDIA_ROOT


def inventory_here():
    out = io.StringIO()
    call_command("inventory", *[f"--search={q}" for q in SEARCHES], stdout=out)
    return json.loads(out.getvalue())


def inventory_of(database_url, media_root):
    """The inventory as ``manage.py`` prints it in a process of its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.pop("REDIS_URL", None)
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="restore-drill-" + "x" * 50,
        DATABASE_URL=database_url,
        DJANGO_MEDIA_ROOT=str(media_root),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "inventory", *[f"--search={q}" for q in SEARCHES]],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def backup_and_restore_media(media_root, tmp_path):
    archive = tmp_path / "media.tar.gz"
    subprocess.run(["tar", "-C", str(media_root), "-czf", str(archive), "."], check=True)
    restored = tmp_path / "restored-media"
    restored.mkdir()
    subprocess.run(["tar", "-C", str(restored), "-xzf", str(archive)], check=True)
    return restored


def restore_postgresql(tmp_path):
    """pg_dump the test database, pg_restore it into a fresh one; returns its URL."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "PGHOST": db["HOST"] or "127.0.0.1",
        "PGPORT": str(db["PORT"] or 5432),
        "PGUSER": db["USER"] or "postgres",
        "PGPASSWORD": db["PASSWORD"] or "",
    }
    dump = tmp_path / "notes.dump"
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", db["NAME"]],
        env=env,
        check=True,
    )
    fresh = f"{db['NAME'].removeprefix('test_')}_restore"
    subprocess.run(["dropdb", "--if-exists", fresh], env=env, check=True)
    subprocess.run(["createdb", fresh], env=env, check=True)
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={fresh}", str(dump)],
        env=env,
        check=True,
    )
    password = f":{env['PGPASSWORD']}" if env["PGPASSWORD"] else ""
    url = f"postgres://{env['PGUSER']}{password}@{env['PGHOST']}:{env['PGPORT']}/{fresh}"
    return url, lambda: subprocess.run(["dropdb", "--if-exists", fresh], env=env, check=True)


def restore_sqlite(tmp_path):
    """SQLite's online backup of the live database, copied into place as a fresh file."""
    backup = tmp_path / "backup.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(backup) as target:
        connection.connection.backup(target)
    fresh = tmp_path / "restored.sqlite3"
    shutil.copyfile(backup, fresh)
    return f"sqlite:///{fresh}", lambda: None


@pytest.mark.django_db(transaction=True)
def test_a_restored_copy_holds_the_same_site(content, tmp_path):
    before = inventory_here()
    assert before["notes"] == {"draft": 2, "published": 2}
    assert before["versions"]["count"] >= 5 and before["users"]["count"] == 2
    assert before["media"]["count"] == 1
    assert before["search"]["关税"]["total"] == 1 and before["search"]["tariff"]["total"] == 0
    if connection.vendor == "postgresql":
        url, drop = restore_postgresql(tmp_path)
    else:
        url, drop = restore_sqlite(tmp_path)
    try:
        after = inventory_of(url, backup_and_restore_media(content, tmp_path))
    finally:
        drop()
    assert after == before


#: What ``dumpdata`` leaves out (docs/operations.md): what ``migrate`` makes again.
DUMPDATA = ["--natural-foreign", "-e", "contenttypes", "-e", "auth.permission",
            "-e", "auth.group", "-e", "sessions"]  # fmt: skip


def _manage(url, *args, check=True):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.pop("REDIS_URL", None)
    env.update(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="restore-drill-" + "x" * 50, DATABASE_URL=url)
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert not check or result.returncode == 0, result.stderr
    return result


def _fresh_database(tmp_path):
    if connection.vendor != "postgresql":
        return f"sqlite:///{tmp_path / 'fresh.sqlite3'}", lambda: None
    db = connection.settings_dict
    env = {**os.environ, "PGHOST": db["HOST"] or "127.0.0.1", "PGPORT": str(db["PORT"] or 5432),
           "PGUSER": db["USER"] or "postgres", "PGPASSWORD": db["PASSWORD"] or ""}  # fmt: skip
    fresh = f"{db['NAME'].removeprefix('test_')}_loaddata"
    subprocess.run(["dropdb", "--if-exists", fresh], env=env, check=True)
    subprocess.run(["createdb", fresh], env=env, check=True)
    password = f":{env['PGPASSWORD']}" if env["PGPASSWORD"] else ""
    url = f"postgres://{env['PGUSER']}{password}@{env['PGHOST']}:{env['PGPORT']}/{fresh}"
    return url, lambda: subprocess.run(["dropdb", "--if-exists", fresh], env=env, check=True)


@pytest.mark.django_db(transaction=True)
def test_dumpdata_and_loaddata_into_a_fresh_database_keep_search(tmp_path):
    restore_roles()
    call_command("seed_demo", stdout=io.StringIO())  # commits: indexed after the commit
    queries = list(Note.objects.published().values_list("title", flat=True)[:3])
    queries += list(Topic.objects.values_list("name", flat=True)[:3])
    out = io.StringIO()
    call_command("search", *queries, stdout=out)
    before = json.loads(out.getvalue())
    assert all(found["total"] for found in before.values())
    dump = tmp_path / "site.json"
    call_command("dumpdata", *DUMPDATA, output=str(dump))
    url, drop = _fresh_database(tmp_path)
    try:
        _manage(url, "migrate", "--noinput")
        _manage(url, "loaddata", str(dump))  # the loaded notes are indexed after its commit
        after = json.loads(_manage(url, "search", *queries).stdout)
        assert after == before
        assert _manage(url, "rebuild_search_index", "--check").returncode == 0
        # An entry the index lost (a process that died before reindexing): --check says so.
        _manage(url, "shell", "-c", "from search.models import SearchEntry;"
                "SearchEntry.objects.order_by('pk').first().delete()")  # fmt: skip
        assert _manage(url, "rebuild_search_index", "--check", check=False).returncode == 1
        _manage(url, "rebuild_search_index", "--verbosity", "0")
        assert _manage(url, "rebuild_search_index", "--check").returncode == 0
    finally:
        drop()
