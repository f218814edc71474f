import random

import pytest

from notes.importing import BriefError, load_brief, parse_text
from notes.importing.readers import MAX_FILE_SIZE, read_bytes, read_path
from tests.notes.brief_files import (
    BRIEFS,
    encrypted_pdf,
    english_docx,
    english_pdf,
    lying_zip,
    scanned_pdf,
    truncated_pdf,
    zip_bomb,
)


def english_txt():
    return parse_text((BRIEFS / "plain_en.txt").read_text(encoding="utf-8")).as_dict()


def test_pdf_brief_reads_like_the_text_version():
    text, brief = load_brief("brief.pdf", english_pdf())
    assert "Research Note" in text  # the running header is in the PDF...
    assert brief.as_dict() == english_txt()  # ...and the parser drops it


@pytest.mark.parametrize("headings", [True, False], ids=["heading-styles", "plain-paragraphs"])
def test_docx_brief_reads_like_the_text_version(headings):
    text, brief = load_brief("brief.docx", english_docx(headings=headings))
    assert ("# Shipping Costs" in text) is headings
    assert brief.as_dict() == english_txt()


def test_docx_heading_styles_need_no_numbering():
    import io

    import docx

    document = docx.Document()
    document.add_heading("A Title From Word", level=0)
    document.add_paragraph("Opening words come before any heading.")
    document.add_heading("Background", level=1)
    document.add_paragraph("The first section has one paragraph.")
    document.add_heading("Outlook", level=1)
    document.add_paragraph("The second one too.")
    buffer = io.BytesIO()
    document.save(buffer)

    _, brief = load_brief("styled.docx", buffer.getvalue())
    assert brief.title == "A Title From Word"
    assert [(s.heading, len(s.paragraphs)) for s in brief.sections] == [
        ("", 1),
        ("Background", 1),
        ("Outlook", 1),
    ]


def test_gb18030_text_file():
    text = (BRIEFS / "indented_zh.txt").read_text(encoding="utf-8")
    _, brief = load_brief("brief.txt", text.encode("gb18030"))
    assert brief.title == "新能源汽车出口的机遇与挑战"


def test_markdown_extension_is_text():
    _, brief = load_brief("brief.md", "# 标题\n\n正文一段。\n".encode())
    assert brief.title == "标题"


BAD_FILES = [
    ("empty.txt", lambda: b"", "空的"),
    ("blank.txt", lambda: b"  \n\n \r\n", "空的"),
    ("picture.txt", lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "不是文本"),
    ("scan.pdf", scanned_pdf, "没有文字层"),
    ("locked.pdf", encrypted_pdf, "已加密"),
    ("cut.pdf", truncated_pdf, "损坏"),
    ("fake.pdf", lambda: b"%PDF-1.7\nnot really a pdf at all\n", "损坏"),
    ("bomb.docx", lambda: zip_bomb(), "压缩炸弹"),
    ("many.docx", lambda: zip_bomb(entries=1200, size=10), "压缩炸弹"),
    ("lying.docx", lying_zip, "已损坏"),
    ("notzip.docx", lambda: b"PK\x03\x04 this is not a zip", "不是有效的 Word"),
    ("old.doc", lambda: b"\xd0\xcf\x11\xe0 old word", ".doc"),
    ("sheet.xlsx", lambda: b"whatever", "不支持的文件类型"),
    (
        "japanese.txt",
        lambda: "これは日本語の文章です。経済の見通し。".encode("shift_jis") * 5,
        "编码",
    ),
    ("noise.txt", lambda: random.Random(7).randbytes(3000).replace(b"\0", b"\1"), "编码"),
    ("huge.txt", lambda: b"a" * (MAX_FILE_SIZE + 1), "太大"),
]


@pytest.mark.parametrize(("name", "make", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_files_get_a_clear_message(name, make, message):
    with pytest.raises(BriefError) as error:
        read_bytes(name, make())
    assert message in str(error.value)


def test_oversized_file_is_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_SIZE + 1)  # sparse: costs no disk
    monkeypatch.setattr("pathlib.Path.open", lambda *a, **k: pytest.fail("file was opened"))
    with pytest.raises(BriefError, match="太大"):
        read_path(path)


def test_missing_file(tmp_path):
    with pytest.raises(BriefError, match="无法读取"):
        read_path(tmp_path / "nowhere.txt")


def test_zip_bomb_is_refused_quickly():
    import time

    data = zip_bomb()
    started = time.perf_counter()
    with pytest.raises(BriefError):
        read_bytes("bomb.docx", data)
    assert time.perf_counter() - started < 2
