"""Brief files built in the tests: PDF (fpdf2) and Word (python-docx) versions of
``briefs/plain_en.txt``, and broken files of every kind."""

import io
import re
import zipfile
from pathlib import Path

BRIEFS = Path(__file__).parent / "briefs"


def english_blocks():
    """The blocks of the English brief, each on one line (wrapped lines re-joined)."""
    text = (BRIEFS / "plain_en.txt").read_text(encoding="utf-8")
    front, *rest = re.split(r"\n\s*\n", text.strip())
    blocks = front.split("\n")  # series, type and title stay separate lines
    for block in rest:
        line = ""
        for part in block.split("\n"):
            line += part if line.endswith("-") or not line else f" {part}"
        blocks.append(line)
    return blocks


def english_pdf() -> bytes:
    """The English brief on small pages, so paragraphs run across page breaks.

    Pages after the first carry a running header; every page a page number.
    The PDF uses the core Helvetica font: fpdf2 can only put Chinese into a
    PDF with a CJK TrueType font, which neither the project nor CI ships.
    """
    from fpdf import FPDF

    class Brief(FPDF):
        def header(self):
            if self.page_no() > 1:
                self.set_font("Helvetica", size=8)
                self.cell(0, 5, "Research Note", align="R", new_x="LMARGIN", new_y="NEXT")

        def footer(self):
            self.set_y(-12)
            self.set_font("Helvetica", size=8)
            self.cell(0, 5, str(self.page_no()), align="C")

    pdf = Brief(format=(148, 130))
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_page()
    for block in english_blocks():
        pdf.set_font("Helvetica", size=10)
        pdf.multi_cell(0, 5, block, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    return bytes(pdf.output())


def english_docx(*, headings=True) -> bytes:
    """The English brief as Word: Title and Heading styles when ``headings``."""
    import docx

    document = docx.Document()
    for block in english_blocks():
        if headings and block.startswith("Shipping Costs"):
            document.add_heading(block, level=0)
        elif headings and re.match(r"^\d\. ", block):
            document.add_heading(block, level=1)
        elif headings and block.startswith("(a)"):
            document.add_heading(block, level=2)
        else:
            document.add_paragraph(block)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def scanned_pdf() -> bytes:
    """A PDF page with drawings but no text layer, as a scanner makes."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    for row in range(20):
        pdf.rect(20, 20 + row * 10, 150, 4, style="F")
    return bytes(pdf.output())


def encrypted_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica")
    pdf.cell(text="A secret brief")
    pdf.set_encryption(owner_password="owner", user_password="reader")
    return bytes(pdf.output())


def truncated_pdf() -> bytes:
    data = english_pdf()
    return data[: len(data) // 3]


def lying_zip() -> bytes:
    """A .docx-named zip whose directory declares 100 bytes for a 70 MB entry."""
    import struct

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (70 * 1024 * 1024))
    data = bytearray(buffer.getvalue())
    entry = data.rfind(b"PK\x01\x02")  # the last central-directory record
    data[entry + 24 : entry + 28] = struct.pack("<I", 100)  # its uncompressed size
    return bytes(data)


def zip_bomb(*, entries=1, size=80 * 1024 * 1024) -> bytes:
    """A .docx-named zip that inflates far beyond what a brief needs."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        chunk = b"\0" * (1024 * 1024)
        for n in range(entries):
            with archive.open(f"word/part{n}.xml", "w", force_zip64=True) as member:
                for _ in range(size // len(chunk)):
                    member.write(chunk)
                member.write(b"\0" * (size % len(chunk)))
    return buffer.getvalue()


def pdf_with_cmap(mapping: str, text: str = "The brief text reads well on paper " * 12) -> bytes:
    """A one-page PDF whose text layer maps every character code through ``mapping``
    (a ToUnicode ``bfrange`` destination such as ``<E000>`` or ``<00000041>``): the
    page looks right, the extracted text does not."""
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CMapName /Broken def 1 begincodespacerange <00> <FF> endcodespacerange\n"
        f"1 beginbfrange <20> <7E> {mapping} endbfrange\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    lines = [text[i : i + 60] for i in range(0, len(text), 60)]
    content = "BT /F1 11 Tf 14 TL 60 760 Td " + " ".join(f"({line}) '" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        f"<< /Length {len(cmap)} >>\nstream\n{cmap}\nendstream",
    ]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer << /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()
