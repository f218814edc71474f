"""The files editors really have: the sample brief as PDF, Word and text files, and a
family of other briefs laid out the ways such files come, each against its truth."""

import io
import unicodedata

import pytest

from notes.importing import BriefError, load_brief, parse_text
from notes.importing.folding import KANGXI_RADICALS, RADICALS_SUPPLEMENT, fold
from notes.importing.pdf import PdfLine, _furniture, _paragraphs
from tests.notes.brief_files import english_blocks, pdf_with_cmap
from tests.notes.family import BRIEFS, DOCX_VARIANTS, FAMILY, docx, pdf_files, truth

SAMPLE = "000_636cb319c578582a.txt"
SHARED_FILES = [
    "sample.chromium.pdf",
    "sample.chromium-stacked.pdf",
    "sample.fpdf2.pdf",
    "sample.styled.docx",
    "sample.nostyle.docx",
    "sample.tablebox.docx",
    "sample.headeronly.docx",
    "sample.gb18030.txt",
    "sample.typed-gbk-crlf.txt",
]
SAMPLE_URL = "https://www.yunbaogao.cn/report/index/report?reportId=1_18744"


@pytest.mark.shared
@pytest.mark.parametrize("name", SHARED_FILES)
def test_every_shared_file_gives_the_sample(shared_briefs, name):
    _, brief = load_brief(name, (shared_briefs / "files" / name).read_bytes())
    _, reference = load_brief(SAMPLE, (shared_briefs / SAMPLE).read_bytes())
    got = brief.as_dict()

    assert (got["series"], got["type"]) == ("热点", "研究简报")
    assert got["title"] == "中美阿拉斯加首场会晤针锋相对"
    assert len(got["summary"]) == 1
    assert got["authors"] == [
        {"name": "马鑫", "title": "特约研究员", "affiliation": "第一财经研究院"}
    ]
    assert [(s["heading"][:2], len(s["paragraphs"])) for s in got["sections"]] == [
        ("", 1),
        ("一、", 7),
        ("二、", 4),
        ("三、", 3),
    ]
    assert got["warnings"] == []
    prints_url = name.endswith(".pdf") or name == "sample.gb18030.txt"
    assert got["source_url"] == (SAMPLE_URL if prints_url else None)
    # Not only the shape: every word as the text version has it.
    assert {**got, "source_url": None} == {**reference.as_dict(), "source_url": None}


@pytest.mark.parametrize(("filename", "expected"), pdf_files().items(), ids=list(pdf_files()))
def test_family_pdfs_give_their_truth(filename, expected):
    _name, truth_dict = expected
    _, brief = load_brief(filename, (FAMILY / filename).read_bytes())
    assert brief.as_dict() == truth_dict


@pytest.mark.parametrize("variant", list(DOCX_VARIANTS))
def test_family_word_files_give_their_truth(variant):
    name, _options = DOCX_VARIANTS[variant]
    _, brief = load_brief(f"{variant}.docx", docx(variant))
    assert brief.as_dict() == truth(name, source_url=False)


def test_the_family_covers_the_layouts_named():
    """Guard the fixtures themselves: each variant named in docs/importing.md exists."""
    names = {*pdf_files(), *DOCX_VARIANTS}
    for needed in (
        "county-house.chromium.pdf",  # indent-only paragraphs, letter-spaced banner
        "chips-two-pages.chromium.pdf",  # header on two pages
        "county-markers.chromium.pdf",  # markers as headings, series/type in header only
        "freight-en.chromium.pdf",  # an English brief
        "county-stacked.chromium.pdf",  # series above type
        "county.fpdf2.pdf",  # another producer, its own font encoding
        "county-tablebox-header",  # summary in a one-cell table, series/type in header
        "county-styled-markers",
    ):
        assert needed in names
    assert len(BRIEFS) == 3


# --- Characters -------------------------------------------------------------------------------


def test_radicals_supplement_table_covers_the_whole_block():
    assigned = [
        chr(code) for code in range(0x2E80, 0x2F00) if unicodedata.category(chr(code)) != "Cn"
    ]
    assert len(assigned) == 115  # U+2E80–U+2E99, U+2E9B–U+2EF3
    assert set(RADICALS_SUPPLEMENT) == set(assigned) - {"\u2e80"}  # U+2E80 has no equivalent
    for radical, ideograph in RADICALS_SUPPLEMENT.items():
        assert unicodedata.name(ideograph).startswith("CJK UNIFIED IDEOGRAPH"), radical
        assert fold(radical) == ideograph
    # Where Unicode gives a decomposition, the table agrees with it.
    for radical in ("\u2e9f", "\u2ef3"):
        assert RADICALS_SUPPLEMENT[radical] == unicodedata.normalize("NFKC", radical)


