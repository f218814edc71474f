import json
from pathlib import Path

import pytest

from notes.importing import BriefError, parse_text
from notes.importing.bylines import parse_byline, split_credit
from notes.importing.readers import decode_text
from notes.importing.text import join_lines

BRIEFS = Path(__file__).parent / "briefs"
SAMPLE = "000_636cb319c578582a.txt"


def own_brief(name):
    return (BRIEFS / name).read_text(encoding="utf-8")


def headings_and_sizes(brief):
    return [(s.heading, len(s.paragraphs)) for s in brief.sections]


@pytest.mark.shared
def test_sample_brief(shared_briefs):
    brief = parse_text((shared_briefs / SAMPLE).read_text(encoding="utf-8"))

    assert brief.series == "热点"
    assert brief.type == "研究简报"
    assert brief.title == "中美阿拉斯加首场会晤针锋相对"
    assert brief.language == "zh-hans"
    assert len(brief.summary) == 1
    assert brief.summary[0].startswith("在拜登政府上台后")
    assert brief.summary[0].endswith("贵在过程层面的“对话”本身。")
    assert [a.as_dict() for a in brief.authors] == [
        {"name": "马鑫", "title": "特约研究员", "affiliation": "第一财经研究院"}
    ]
    assert headings_and_sizes(brief) == [
        ("", 1),
        ("一、中美对话开场硬碰硬", 7),
        ("二、会晤前的中美角力", 4),
        ("三、本次会晤贵在“对话”本身", 3),
    ]
    assert brief.source_url == "https://www.yunbaogao.cn/report/index/report?reportId=1_18744"
    everything = json.dumps(brief.as_dict(), ensure_ascii=False)
    for furniture in ("Research Note", "预览已结束", "二维码", "正 文"):
        assert furniture not in everything
    paragraphs = [p for s in brief.sections for p in s.paragraphs]
    assert all(p.strip() not in {"3", "2"} for p in paragraphs)
    # Wrapped Chinese is joined without spaces; spaces the source has are kept.
    assert "南辕北辙" in everything
    assert "于 3 月 18 日在阿拉斯加登场" in brief.sections[0].paragraphs[0]
    # A full line ending in 。 without the paragraph marker continues the paragraph.
    assert "“不妥协”的信号。3 月 17 日" in brief.sections[2].paragraphs[3]


@pytest.mark.shared
@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda t: t.replace("\n", "\r\n"), id="crlf"),
        pytest.param(lambda t: t.replace("\n", "\r"), id="cr"),
        pytest.param(lambda t: "\ufeff" + t, id="bom"),
    ],
)
def test_sample_brief_line_endings(shared_briefs, variant):
    text = (shared_briefs / SAMPLE).read_text(encoding="utf-8")
    expected = parse_text(text).as_dict()
    assert parse_text(decode_text(variant(text).encode("utf-8"))).as_dict() == expected


@pytest.mark.shared
@pytest.mark.parametrize("encoding", ["gb18030", "utf-16"])
def test_sample_brief_in_other_encodings(shared_briefs, encoding):
    text = (shared_briefs / SAMPLE).read_text(encoding="utf-8")
    assert parse_text(decode_text(text.encode(encoding))).as_dict() == parse_text(text).as_dict()


def test_platform_layout_brief():
    brief = parse_text(own_brief("platform_layout_zh.txt"))
    assert (brief.series, brief.type, brief.title) == (
        "宏观",
        "研究简报",
        "老旧小区改造如何撬动居民消费",
    )
    assert len(brief.summary) == 2
    assert [(a.name, a.title, a.affiliation) for a in brief.authors] == [
        ("李明", "研究员", "示例研究院"),
        ("王芳", "研究员", "示例研究院"),
    ]
    assert headings_and_sizes(brief) == [
        ("", 1),
        ("一、改造投入的规模与结构", 3),
        ("二、对居民消费的拉动", 5),
        ("三、政策建议", 2),
    ]
    first = brief.sections[1].paragraphs
    # A line starting with a year and an enumeration (一是…二是…) are not headings.
    assert "有待提高。2023年以来" in first[1]
    assert "一是居民意见难以统一" in first[2] and "；三是后续维护" in first[2]
    assert brief.sections[2].paragraphs[0] == "### （一）直接拉动"
    assert brief.sections[2].paragraphs[2] == "### （二）间接拉动"
    assert brief.source_url == "https://example.org/reports/view?id=4021"
    assert "Research Note" not in json.dumps(brief.as_dict(), ensure_ascii=False)


