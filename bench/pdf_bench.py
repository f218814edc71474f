"""How long the PDF of a note takes: the first request (typeset and stored) and
the cached one (read from media storage), end to end through Django.

    python bench/pdf_bench.py [--runs N]

Uses a throw-away SQLite database (or DATABASE_URL when set) with the demo
content and a generated note of about 20 pages, and a throw-away private storage folder.
Needs a CJK font (Debian: fonts-noto-cjk). Prints median and worst times.
"""

import argparse
import io
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LONG_PARAGRAPH = (
    "闭门会谈在气候变化、公共卫生、人员往来等领域进行了务实讨论。在战略竞争的大背景下，"
    "保持对话、避免误判，本身就具有重要价值。今后一段时期，竞争与合作并存的格局很可能延续，"
    "高层沟通的频率和质量值得持续观察。"
)


def timed(function, runs):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    options = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="pdf-bench-")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
    os.environ["DJANGO_PRIVATE_MEDIA_ROOT"] = f"{workdir}/private"
    # The PDF's own path, not the page cache in front of it (a page-cache hit costs
    # what any cached page does).
    os.environ["DJANGO_PAGE_CACHE"] = "0"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from pypdf import PdfReader

    from notes import pdf
    from notes.models import Note, Section, private_storage

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    started = time.perf_counter()
    message = pdf.missing_fonts_message()
    found = (time.perf_counter() - started) * 1000
    if message:
        raise SystemExit(message)

    long_note = Note.objects.get(slug="anchorage-talks-2021")
    long_note.pk, long_note.slug, long_note.title = None, "long-note", "二十页的长文"
    long_note.save()
    for n in range(1, 11):
        Section.objects.create(
            note=long_note,
            position=n,
            heading=f"第{n}部分",
            body="\n\n".join([LONG_PARAGRAPH * 2] * 12),
        )
    long_note.authorships.create(author_id=1, position=1)

    client = Client(HTTP_HOST="localhost")
    started_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print("load average: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(f"finding the fonts (once per process): {found:.0f} ms")
    for slug in ("anchorage-talks-2021", "trade-supply-chains-english", "long-note"):
        note = Note.objects.get(slug=slug)
        url = f"/notes/{note.pk}/note.pdf"
        document = pdf.document_for(note)

        def first(url=url, note=note):
            for name in private_storage().listdir(f"{pdf.STORAGE_DIR}/{note.pk}")[1]:
                private_storage().delete(f"{pdf.STORAGE_DIR}/{note.pk}/{name}")
            assert client.get(url).status_code == 200

        def cached(url=url):
            assert client.get(url).status_code == 200

        def typeset(document=document):
            pdf.render(document)

        if private_storage().exists(f"{pdf.STORAGE_DIR}/{note.pk}"):
            first()
        response = client.get(url)
        pages = len(PdfReader(io.BytesIO(response.content)).pages)
        print(f"{slug}: {len(response.content) / 1024:.0f} KiB, {pages} pages")
        for label, function in (
            ("  first request (typeset + store)", first),
            ("  cached request (from storage)", cached),
            ("  typesetting alone", typeset),
        ):
            median, worst = timed(function, options.runs)
            print(
                f"{label:<36} {median:8.1f} ms median {worst:8.1f} ms worst ({options.runs} runs)"
            )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak RSS {peak / 1024:.0f} MiB (was {started_rss / 1024:.0f} MiB before the first PDF)")


if __name__ == "__main__":
    main()
