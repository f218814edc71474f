"""A family of briefs laid out the ways editors' files come: their truth, and the
HTML and Word files that carry them.

Each brief is written out as structured data (``BRIEFS``); ``html()`` lays one
out for printing to PDF in a named variant, ``docx()`` writes one as Word in a
named variant. The PDFs in ``briefs/family/`` are printed from that HTML by
headless Chromium and drawn by fpdf2 (``python -m tests.notes.make_family``);
the Word files are built when the tests run. Every variant must parse to its
brief's truth with no warnings.
"""

import html as html_lib
import io
from pathlib import Path

FAMILY = Path(__file__).parent / "briefs" / "family"

BRIEFS = {
    "county": {
        "institute": "示例经济研究所",
        "series": "宏观",
        "type": "研究简报",
        "title": "县域商业体系建设如何释放农村消费潜力",
        "summary": [
            "过去五年，县域商业网点的数量增长了约四成，但农村居民人均消费支出与城镇的差距仍在"
            "两倍以上。本文以东中西部九个样本县的调查数据为基础，考察物流成本、商品结构和支付"
            "环境对农村消费的影响，认为补齐冷链和快递末端短板、引导连锁企业下沉，是把潜在需求"
            "转化为实际消费的关键环节，并就财政资金的使用方式提出三点建议。"
        ],
        "authors": [("周宁", "高级研究员", "示例经济研究所")],
        "sections": [
            (
                "",
                [
                    "二〇二三年，全国农村社会消费品零售总额接近七万亿元，增速连续三年快于城镇。"
                    "但在样本县里，仍有近三成行政村没有一家能够刷卡或扫码付款的连锁便利店，"
                    "居民购买家电、农资等大件商品时，往往要往返县城一趟。"
                ],
            ),
            (
                "一、农村消费的三道门槛",
                [
                    "第一道门槛是物流。样本县快递从县城到行政村的平均时效为二点六天，单件末端成本"
                    "比城区高出一点八元，生鲜和药品类商品的损耗率更是城区的三倍左右，不少商家因此"
                    "干脆不向乡镇以下发货。",
                    "第二道门槛是商品结构。乡镇商店的货架上，本地小作坊生产的食品和日用品占比超过"
                    "一半，品牌商品价格普遍比县城高出百分之十到十五，居民对质量的顾虑也抑制了购买。",
                    "第三道门槛是服务。家电安装、维修和以旧换新等服务网点大多只设在县城，农村居民"
                    "买得到却用不好，耐用消费品的更新周期明显长于城镇家庭。",
                ],
            ),
            (
                "二、样本县的经验",
                [
                    "东部的甲县把邮政、供销和三家快递企业的末端网点合并为一百二十个村级共配站，"
                    "统一分拣、统一配送，单件末端成本下降了四成，村民取件距离缩短到一公里以内。"
                    "合并后的共配站还兼营农产品收购，实现了双向运输，车辆空驶率从六成降到两成，"
                    "站点在不依靠补贴的情况下基本实现了收支平衡，这一点对财政并不宽裕的县尤其重要。",
                    "中部的乙县则引入两家区域连锁企业，以加盟方式改造了二百多家夫妻店，统一采购和"
                    "结算系统。改造后的门店品牌商品占比提高到七成，销售额平均增长了三成以上。",
                ],
            ),
            (
                "三、政策建议",
                [
                    "一是财政资金从补建设转向补运营，按实际配送单量给予末端网点阶段性补贴，避免"
                    "建成后闲置。二是支持连锁企业和电商平台共享县级仓储，降低下沉的固定成本。",
                    "三是把家电售后网点纳入县域商业体系建设的考核范围，让农村居民买得放心、用得"
                    "顺心。",
                ],
            ),
        ],
        "source_url": "https://example.org/briefs/county-commerce",
    },
    "chips": {
        "institute": "示例大学国家发展研究院",
        "series": "产业",
        "type": "评论",
        "title": "成熟制程芯片产能过剩的担忧是否成立",
        "summary": [
            "近期关于成熟制程芯片产能过剩的讨论增多。本文比较了主要经济体在建产能与下游需求的"
            "增长，认为汽车电子和工业控制的需求足以消化大部分新增产能，真正的风险在于部分地区"
            "重复建设同一工艺节点。"
        ],
        "authors": [
            ("林晓", "研究员", "示例大学国家发展研究院"),
            ("陈思远", "研究员", "示例大学国家发展研究院"),
        ],
        "sections": [
            (
                "一、产能扩张的规模",
                [
                    "按已公布的项目计算，未来三年全球二十八纳米及以上工艺的月产能将增加约百分之"
                    "二十五，其中超过一半位于东亚。新增产能集中在功率器件、显示驱动和微控制器三类"
                    "产品上，与过去十年的扩产节奏相比并不算激进。",
                    "同一时期，新能源汽车单车使用的芯片数量比燃油车多出一倍以上，光伏逆变器和工业"
                    "机器人也在快速增加对功率芯片的需求。",
                ],
            ),
            (
                "二、风险在哪里",
                [
                    "风险并不在总量，而在结构。若干地方同时规划了工艺相同、客户重叠的生产线，一旦"
                    "下游需求放缓，价格竞争会首先出现在这些产品上，而设备折旧的压力会迫使企业以低于"
                    "成本的价格出货。",
                    "因此，与其笼统地限制扩产，不如建立项目信息的公开机制，让投资方在决策前看到全国"
                    "同类产能的分布。",
                ],
            ),
        ],
        "source_url": None,
    },
    "freight": {
        "institute": "Example Policy Centre",
        "series": "Markets",
        "type": "Research Note",
        "title": "Why Grain Freight Costs Stayed High After the Harvest",
        "summary": [
            "Bulk freight rates for grain usually ease once the "
            "harvest has shipped. This year they "
            "did not. We trace the gap to three causes: low water on two inland waterways, a "
            "shortage of rail wagons, and insurers pricing in longer voyages."
        ],
        "authors": [("Anna Berg", "Fellow", "Example Policy Centre")],
        "sections": [
            (
                "",
                [
                    "Farmers and traders were promised relief in the autumn. Instead, the cost of "
                    "moving a tonne of wheat from the interior to the coast stayed roughly a fifth "
                    "above its five-year average for most of the season."
                ],
            ),
            (
                "1. Rivers and rails",
                [
                    "Water levels on the two main inland routes fell below the depth that fully "
                    "loaded barges need for eleven weeks. Barges sailed at about sixty per cent of "
                    "their capacity, which raised the cost per tonne accordingly.",
                    "Rail could not take up the slack. The wagon fleet "
                    "has shrunk by about eight per "
                    "cent since 2019, and wagons spent longer waiting at congested terminals.",
                ],
            ),
            (
                "2. What insurers changed",
                [
                    "Marine insurers now assume longer routes for a "
                    "larger share of voyages and have "
                    "raised premiums for older vessels. For a typical "
                    "bulk carrier the premium rose "
                    "by about a third, a cost that is passed on in the charter rate.",
                ],
            ),
            (
                "3. What would help",
                [
                    "Dredging the shallowest stretches, releasing idle wagons from storage and "
                    "publishing terminal waiting times would each take some pressure off rates "
                    "before the next harvest.",
                ],
            ),
        ],
        "source_url": None,
    },
}


