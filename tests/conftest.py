from contextlib import contextmanager
from pathlib import Path

import pytest

from accounts.roles import ADMINISTRATORS, AUTHORS, EDITORS
from tests.factories import UserFactory

SHARED_DIR = Path(__file__).resolve().parent.parent.parent / "shared"
BRIEFS_DIR = SHARED_DIR / "briefs"


@pytest.fixture
def shared_briefs():
    """The sample briefs in ../shared; CI sets REQUIRE_SHARED=1 so their absence fails."""
    import os

    if not BRIEFS_DIR.is_dir():
        if os.environ.get("REQUIRE_SHARED") == "1":
            pytest.fail(f"{BRIEFS_DIR} is missing, and CI requires it")
        pytest.skip(f"{BRIEFS_DIR} is not present in this checkout")
    return BRIEFS_DIR


@pytest.fixture
def pdf_fonts():
    """The CJK fonts the PDF of a note needs (Debian: fonts-noto-cjk). CI sets
    REQUIRE_PDF_FONTS=1 (and installs them), so there their absence fails."""
    import os

    from notes import pdf

    message = pdf.missing_fonts_message()
    if message:
        if os.environ.get("REQUIRE_PDF_FONTS") == "1":
            pytest.fail(f"{message} (CI requires them)")
        pytest.skip(message)


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", is_staff=True, roles=[EDITORS])


@pytest.fixture
def author_user(db):
    return UserFactory(username="writer", is_staff=True, roles=[AUTHORS])


@pytest.fixture
def administrator(db):
    return UserFactory(username="admin", is_staff=True, roles=[ADMINISTRATORS])


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request for an English page
    leaves English active in the thread, and ``reverse()`` would follow it."""
    from django.utils import translation

    translation.activate("zh-hans")
    yield
    translation.activate("zh-hans")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: no rate-limit counts or public generation
    from earlier tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def django_capture_on_commit_callbacks(django_capture_on_commit_callbacks):
    """pytest-django's fixture, for code that runs once per transaction.

    ``notes.aftercommit.on_commit_once`` adds a transaction's later changes to
    the callback its first change registered. A test's transaction never
    commits, so a callback registered before a capture block (by the test's
    set-up) would never run and would swallow the changes made inside the
    block: such callbacks are let go when a block starts.
    """
    from django.db import connection

    from notes.aftercommit import _Once

    @contextmanager
    def capture(**kwargs):
        for _, callback, _ in connection.run_on_commit:
            if isinstance(callback, _Once):
                callback.pending = False
        with django_capture_on_commit_callbacks(**kwargs) as callbacks:
            yield callbacks

    return capture
