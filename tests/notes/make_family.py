"""Print the family PDFs into tests/notes/briefs/family/ (rerun after changing family.py).

    python -m tests.notes.make_family

Needs Chromium and the Noto CJK fonts (Debian: chromium fonts-noto-cjk).
"""

import subprocess
import sys
import tempfile
from pathlib import Path

from tests.notes.family import FAMILY, HTML_VARIANTS, fpdf2_pdf, html

CHROMIUM = "/usr/bin/chromium"
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def print_pdf(source: Path, target: Path) -> None:
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--no-pdf-header-footer",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


def main():
    FAMILY.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as workdir:
        for variant in HTML_VARIANTS:
            source = Path(workdir) / f"{variant}.html"
            source.write_text(html(variant), encoding="utf-8")
            target = FAMILY / f"{variant}.chromium.pdf"
            print_pdf(source, target)
            print(target, target.stat().st_size, file=sys.stderr)
    target = FAMILY / "county.fpdf2.pdf"
    target.write_bytes(fpdf2_pdf("county", FONT))
    print(target, target.stat().st_size, file=sys.stderr)


if __name__ == "__main__":
    main()