def test_english_brief():
    brief = parse_text(own_brief("plain_en.txt"))
    assert brief.language == "en"
    assert (brief.series, brief.type) == ("Trade Watch", "Research Note")
    assert brief.title == "Shipping Costs and the Next Round of Inflation"
    assert brief.summary[1] == "This note asks how much of that cost reaches the shelf."
    assert [(a.name, a.title, a.affiliation) for a in brief.authors] == [
        ("Jane Doe", "Senior Fellows", "Example Institute"),
        ("John Roe", "Senior Fellows", "Example Institute"),
    ]
    assert headings_and_sizes(brief) == [
        ("", 1),
        ("1. Where freight rates stand", 2),
        ("2. From the port to the shelf", 3),
        ("3. What to watch", 1),
    ]
    second = brief.sections[2].paragraphs
    assert "below 1.5 per cent of the retail price" in second[0]
    assert "and well-known retailers" in second[0]
    assert second[1] == "### (a) Furniture and appliances"
    assert brief.sections[1].paragraphs[1].startswith("2023 was the first year")
    assert brief.source_url == "https://example.org/notes/shipping-costs"


def test_indented_brief_with_compatibility_characters():
    text = own_brief("indented_zh.txt")
    assert "⼀、" in text and "２０２３" in text  # Kangxi radical, full-width digits
    brief = parse_text(text)
    assert brief.title == "新能源汽车出口的机遇与挑战"
    assert brief.summary == [
        "2023年新能源汽车出口快速增长，成为外贸的新亮点。但海外市场的贸易壁垒正在增加，"
        "企业需要提前布局。"
    ]
    assert [(a.name, a.title, a.affiliation) for a in brief.authors] == [
        ("赵一鸣", "高级研究员", "示例研究院")
    ]
    assert headings_and_sizes(brief) == [
        ("", 1),
        ("一、出口增长的主要动力", 2),
        ("二、需要警惕的风险", 2),
    ]
    assert brief.sections[1].paragraphs[1] == "2024年，预计出口仍将保持两位数增长。"
    # Chinese punctuation is not folded to ASCII.
    assert "，" in brief.summary[0] and "," not in brief.summary[0]


def test_markdown_brief():
    text = (
        "评论\n\n# 一个 Markdown 写成的标题\n\n作者：陈静\n\n导语一句话。\n\n"
        "## 先说结论\n\n第一段。\n\n### 细节\n\n第二段。\n\n## 再说原因\n\n第三段。\n"
    )
    brief = parse_text(text)
    assert (brief.type, brief.title) == ("评论", "一个 Markdown 写成的标题")
    assert [a.name for a in brief.authors] == ["陈静"]
    assert [(s.heading, s.paragraphs) for s in brief.sections] == [
        ("", ["导语一句话。"]),
        ("先说结论", ["第一段。", "### 细节", "第二段。"]),
        ("再说原因", ["第三段。"]),
    ]


def test_keywords_line_becomes_topics():
    brief = parse_text("标题在这里\n关键词：城市更新、消费\n\n正文第一段。\n")
    assert brief.keywords == ["城市更新", "消费"]
    assert brief.title == "标题在这里"


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["中文换行", "不加空格。"], "中文换行不加空格。"),
        (["English words", "get one space."], "English words get one space."),
        (["于 3 月 18", " 日登场"], "于 3 月 18日登场"),
        (["混合 text，", "继续"], "混合 text，继续"),
        (["a well-", "known case"], "a well-known case"),
        (["　　全角缩进", "去掉"], "全角缩进去掉"),
        (["two  spaces", "kept once"], "two spaces kept once"),
    ],
)
def test_join_lines(lines, joined):
    assert join_lines(lines) == joined


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("马鑫/第一财经研究院特约研究员", [("马鑫", "特约研究员", "第一财经研究院")]),
        ("马鑫／第一财经研究院特约研究员", [("马鑫", "特约研究员", "第一财经研究院")]),
        ("甲乙、丙丁/示例大学教授", [("甲乙", "教授", "示例大学"), ("丙丁", "教授", "示例大学")]),
        ("作者：陈静", [("陈静", "", "")]),
        (
            "张三/示例研究中心主任  李四/示例银行首席经济学家",
            [
                ("张三", "主任", "示例研究中心"),
                ("李四", "首席经济学家", "示例银行"),
            ],
        ),
        (
            "Jane Doe / Senior Fellow, Example Institute",
            [("Jane Doe", "Senior Fellow", "Example Institute")],
        ),
        (
            "Jane Doe, John Roe / Fellows, Example Institute",
            [
                ("Jane Doe", "Fellows", "Example Institute"),
                ("John Roe", "Fellows", "Example Institute"),
            ],
        ),
        ("这不是署名/而是一句话。", None),
        ("中美关系的走向/趋势", None),
        ("In 2023/24 trade grew", None),
    ],
)
def test_bylines(line, expected):
    credits = parse_byline(line)
    if expected is None:
        assert credits is None
    else:
        assert [(c.name, c.title, c.affiliation) for c in credits] == expected


def test_credit_without_known_title_splits_after_the_institution():
    assert split_credit("示例研究院访问学者") == ("访问学者", "示例研究院")
    assert split_credit("自由撰稿人") == ("", "自由撰稿人")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n  ",
        "这是一整段没有标题的文字。它以句号结尾，后面也没有任何小标题或者摘要。",
        "只有一个标题\n",
    ],
)
def test_brief_without_title_or_body_is_refused(text):
    with pytest.raises(BriefError):
        parse_text(text)


