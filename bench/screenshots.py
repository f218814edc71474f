"""Screenshots of the main public pages at desktop and phone widths.

Needs Debian's ``chromium`` (and ``fonts-noto-cjk`` for Chinese glyphs). Serves the
site from the local database (migrated and seeded first) on a free port, then writes
PNGs to ``screenshots/``, with the PDFs of two notes and their first pages as PNG
(``pdftoppm``, from Debian's poppler-utils, when installed).

    python bench/screenshots.py [--lang zh-CN|en] [--out screenshots]
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "home": "/",
    "list": "/notes/?topic=%E4%B8%AD%E7%BE%8E%E5%85%B3%E7%B3%BB",
    "archive": "/archive/2021/",
    "note": "/notes/{note}/",
    "note-full": "/notes/{note}/",
    "note-version": "/notes/{note}/anchorage-talks-2021/v/1/",
    "topics": "/topics/",
    "author": "/authors/lin-xiaolan/",
    "search": "/search/?q=%E4%B8%AD%E7%BE%8E",
    "404": "/no-such-page/",
}
#: PDFs of notes saved beside the screenshots, with their first page as PNG.
PDFS = {"pdf-zh": "anchorage-talks-2021", "pdf-en": "trade-supply-chains-english"}
WIDTHS = {"1280": (1280, 2000), "375": (375, 2600)}
#: Pages shown down to their end (the citations and the QR code): height per width.
TALL = {"note-full": {"1280": 2700, "375": 4400}}
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars",
]  # fmt: skip


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(*args, env):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_for(url, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the site did not answer at {url}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="zh-CN")
    parser.add_argument("--out", default=str(ROOT / "screenshots"))
    options = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        raise SystemExit(
            "chromium is not installed (Debian: apt-get install chromium fonts-noto-cjk)"
        )
    env = {**os.environ, "DJANGO_DEBUG": "1"}
    manage("migrate", "--noinput", "-v0", env=env)
    manage("seed_demo", env=env)
    query = (
        "from notes.models import Note; "
        f"print(*Note.objects.filter(slug__in={list(PDFS.values())!r}).values_list('slug', 'pk'))"
    )
    ids = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", query],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    notes = dict(re.findall(r"\('([^']+)', (\d+)\)", ids))
    note = notes["anchorage-talks-2021"]
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    prefix = "/en" if options.lang.startswith("en") else ""  # the language is in the URL
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz")
        for name, path in PAGES.items():
            for width, (w, h) in WIDTHS.items():
                h = TALL.get(name, {}).get(width, h)
                target = out / f"{name}-{width}.png"
                with tempfile.TemporaryDirectory() as profile:
                    subprocess.run(
                        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                         f"--lang={options.lang}", f"--accept-lang={options.lang}",
                         f"--window-size={w},{h}",
                         f"--screenshot={target}",
                         f"http://127.0.0.1:{port}{prefix}{path.format(note=note)}"],
                        check=True, capture_output=True, timeout=60,
                    )  # fmt: skip
                print(target)
        pdftoppm = shutil.which("pdftoppm")
        for name, slug in PDFS.items():
            target = out / f"{name}.pdf"
            url = f"http://127.0.0.1:{port}/notes/{notes[slug]}/note.pdf"
            with urllib.request.urlopen(url) as response:
                target.write_bytes(response.read())
            if pdftoppm:  # the first page as PNG (Debian: poppler-utils)
                subprocess.run(
                    [pdftoppm, "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile",
                     str(target), str(out / f"{name}-page1")],
                    check=True,
                )  # fmt: skip
                print(out / f"{name}-page1.png")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