def truth(name: str, *, source_url=True) -> dict:
    """What ``ParsedBrief.as_dict()`` must give for brief ``name``."""
    brief = BRIEFS[name]
    return {
        "title": brief["title"],
        "series": brief["series"],
        "type": brief["type"],
        "language": "en" if brief["type"] == "Research Note" else "zh-hans",
        "summary": brief["summary"],
        "authors": [{"name": n, "title": t, "affiliation": a} for n, t, a in brief["authors"]],
        "sections": [{"heading": h, "paragraphs": ps} for h, ps in brief["sections"]],
        "source_url": brief["source_url"] if source_url else None,
        "warnings": [],
    }


def byline(brief) -> str:
    """The byline as the brief prints it: names sharing a credit are joined by 、."""
    credits = {}
    for name, title, affiliation in brief["authors"]:
        credits.setdefault((title, affiliation), []).append(name)
    english = brief["type"] == "Research Note"
    parts = []
    for (title, affiliation), names in credits.items():
        if english:
            parts.append(f"{' and '.join(names)} / {title}, {affiliation}")
        else:
            parts.append(f"{'、'.join(names)}/{affiliation}{title}")
    return "  ".join(parts)


# --- HTML for printing ------------------------------------------------------------------------

#: name -> (brief, CSS and options)
HTML_VARIANTS = {
    # Institute house style: header on every page, series and type letter-spaced on one line,
    # boxed summary, paragraphs told apart by the first-line indent alone, source printed.
    "county-house": ("county", {"header": "all", "banner": "spaced", "indent": True, "gap": 0}),
    # Series above type, no header on the cover, no indent: paragraphs separated by space.
    "county-stacked": ("county", {"header": "after-first", "banner": "stacked", "gap": 0.6}),
    # 摘要 and 正文 set as big headings; series and type printed only in the page header.
    "county-markers": (
        "county",
        {"header": "all", "banner": "none", "indent": True, "markers": "heading"},
    ),
    # Another institute: two pages, the header on both, page numbers as 第 N 页.
    "chips-two-pages": (
        "chips",
        {"header": "all", "banner": "stacked", "indent": True, "font": 13, "pages": "第"},
    ),
    # An English brief: ragged right, space between paragraphs, header on every page.
    "freight-en": ("freight", {"header": "all", "banner": "stacked", "gap": 0.8, "font": 12}),
}


