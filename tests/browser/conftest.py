"""Browser tests: Debian's Chromium, driven by Playwright, against a live server.

The server runs in this process (Django's ``LiveServerThread``) on the test database,
filled once for the whole package with the demo content and the bad input the site
must survive (:mod:`tests.browser.site`); the public page cache is on, as in
production. Nothing is downloaded: Playwright drives ``/usr/bin/chromium`` (Debian:
``apt-get install chromium fonts-noto-cjk``) and axe-core is vendored
(``vendor/axe.min.js``, see ``AXE_VERSION``).

Without Chromium or Playwright the tests are skipped; with ``REQUIRE_BROWSER=1``
(CI) they fail instead. When a test fails, screenshots of its page and of every
public page type are written to ``BROWSER_ARTIFACTS`` (``var/browser-artifacts``).
"""

import contextlib
import os
import re
import time
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("BROWSER_ARTIFACTS", ROOT / "var" / "browser-artifacts"))
AXE_VERSION = "4.14.1"  # npm: axe-core; vendor/axe.min.js is its axe.min.js, unchanged
AXE_SOURCE = Path(__file__).parent / "vendor" / "axe.min.js"
#: The widths and colour schemes every public page is checked in.
VARIANTS = [
    pytest.param((width, scheme), id=f"{width}-{scheme}")
    for width in (375, 1280)
    for scheme in ("light", "dark")
]


def _missing():
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Playwright (the dev extras)"
    if not os.access(CHROMIUM, os.X_OK):
        return f"Chromium at {CHROMIUM} (Debian: apt-get install chromium fonts-noto-cjk)"
    return ""


def pytest_collection_modifyitems(config, items):
    missing = _missing()
    here = Path(__file__).parent
    if not missing:
        return
    ours = [item for item in items if here in Path(item.fspath).parents]
    if ours and os.environ.get("REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"The browser tests need {missing}, and CI requires them.")
    for item in ours:
        item.add_marker(pytest.mark.skip(reason=f"the browser tests need {missing}"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not report.failed or "site" not in getattr(item, "funcargs", {}):
        return
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = getattr(item, "browser_page", None)
    if page is not None and not page.is_closed():
        name = re.sub(r"[^\w.-]+", "_", item.nodeid.split("::", 1)[-1])
        with contextlib.suppress(Exception):  # the page may have gone with the failure
            page.screenshot(path=ARTIFACTS / f"failed-{name}.png", full_page=True)
    if not getattr(item.session, "page_types_taken", False) and "browser" in item.funcargs:
        item.session.page_types_taken = True
        from tests.browser.site import screenshot_page_types

        screenshot_page_types(item.funcargs["browser"], item.funcargs["site"], ARTIFACTS)


@pytest.fixture(scope="session")
def browser():
    """Chromium for the whole session.

    Playwright's synchronous API keeps an event loop in this thread, so Django is told
    the thread is no async context (``DJANGO_ALLOW_ASYNC_UNSAFE``) while it runs.
    """
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            yield chromium
            chromium.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def site(live_server, settings, browser):
    """The live server (pytest-django's, over a test database emptied after each test)
    with the browser tests' content, and the public page cache on as in production."""
    from tests.browser import site as content

    settings.PAGE_CACHE = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    return content.build(live_server.url)


@pytest.fixture(scope="session")
def axe_source():
    source = AXE_SOURCE.read_text(encoding="utf-8")
    assert source.startswith(f"/*! axe v{AXE_VERSION}"), "vendor/axe.min.js is not the pinned axe"
    return source


@pytest.fixture
def open_page(browser, site, request):
    """``open_page(width=1280, scheme="light")``: a page in a new browser context that
    records console errors and requests to other origins (see :class:`Watched`)."""
    contexts = []

    def make(width=1280, scheme="light", **options):
        context = browser.new_context(
            viewport={"width": width, "height": 900}, color_scheme=scheme, **options
        )
        contexts.append(context)
        page = context.new_page()
        request.node.browser_page = page
        return Watched(page, site.url)

    yield make
    for context in contexts:
        context.close()


class Watched:
    """A Playwright page that keeps what went wrong: console errors (CSP refusals
    among them), dialogs, and every request that left the site."""

    def __init__(self, page, origin):
        self.page = page
        self.origin = origin
        self.errors = []
        self.dialogs = []
        self.foreign = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("dialog", self._dialog)
        page.on("request", self._request)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _request(self, request):
        url = request.url
        if not (url.startswith(self.origin + "/") or url.startswith("data:")):
            self.foreign.append(url)

    def __getattr__(self, name):
        return getattr(self.page, name)

    def visit(self, path, *, status=200):
        response = self.page.goto(self.origin + path)
        assert response is not None and response.status == status, (
            f"{path}: {response and response.status}"
        )
        assert unquote(self.page.url) == unquote(self.origin + path), (
            f"{path} led to {self.page.url}"
        )
        if status >= 400:  # Chromium reports the page's own status as a console error
            expected = f"the server responded with a status of {status}"
            self.errors = [e for e in self.errors if expected not in e]
        return response

    def wait_until(self, expression, timeout=10):
        """Wait until ``expression`` is true in the page. Playwright's own
        ``wait_for_function`` polls with ``eval``, which the site's CSP refuses."""
        deadline = time.monotonic() + timeout
        while not self.page.evaluate(expression):
            assert time.monotonic() < deadline, f"still false after {timeout} s: {expression}"
            self.page.wait_for_timeout(50)


def axe_violations(page, axe_source):
    """axe-core's violations on ``page``, all rules its defaults run (every impact)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations'], preload: false})")
    return [
        f"{v['id']} ({v['impact']}): "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in result["violations"]
    ]


def overflow(page):
    """Elements that reach past the right edge of the viewport, if the page scrolls sideways."""
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          if (document.documentElement.scrollWidth <= width) return [];
          return [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > width + 0.5)
            .slice(0, 5)
            .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''));
        }"""
    )


def chinese_outside_chinese(page):
    """Text with Chinese characters whose language, by its nearest ``lang``, is not
    Chinese: an interface string inside an English note, or a Chinese name in the
    English interface. Citations are left out: a reference mixes both by its style."""
    return page.evaluate(
        r"""() => {
          const found = [];
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let node; (node = walker.nextNode()); ) {
            if (!/[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]/.test(node.data)) continue;
            const element = node.parentElement;
            if (element.closest('script, style, .citation')) continue;
            const lang = (element.closest('[lang]') || document.documentElement).lang;
            if (!lang.toLowerCase().startsWith('zh')) {
              found.push(`${element.tagName.toLowerCase()}: ${node.data.trim().slice(0, 30)}`);
            }
          }
          return found.slice(0, 5);
        }"""
    )


def inline_scripts(page):
    """Script written into the page rather than loaded from a file (JSON data aside),
    and handlers in attributes: what the Content-Security-Policy would have to refuse."""
    return page.evaluate(
        """() => [
          ...document.querySelectorAll('script:not([src])'),
          ...[...document.querySelectorAll('*')].filter(e =>
              [...e.attributes].some(a => a.name.startsWith('on'))),
        ].filter(e => !/^application\\/(ld\\+)?json$/.test(e.type || ''))
         .map(e => e.outerHTML.slice(0, 80))"""
    )