def test_kangxi_radicals_fold_over_the_whole_block():
    assert len(KANGXI_RADICALS) == 0x2FD6 - 0x2F00
    for code in range(0x2F00, 0x2FD6):
        folded = fold(chr(code))
        assert unicodedata.name(folded).startswith("CJK UNIFIED IDEOGRAPH"), hex(code)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("⻢鑫/第⼀财经研究院特约研究员", "马鑫/第一财经研究院特约研究员"),
        ("会晤前的中美⻆⼒", "会晤前的中美角力"),
        ("⻓期⻅⾯", "长期见面"),
        ("ＧＤＰ增长５％", "GDP增长5％"),  # full-width letters and digits; ％ kept
        ("ﬁnancial ﬂows", "financial flows"),
        ("中国，（香港）：", "中国，（香港）："),  # Chinese punctuation is kept
    ],
)
def test_folding(text, folded):
    assert fold(text) == folded


def test_the_byline_rules_see_folded_text():
    brief = parse_text(
        "热点\n研究简报\n标题一则\n\n摘 要\n\n摘要一段。\n\n⻢鑫/第⼀财经研究院特约研究员\n\n"
        "正文第一段。\n"
    )
    assert [a.as_dict() for a in brief.authors] == [
        {"name": "马鑫", "title": "特约研究员", "affiliation": "第一财经研究院"}
    ]


# --- Series and type ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("front", "series", "note_type"),
    [
        ("热点\n研究简报", "热点", "研究简报"),
        ("热点 研 究 简 报", "热点", "研究简报"),
        ("热点研究简报", "热点", "研究简报"),
        ("产业观察 专题报告", "产业观察", "专题报告"),
        ("宏观 评 论", "宏观", "评论"),
        ("Markets\nResearch Note", "Markets", "Research Note"),
        ("Markets Research Note", "Markets", "Research Note"),
        ("研 究 简 报", None, "研究简报"),
        ("周报\n专栏文章", "周报", "专栏文章"),  # a type from the database
    ],
)
def test_series_and_type_on_one_line_stacked_or_letter_spaced(front, series, note_type):
    brief = parse_text(
        f"{front}\n一个标题\n\n摘要\n\n摘要一段。\n\n作者：张三\n\n正文第一段。\n",
        known_types=["专栏文章"],
    )
    assert (brief.series, brief.type, brief.title) == (series, note_type, "一个标题")


def test_series_and_type_from_the_page_header_when_the_page_has_none():
    text = "一个标题\n\n摘要\n\n摘要一段。\n\n作者：张三\n\n正文第一段。\n"
    brief = parse_text(text, furniture=["示例研究所", "宏观研究简报 | Research Note", "3"])
    assert (brief.series, brief.type) == ("宏观", "研究简报")
    assert parse_text(text, furniture=["示例研究所", "3"]).series is None


# --- Warnings --------------------------------------------------------------------------------


def fields(brief):
    return [w["field"] for w in brief.as_dict()["warnings"]]


def test_warnings_for_a_missing_byline_and_summary():
    brief = parse_text("宏观\n研究简报\n标题一则\n\n正文第一段，没有署名。\n\n第二段。\n")
    assert fields(brief) == ["authors", "summary"]
    assert "没有找到作者署名" in brief.warnings[0]["message"]


def test_warning_for_characters_outside_the_common_set():
    brief = parse_text("标题一则\n\n摘要\n\n摘要\ue123一段。\n\n作者：张三\n\n正文⺀第一段\x07。\n")
    (warning,) = brief.as_dict()["warnings"]
    assert warning["field"] == ""
    assert "U+E123" in warning["message"] and "U+2E80" in warning["message"]
    assert "U+0007" in warning["message"]


def line(text, page, top, *, x0=60.0, x1=535.0, size=16.0, em=11.0):
    return PdfLine(
        text=text, x0=x0, x1=x1, top=top, bottom=top + size, size=size, em=em, page=page,
        page_height=842.0, segments=[text],
    )  # fmt: skip


def test_text_repeated_at_page_tops_outside_the_band_is_kept_with_a_warning():
    from fpdf import FPDF

    from notes.importing.readers import extract

    pdf = FPDF()
    for n in range(2):
        pdf.add_page()
        pdf.set_y(60)  # below the header band: not removed, but said
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, "Weekly Outlook", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        pdf.multi_cell(0, 6, f"Body text of page {n + 1} goes on for a while. " * 7)
    extracted = extract("x.pdf", bytes(pdf.output()))
    assert extracted.text.count("Weekly Outlook") == 2
    assert any("页首重复出现的文字" in w and "Weekly Outlook" in w for w in extracted.warnings)