def html(variant: str) -> str:
    name, options = HTML_VARIANTS[variant]
    brief = BRIEFS[name]
    english = brief["type"] == "Research Note"
    e = html_lib.escape
    header = f"{brief['institute']} | {brief['series']}{brief['type']}"
    if english:
        header = f"{brief['institute']} | {brief['series']} {brief['type']}"
    page_number = "counter(page)" if options.get("pages") != "第" else '"第 " counter(page) " 页"'
    header_rule = f'@top-center {{ content: "{header}"; font-size: 8.5pt; color: #555; }}'
    first_rule = ""
    if options.get("header") == "after-first":
        first_rule = "@page :first { @top-center { content: none; } }"
    indent = "2em" if options.get("indent") else "0"
    gap = options.get("gap", 0)
    font = options.get("font", 11)
    align = "left" if english else "justify"
    spacing = "letter-spacing: 0.5em;" if options.get("banner") == "spaced" else ""
    css = f"""
@page {{ size: A4; margin: 24mm 22mm 22mm;
  {header_rule}
  @bottom-center {{ content: {page_number}; font-size: 9pt; }} }}
{first_rule}
body {{ font-family: "Noto Sans CJK SC", "Noto Serif CJK SC", sans-serif; font-size: {font}pt;
  line-height: 1.75; }}
p {{ margin: 0 0 {gap}em; text-indent: {indent}; text-align: {align}; }}
.banner {{ color: #a00; font-size: 20pt; font-weight: bold; margin-bottom: 1.2em; }}
.banner .type {{ font-size: 15pt; {spacing} }}
h1 {{ font-size: 22pt; text-align: center; margin: 0.6em 0 1em; }}
.box {{ border: 1px solid #a00; padding: 0.8em 1.4em; margin-bottom: 1.5em; }}
.marker {{ text-align: center; font-weight: bold; font-size: 12pt; margin: 0 0 0.6em; }}
.marker.big {{ font-size: 18pt; text-align: left; }}
.byline {{ text-align: center; margin: 0.5em 0 1.2em; text-indent: 0; }}
h2 {{ font-size: {font + 2}pt; margin: 1em 0 0.4em; }}
.source {{ font-size: 9pt; text-indent: 0; margin-top: 2em; }}
"""
    body = []
    banner = options.get("banner")
    if banner == "spaced":
        body.append(
            f'<div class="banner">{e(brief["series"])} <span class="type">{e(brief["type"])}'
            "</span></div>"
        )
    elif banner == "stacked":
        body.append(
            f'<div class="banner">{e(brief["series"])}<br><span class="type">'
            f"{e(brief['type'])}</span></div>"
        )
    body.append(f"<h1>{e(brief['title'])}</h1>")
    big = " big" if options.get("markers") == "heading" else ""
    summary_marker, body_marker = ("Summary", "Main text") if english else ("摘 要", "正 文")
    body.append('<div class="box">')
    body.append(f'<p class="marker{big}">{summary_marker}</p>')
    body.extend(f"<p>{e(p)}</p>" for p in brief["summary"])
    body.append("</div>")
    if not english:
        body.append(f'<p class="marker{big}">{body_marker}</p>')
    body.append(f'<p class="byline">{e(byline(brief))}</p>')
    for heading, paragraphs in brief["sections"]:
        if heading:
            body.append(f"<h2>{e(heading)}</h2>")
        body.extend(f"<p>{e(p)}</p>" for p in paragraphs)
    if brief["source_url"]:
        label = "Source" if english else "来源"
        body.append(f'<p class="source">{label}：{e(brief["source_url"])}</p>')
    lang = "en" if english else "zh-Hans"
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<style>{css}</style></head><body>{''.join(body)}</body></html>"
    )


# --- Word ----------------------------------------------------------------------------------

