"""Which library reads the text of a PDF brief best and fastest.

    python bench/pdf_extractors.py [PDF …]

For each PDF (by default the sample's PDFs in ../shared/briefs/files and the
family in tests/notes/briefs/family), each installed library extracts the
text; the script prints the time (median of 5) and what went wrong with the
characters: radicals or compatibility code points instead of ideographs (⻢
for 马), NULs, private-use glyphs, and the share of the expected ideographs
(those of the brief's text version or truth) that came out at all.

pypdfium2 is the project's dependency; pdfminer.six, pdfplumber and pypdf are
measured when installed (``pip install pdfminer.six pdfplumber pypdf`` into a
scratch environment).
"""

import io
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "briefs"
FAMILY = ROOT / "tests" / "notes" / "briefs" / "family"


def pypdfium2_chars(data):
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(data)
    out = []
    for page in document:
        textpage = page.get_textpage()
        for index in range(textpage.count_chars()):
            out.append(chr(raw.FPDFText_GetUnicode(textpage.raw, index)))
            textpage.get_charbox(index, loose=True)  # what the reader asks for too
        textpage.close()
        page.close()
    document.close()
    return "".join(out)


def pdfminer_text(data):
    from pdfminer.high_level import extract_text

    return extract_text(io.BytesIO(data))


def pdfplumber_chars(data):
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "".join(char["text"] for page in pdf.pages for char in page.chars)


def pypdf_text(data):
    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


LIBRARIES = {
    "pypdfium2 (chars + boxes)": ("pypdfium2", pypdfium2_chars),
    "pdfminer.six (extract_text)": ("pdfminer", pdfminer_text),
    "pdfplumber (chars)": ("pdfplumber", pdfplumber_chars),
    "pypdf (extract_text)": ("pypdf", pypdf_text),
}


def ideographs(text):
    return Counter(ch for ch in text if "\u4e00" <= ch <= "\u9fff")


def expected_text(path):
    if path.parent == FAMILY:
        sys.path.insert(0, str(ROOT))
        from tests.notes.family import BRIEFS

        name = path.name.split("-")[0].split(".")[0]
        return repr(BRIEFS[name])
    return (SHARED / "000_636cb319c578582a.txt").read_text(encoding="utf-8")


def main():
    import logging

    logging.disable(logging.WARNING)  # pdfminer and pypdf complain about fonts
    paths = [Path(p) for p in sys.argv[1:]] or sorted((SHARED / "files").glob("*.pdf")) + sorted(
        FAMILY.glob("*.pdf")
    )
    print(f"load average: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    print(f"{'file':<34} {'library':<28} {'ms':>7}  {'ideographs':>10}  problems")
    for path in paths:
        data = path.read_bytes()
        wanted = ideographs(expected_text(path))
        for label, (module, extract) in LIBRARIES.items():
            try:
                __import__(module)
            except ImportError:
                continue
            times = []
            for _ in range(5):
                started = time.perf_counter()
                try:
                    text = extract(data)
                except Exception as error:
                    text = f"\0{type(error).__name__}"
                times.append((time.perf_counter() - started) * 1000)
            got = ideographs(text)
            found = sum(min(n, got[ch]) for ch, n in wanted.items())
            share = f"{100 * found / sum(wanted.values()):9.1f}%" if wanted else "       n/a"
            radicals = sum(1 for ch in text if "\u2e80" <= ch <= "\u2fdf")
            problems = []
            if radicals:
                problems.append(f"{radicals} radicals")
            if text.count("\0"):
                problems.append(f"{text.count(chr(0))} NULs")
            private = sum(1 for ch in text if "\ue000" <= ch <= "\uf8ff")
            if private:
                problems.append(f"{private} private-use")
            print(
                f"{path.name[:34]:<34} {label:<28} {statistics.median(times):7.1f}  "
                f"{share}  {', '.join(problems) or '-'}"
            )


if __name__ == "__main__":
    main()