def test_running_headers_are_removed_by_band_and_similarity_not_by_count():
    header = "示例研究所 | 宏观研究简报 | 第 {} 期"
    pages = [
        [line(header.format(1), n, 40, size=12.0), line(f"正文{n}。", n, 120, x1=200)]
        for n in range(2)
    ]
    pages[0][0].size = 16.0  # same size as the body: found by its likeness to page 2's
    removed, kept = _furniture(pages, 16.0)
    assert [ln.page for ln in removed] == [0, 1]
    assert all(len(lines) == 1 for lines in kept)


def test_a_paragraph_crossing_a_page_is_joined_and_an_uncertain_join_is_said():
    # An indented layout: the next page's first line is not indented, so it continues.
    pages = [
        [line("　　第一段开头，", 0, 700, x0=82), line("一直写到页末，没有结束", 0, 720)],
        [line("这里接着写完。", 1, 100, x1=200), line("　　第二段。", 1, 120, x0=82, x1=150)],
    ]
    blocks, uncertain = _paragraphs(pages, 16.0)
    assert [len(b) for b in blocks] == [3, 1] and uncertain == []
    # No indents anywhere and a full last line ending a sentence: joined, but said.
    pages = [
        [line("第一段写了两行，", 0, 700), line("最后一行恰好写满并以句号结束。", 0, 720)],
        [line("下一页的第一行。", 1, 100, x1=200)],
    ]
    blocks, uncertain = _paragraphs(pages, 16.0)
    assert [len(b) for b in blocks] == [3] and uncertain == [1]


def test_ragged_english_lines_ending_a_sentence_do_not_end_the_paragraph():
    def en(text, top, x1):
        return line(text, 0, top, x1=x1, em=8.0)

    pages = [
        [
            en("A first paragraph runs over several lines and", 100, 520),
            en("one of them ends a sentence here.", 120, 400),  # short, but not the end
            en("It goes on after that sentence for a while", 140, 455),
            en("and ends.", 160, 150),
            en("A second paragraph comes after a gap, as in", 200, 490),  # the gap
            en("briefs set flush left with space between", 220, 440),
            en("paragraphs.", 240, 160),
            en("A third one, after another gap, is short.", 280, 470),
        ]
    ]
    blocks, _ = _paragraphs(pages, 16.0)
    assert [len(block) for block in blocks] == [4, 3, 1]


# --- Unreadable and unusual files ----------------------------------------------------------


@pytest.mark.parametrize(
    ("mapping", "what"),
    [("<E020>", "private-use glyphs"), ("<00000020>", "a NUL before every character")],
)
def test_an_unreadable_text_layer_is_said_so(mapping, what):
    with pytest.raises(BriefError, match="文字层无法读取"):
        load_brief("broken.pdf", pdf_with_cmap(mapping))


def test_a_readable_layer_of_the_same_file_reads():
    from notes.importing.readers import extract

    assert "The brief text reads well on paper" in extract("x.pdf", pdf_with_cmap("<0020>")).text


def english_pdf_pages(formats):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(True, margin=16)
    blocks = english_blocks()
    per_page = -(-len(blocks) // len(formats))
    for n, page_format in enumerate(formats):
        pdf.add_page(format=page_format)
        pdf.set_font("Helvetica", size=10)
        for block in blocks[n * per_page : (n + 1) * per_page]:
            pdf.multi_cell(0, 5, block, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
    return bytes(pdf.output())


def test_mixed_page_sizes():
    _, brief = load_brief("mixed.pdf", english_pdf_pages(["A4", (148, 210), (200, 150)]))
    assert brief.title == "Shipping Costs and the Next Round of Inflation"
    assert [s.heading for s in brief.sections][1:] == [
        "1. Where freight rates stand",
        "2. From the port to the shelf",
        "3. What to watch",
    ]


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_rotated_pages(rotation):
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(english_pdf_pages(["A4", "A4"]))
    for page in document:
        page.set_rotation(rotation)
    buffer = io.BytesIO()
    document.save(buffer)
    document.close()
    _, brief = load_brief("rotated.pdf", buffer.getvalue())
    assert brief.title == "Shipping Costs and the Next Round of Inflation"
    assert len(brief.sections) == 4


def test_a_word_file_whose_only_content_is_a_table():
    import docx as python_docx

    document = python_docx.Document()
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    cell.paragraphs[0].text = "宏观"
    for text in ("研究简报", "表格里的简报", "摘要", "摘要一段。", "作者：张三", "正文第一段。"):
        cell.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    _, brief = load_brief("table.docx", buffer.getvalue())
    assert (brief.series, brief.type, brief.title) == ("宏观", "研究简报", "表格里的简报")
    assert brief.summary == ["摘要一段。"]

    empty = python_docx.Document()
    empty.add_table(rows=2, cols=2)
    buffer = io.BytesIO()
    empty.save(buffer)
    with pytest.raises(BriefError, match="没有文字"):
        load_brief("empty-table.docx", buffer.getvalue())