DOCX_VARIANTS = {
    # Title and Heading styles; 摘要 and 正文 set in Heading 1 like the sections.
    "county-styled-markers": ("county", {"styles": True, "markers": "heading"}),
    # The summary in a one-cell table, series and type only in the page header.
    "county-tablebox-header": ("county", {"styles": True, "box": True, "banner": "header"}),
    # No styles at all: bold Normal paragraphs; two authors sharing one credit.
    "chips-nostyle": ("chips", {"styles": False}),
    # An English brief with Word's heading styles.
    "freight-en-styled": ("freight", {"styles": True}),
    # Series and type on one letter-spaced line.
    "county-spaced-banner": ("county", {"styles": True, "banner": "spaced"}),
}


def docx(variant: str) -> bytes:
    import docx as python_docx
    from docx.shared import Pt

    name, options = DOCX_VARIANTS[variant]
    brief = BRIEFS[name]
    english = brief["type"] == "Research Note"
    styles = options.get("styles", True)
    document = python_docx.Document()

    def bold(text):
        run = document.add_paragraph().add_run(text)
        run.bold = True

    def paragraph(text, container=document):
        p = container.add_paragraph(text)
        if not english:
            p.paragraph_format.first_line_indent = Pt(24)
        return p

    header = document.sections[0].header.paragraphs[0]
    header.text = f"{brief['institute']}\t{brief['series']}{brief['type']}\t{brief['institute']}"
    banner = options.get("banner", "stacked")
    if banner == "stacked":
        bold(brief["series"])
        document.add_paragraph(brief["type"])
    elif banner == "spaced":
        bold(f"{brief['series']}  {' '.join(brief['type'])}")
    if styles:
        document.add_heading(brief["title"], level=0)
    else:
        bold(brief["title"])
    summary_marker, body_marker = ("Summary", "Main text") if english else ("摘 要", "正 文")

    def marker(text):
        if options.get("markers") == "heading":
            document.add_heading(text, level=1)
        else:
            bold(text)

    if options.get("box"):
        cell = document.add_table(rows=1, cols=1).cell(0, 0)
        cell.paragraphs[0].add_run(summary_marker).bold = True
        for text in brief["summary"]:
            paragraph(text, cell)
    else:
        marker(summary_marker)
        for text in brief["summary"]:
            paragraph(text)
    if not english:
        marker(body_marker)
    document.add_paragraph(byline(brief))
    for heading, paragraphs in brief["sections"]:
        if heading:
            document.add_heading(heading, level=1) if styles else bold(heading)
        for text in paragraphs:
            paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def fpdf2_pdf(name: str, font_path: str) -> bytes:
    """Brief ``name`` drawn by fpdf2 with a CJK TrueType collection (its own font encoding),
    every paragraph indented with two ideographic spaces, a header on every page."""
    from fpdf import FPDF

    brief = BRIEFS[name]

    class Brief(FPDF):
        def header(self):
            self.set_font("cjk", size=8)
            self.cell(0, 6, f"{brief['institute']}  {brief['series']}{brief['type']}", align="C")
            self.ln(12)

        def footer(self):
            self.set_y(-14)
            self.set_font("cjk", size=8)
            self.cell(0, 6, f"- {self.page_no()} -", align="C")

    pdf = Brief(format="A4")
    pdf.add_font("cjk", fname=font_path)
    pdf.set_margins(24, 20, 24)
    pdf.set_auto_page_break(True, margin=22)
    pdf.add_page()

    def write(height, text, **options):
        pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT", **options)

    pdf.set_font("cjk", size=16)
    write(9, f"{brief['series']}\n{brief['type']}")
    pdf.ln(4)
    pdf.set_font("cjk", size=20)
    write(11, brief["title"], align="C")
    pdf.ln(6)
    pdf.set_font("cjk", size=13)
    write(8, "摘 要", align="C")
    pdf.set_font("cjk", size=11)
    for text in brief["summary"]:
        write(7, "\u3000\u3000" + text, align="J")
    pdf.set_font("cjk", size=13)
    write(8, "正 文", align="C")
    pdf.set_font("cjk", size=11)
    write(8, byline(brief), align="C")
    for heading, paragraphs in brief["sections"]:
        if heading:
            pdf.set_font("cjk", size=13)
            write(9, heading)
            pdf.set_font("cjk", size=11)
        for text in paragraphs:
            write(7, "\u3000\u3000" + text, align="J")
    if brief["source_url"]:
        pdf.ln(6)
        write(7, f"来源：{brief['source_url']}")
    return bytes(pdf.output())


def pdf_files() -> dict[str, tuple[str, dict]]:
    """The committed family PDFs: file name -> (brief, expected as_dict)."""
    result = {}
    for variant, (name, _options) in HTML_VARIANTS.items():
        result[f"{variant}.chromium.pdf"] = (name, truth(name))
    result["county.fpdf2.pdf"] = ("county", truth("county"))
    return result
