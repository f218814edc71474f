"""How long importing a brief takes.

    python bench/import_bench.py [BRIEF.txt]

Times reading and parsing (text, the 3-page Chinese PDFs and the Word files
of the sample in ../shared/briefs/files, the generated family's PDFs), writing
a draft (create and re-import) into a throw-away SQLite database (or
DATABASE_URL when set), and the ``import_brief`` command end to end. Prints
median and worst times. The target: a 3-page Chinese PDF parses in 300 ms or less.
"""

import os
import statistics
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_BRIEF = ROOT.parent / "shared" / "briefs" / "000_636cb319c578582a.txt"
SHARED_FILES = ROOT.parent / "shared" / "briefs" / "files"
FAMILY = ROOT / "tests" / "notes" / "briefs" / "family"


def timed(function, runs):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times)


def report(label, function, runs):
    function()  # warm up: imports and PDFium's start are paid once per process
    median, worst = timed(function, runs)
    print(f"{label:<44} {median:8.2f} ms median {worst:8.2f} ms worst ({runs} runs)")


def main():
    brief_path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_BRIEF
    workdir = tempfile.mkdtemp(prefix="import-bench-")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from django.core.management import call_command

    from notes.importing import load_brief
    from notes.importing.store import save_brief
    from notes.models import Note
    from tests.notes.brief_files import english_docx, english_pdf

    call_command("migrate", verbosity=0)
    data = brief_path.read_bytes()
    pdf, docx = english_pdf(), english_docx()
    print(
        f"brief: {brief_path.name} ({len(data)} bytes); "
        f"PDF {len(pdf)} bytes; DOCX {len(docx)} bytes"
    )

    print(f"load average: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    report("read + parse text brief", lambda: load_brief(brief_path.name, data), 200)
    report("read + parse PDF brief (English, 2 pages)", lambda: load_brief("b.pdf", pdf), 20)
    report("read + parse DOCX brief", lambda: load_brief("b.docx", docx), 20)
    files = sorted(SHARED_FILES.glob("*.pdf")) + sorted(FAMILY.glob("*.pdf"))
    files += sorted(SHARED_FILES.glob("*.docx"))
    for path in files:
        content = path.read_bytes()
        label = f"read + parse {path.name}"
        report(label[:44], lambda c=content, n=path.name: load_brief(n, c), 20)

    _, brief = load_brief(brief_path.name, data)

    def create():
        Note.objects.filter(import_key__gt="").delete()
        save_brief(brief, create_taxonomy=True)

    report("save draft (create note, 4 sections)", create, 20)
    report("save draft again (re-import, update)", lambda: save_brief(brief), 20)

    def command():
        call_command("import_brief", str(brief_path), stdout=StringIO(), stderr=StringIO())

    report("import_brief command, one file, end to end", command, 20)


if __name__ == "__main__":
    main()