def test_text_far_longer_than_a_brief_is_refused():
    from notes.importing.parser import MAX_LINES, MAX_TEXT_CHARS

    with pytest.raises(BriefError, match="文字太长"):
        parse_text("标题\n" + "字" * MAX_TEXT_CHARS)
    with pytest.raises(BriefError, match="行数太多"):
        parse_text("标题\n" + "短句。\n" * MAX_LINES)


@pytest.mark.parametrize("blank", ["\n", "\n\n"], ids=["single-spaced", "blank-separated"])
def test_summary_without_body_marker_or_byline_is_its_first_paragraph(blank):
    text = blank.join(
        ["短标题", "摘要", "摘要只有这一段。", "导语是另一段。", "一、小标题", "正文一段。"]
    )
    brief = parse_text(text)
    assert brief.summary == ["摘要只有这一段。"]
    assert [(s.heading, s.paragraphs) for s in brief.sections] == [
        ("", ["导语是另一段。"]),
        ("一、小标题", ["正文一段。"]),
    ]


def test_platform_layout_in_english():
    brief = parse_text(own_brief("platform_layout_en.txt"))
    assert (brief.series, brief.type) == ("Energy Desk", "Research Note")
    assert brief.title == "Why Grid Storage Is Finally Scaling"
    assert len(brief.summary) == 1 and brief.summary[0].endswith("did the rest.")
    assert [(a.name, a.affiliation) for a in brief.authors] == [
        ("Wei Chen", "Example Energy Centre"),
        ("Maria Lopez", "Example Energy Centre"),
    ]
    assert headings_and_sizes(brief) == [
        ("", 1),
        ("1. Prices and rules", 2),
        ("2. What holds it back", 1),
        ("3. Outlook", 1),
    ]
    # A full line ending a sentence without the marker continues the paragraph.
    assert "can end a sentence. The next line carries on" in brief.sections[1].paragraphs[0]
    assert brief.source_url == "https://example.org/r/grid-storage"
    everything = json.dumps(brief.as_dict())
    assert "Research Note" not in everything.replace('"type": "Research Note"', "")
    assert "Main text" not in everything


def test_repeated_short_lines_are_running_headers():
    page = "示例研究院内部参考\n{body}\n"
    text = "标题\n\n" + "".join(
        page.format(body=f"第{n}段正文，写得足够长一些，好让它看起来像正文。") for n in range(1, 5)
    )
    brief = parse_text(text)
    paragraphs = [p for s in brief.sections for p in s.paragraphs]
    assert len(paragraphs) == 4
    assert not any("内部参考" in p for p in paragraphs)


def test_numbered_lines_under_chinese_headings_are_sub_headings():
    text = (
        "标题\n\n一、第一部分\n\n1. 加强监管\n\n监管方面的一段话。\n\n"
        "2. 完善机制\n\n机制方面的一段话。\n\n二、第二部分\n\n（1）细项\n\n最后一段。\n"
    )
    brief = parse_text(text)
    assert [(s.heading, s.paragraphs) for s in brief.sections] == [
        (
            "一、第一部分",
            ["### 1. 加强监管", "监管方面的一段话。", "### 2. 完善机制", "机制方面的一段话。"],
        ),
        ("二、第二部分", ["### （1）细项", "最后一段。"]),
    ]


@pytest.mark.parametrize(
    "end",
    [
        # As the site's own PDFs print it, in both languages.
        "扫码阅读网页版，查看更正记录\n\nhttps://notes.example.org/notes/7/talks/\n\n"
        "引用格式 林晓岚. 会谈[R/OL]. 新知财经研究院, 2021-03-22. "
        "https://notes.example.org/notes/7/talks/.\n\n更正 2021年3月24日：日期有误。",
        "https://notes.example.org/notes/7/talks/\n\n"
        "引用格式 林晓岚. 会谈[R/OL]. 新知财经研究院, 2021-03-22.",
        "Scan to read online, with any corrections\n\nhttps://notes.example.org/notes/7/talks/\n\n"
        "How to cite LIN X. Talks[R/OL]. 2021-03-22. https://notes.example.org/notes/7/talks/.",
        "Suggested citation: Lin, X. (2021). Talks. https://notes.example.org/notes/7/talks/",
    ],
    ids=["zh", "zh-address-first", "en", "suggested-citation"],
)
def test_end_matter_is_not_body_text(end):
    text = (
        "热点\n\n研究简报\n\n会谈在交锋中开场\n\n摘 要\n\n会谈难以产生具体成果。\n\n"
        "林晓岚/新知财经研究院高级研究员\n\n一、开场\n\n按照惯例，开场致辞只是简短寒暄。\n\n"
        "二、展望\n\n高层沟通的频率和质量值得持续观察。\n\n" + end
    )
    brief = parse_text(text)
    assert headings_and_sizes(brief) == [("一、开场", 1), ("二、展望", 1)]
    assert brief.sections[-1].paragraphs == ["高层沟通的频率和质量值得持续观察。"]
    assert brief.source_url == "https://notes.example.org/notes/7/talks/"
