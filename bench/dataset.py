"""A synthetic corpus of Chinese research notes for benchmarks.

Sentences are recombined from fragments, so notes differ while reading like
briefings: names, two-character words, four-character phrases, a little
English, some rare terms and some in most notes.
"""

import random
from datetime import timedelta
from html import escape

from django.db import transaction
from django.utils import timezone

SUBJECTS = [
    "中美两国", "美联储", "欧洲央行", "国务院", "商务部", "财政部", "中国人民银行", "国家统计局",
    "多家研究机构", "市场参与者", "地方政府", "出口企业", "跨国公司", "新能源车企", "半导体行业",
    "东盟国家", "日本央行", "国际货币基金组织", "世界银行", "七国集团", "二十国集团",
    "布林肯", "王毅", "耶伦", "鲍威尔", "拉加德", "何立峰", "雷蒙多", "戴琪", "沙利文", "植田和男",
]  # fmt: skip
VERBS = [
    "宣布", "表示", "强调", "重申", "调整了", "讨论了", "推动", "评估", "关注", "加快推进",
    "暂停了", "延长了", "放宽了", "收紧了", "发布了", "回应了", "会晤并讨论了", "预计将推出",
]  # fmt: skip
OBJECTS = [
    "关税政策", "出口管制", "供应链安全", "人工智能监管", "半导体补贴", "稀土出口", "汇率走势",
    "利率路径", "财政刺激", "消费券发放", "房地产融资", "地方债务", "绿色债券", "碳排放交易",
    "数字人民币", "跨境支付", "服务贸易", "农产品采购", "投资审查", "产业政策", "经贸磋商机制",
    "中美关系", "全球经济增长", "能源转型", "粮食安全", "就业形势", "通胀预期", "贸易逆差",
]  # fmt: skip
CLAUSES = [
    "市场对此反应平稳", "分析人士认为影响有限", "这一变化值得持续观察", "短期内仍存在不确定性",
    "政策效果有待时间检验", "经济复苏的基础仍需巩固", "各方分歧依然明显", "相关细节尚未公布",
    "这与此前的预期基本一致", "投资者情绪有所改善", "宏观经济数据好于预期", "经济增长动能有所放缓",
    "双方同意保持沟通", "外部环境更趋复杂", "结构性问题仍待解决", "需要关注潜在的溢出效应",
]  # fmt: skip
TIMES = [
    "今年以来", "上周", "本月初", "近期", "去年第四季度", "周二", "在最新一轮会谈中",
    "在年中会议上", "截至目前", "过去一年", "据最新数据",
]  # fmt: skip
ENGLISH = [
    "据 Reuters 报道", "按 GDP 口径计算", "参考 IMF 的测算", "在 AI 芯片领域", "以 CPI 衡量",
    "根据 Federal Reserve 的声明", "在 supply chain 重组中", "据 Bloomberg 消息",
]  # fmt: skip
RARE = ["量子通信试验网", "钒液流电池", "贝森特", "格陵兰航道", "锂辉石期货"]
HEADINGS = [
    "一、背景", "二、主要内容", "三、市场影响", "四、政策含义", "五、风险提示", "六、展望",
    "事件回顾", "数据解读", "各方反应", "我们的判断",
]  # fmt: skip
TITLE_TEMPLATES = [
    "{s}{v}{o}：{c}",
    "{o}的新变化与{o2}",
    "如何看待{s}{v}{o}",
    "{o}观察：{c}",
    "{s}与{o}",
]
#: The topics every institute writes about; the first few are on a large share of notes.
TOPICS = [
    "中美关系", "货币政策", "财政政策", "贸易", "科技竞争", "能源", "金融市场", "房地产",
    "消费", "就业", "汇率", "绿色金融", "产业政策", "地缘政治", "人工智能", "半导体",
    "供应链", "欧洲经济", "日本经济", "新兴市场", "大宗商品", "数字经济", "地方债务", "人口",
]  # fmt: skip
#: The long tail: a region's or a country's view of a field.
REGIONS = [
    "美国", "欧盟", "日本", "东盟", "印度", "英国", "德国", "法国", "韩国", "澳大利亚",
    "巴西", "中东", "非洲", "拉美", "俄罗斯", "加拿大", "长三角", "粤港澳", "京津冀", "成渝",
]  # fmt: skip
FIELDS = [
    "货币政策", "财政", "贸易", "汇率", "房地产", "就业", "通胀", "能源", "产业政策", "金融监管",
    "债务", "消费", "投资", "人口", "农业", "制造业", "服务业", "资本市场", "银行业", "养老金",
]  # fmt: skip
SERIES = [
    ("热点", 30), ("宏观", 20), ("产业", 15), ("国际", 10), ("金融", 8), ("区域", 5),
    ("科技", 4), ("能源", 3), ("专题", 2), ("访谈", 1), ("数据", 1), ("年度展望", 1),
]  # fmt: skip
NOTE_TYPES = [("研究简报", 70), ("研究报告", 10), ("评论", 20)]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜"
GIVEN = "晓明华丽强敏静磊洋艳勇军杰娟涛超秀英霞平刚桂兰芳文斌宇浩凯雪琳婷欣然思远"
AUTHORS = 300
#: The share of notes on the commonest topic, and of notes published in one month (an
#: archive imported at once), as a real site's worst cases.
COMMONEST_TOPIC_SHARE = 0.6
BUSY_MONTH_SHARE = 0.1
#: One note in this many carries 20 to 40 topics (a round-up, a year in review).
MANY_TOPICS_EVERY = 2000


def _zipf(count, exponent=1.1):
    """Weights of a long tail: the k-th item is chosen about 1/k**exponent as often."""
    return [1 / (k**exponent) for k in range(1, count + 1)]


def _theme(rng):
    """The few actors and subjects one note is about, so that a name or a
    phrase occurs in some notes and not in nearly all of them."""
    return rng.sample(SUBJECTS, 3), rng.sample(OBJECTS, 3)


def _sentence(rng, theme):
    subject, verb, obj = rng.choice(theme[0]), rng.choice(VERBS), rng.choice(theme[1])
    text = f"{rng.choice(TIMES)}，{subject}{verb}{obj}，{rng.choice(CLAUSES)}。"
    roll = rng.random()
    if roll < 0.08:
        text = f"{rng.choice(ENGLISH)}，{text}"
    elif roll < 0.0815:
        text = f"值得一提的是{rng.choice(RARE)}，{text}"
    return text


def _paragraph(rng, theme, chars):
    out, n = [], 0
    while n < chars:
        s = _sentence(rng, theme)
        out.append(s)
        n += len(s)
    return "".join(out)


def _title(rng, theme):
    return rng.choice(TITLE_TEMPLATES).format(
        s=rng.choice(theme[0]),
        v=rng.choice(VERBS),
        o=theme[1][0],
        o2=theme[1][1],
        c=rng.choice(CLAUSES),
    )[:200]


def _named(model, names, *, prefix):
    """One row of ``model`` per name, found by its unique name (content already in the
    database, such as the demo's, is reused) or created with a slug of its own."""
    from notes.models import unicode_slug

    existing = {obj.name: obj for obj in model.objects.filter(name__in=names)}
    taken = set(model.objects.values_list("slug", flat=True))
    rows = []
    for i, name in enumerate(names):
        if name not in existing:
            slug = unicode_slug(name)
            if slug in taken:
                slug = f"{prefix}-{i}"
            taken.add(slug)
            existing[name] = model.objects.create(name=name, slug=slug)
        rows.append(existing[name])
    return rows


def _topics_of(rng, topics, weights, number):
    """The topics of note ``number``: usually one to five from the long tail, the
    commonest on most notes, in every ``MANY_TOPICS_EVERY`` a round-up with dozens."""
    if number % MANY_TOPICS_EVERY == MANY_TOPICS_EVERY // 2:
        return rng.sample(topics, rng.randint(20, 40))
    chosen = set(rng.choices(topics[1:], weights=weights[1:], k=rng.randint(1, 5)))
    if rng.random() < COMMONEST_TOPIC_SHARE:
        chosen.add(topics[0])
    return list(chosen)


def generate(count, *, seed=1, progress=None, batch_size=2000):
    """Create ``count`` notes with sections, topics and authors, in bulk.

    Distributed like a real institute's: hundreds of topics with a long tail and a
    few on a large share of notes, a few prolific authors among hundreds, a few
    large series among a dozen, ten years of notes with one busy month. Safe to
    run on a database that already holds content (the demo's, an earlier run's).
    """
    from django.db.models import Max

    from notes.models import Author, Authorship, Note, NoteType, Section, Series, TaggedNote, Topic

    rng = random.Random(seed)
    with transaction.atomic():
        series = _named(Series, [name for name, _ in SERIES], prefix="series")
        types = _named(NoteType, [name for name, _ in NOTE_TYPES], prefix="type")
        topic_names = TOPICS + [f"{region}{field}" for region in REGIONS for field in FIELDS]
        topics = _named(Topic, list(dict.fromkeys(topic_names)), prefix="topic")
        authors = []
        for i in range(AUTHORS):
            name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)]
            if i >= len(SURNAMES):
                name += GIVEN[(i * 3) % len(GIVEN)]
            authors.append(
                Author.objects.get_or_create(slug=f"bench-author-{i}", defaults={"name": name})[0]
            )
    series_weights = [weight for _, weight in SERIES]
    type_weights = [weight for _, weight in NOTE_TYPES]
    topic_weights = _zipf(len(topics))
    author_weights = _zipf(len(authors), 0.9)
    # Slugs after every note already there, generated or not.
    start = (Note.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
    now = timezone.now()
    busy_month = (now - timedelta(days=3 * 365)).replace(day=1, hour=9)
    done = 0
    while done < count:
        size = min(batch_size, count - done)
        with transaction.atomic():
            notes, themes = [], []
            for i in range(start + done, start + done + size):
                theme = _theme(rng)
                themes.append(theme)
                roll = rng.random()
                if rng.random() < BUSY_MONTH_SHARE:
                    published_at = busy_month + timedelta(seconds=rng.randrange(27 * 86400))
                else:
                    published_at = now - timedelta(seconds=rng.randrange(10 * 365 * 86400))
                status = Note.Status.PUBLISHED
                if roll < 0.03:
                    status, published_at = Note.Status.DRAFT, None
                elif roll < 0.05:
                    published_at = now + timedelta(days=rng.randrange(1, 30))
                notes.append(
                    Note(
                        title=_title(rng, theme),
                        slug=f"bench-{i}",
                        series=rng.choices(series, weights=series_weights)[0],
                        note_type=rng.choices(types, weights=type_weights)[0],
                        summary=_paragraph(rng, theme, 100),
                        status=status,
                        published_at=published_at,
                    )
                )
            notes = Note.objects.bulk_create(notes)
            sections, tagged, bylines = [], [], []
            for number, (note, theme) in enumerate(zip(notes, themes, strict=True), done):
                for position in range(1, rng.randint(3, 5) + 1):
                    body = "\n\n".join(_paragraph(rng, theme, 130) for _ in range(3))
                    sections.append(
                        Section(
                            note=note,
                            position=position,
                            heading=rng.choice(HEADINGS) if position > 1 else "",
                            body=body,
                            body_html="".join(f"<p>{escape(p)}</p>" for p in body.split("\n\n")),
                            anchor=f"s{position}",
                        )
                    )
                for topic in _topics_of(rng, topics, topic_weights, number):
                    tagged.append(TaggedNote(content_object=note, tag=topic))
                credited = dict.fromkeys(
                    rng.choices(authors, weights=author_weights, k=rng.choice((1, 1, 1, 2, 3)))
                )
                for position, author in enumerate(credited, 1):
                    bylines.append(Authorship(note=note, author=author, position=position))
            Section.objects.bulk_create(sections)
            TaggedNote.objects.bulk_create(tagged)
            Authorship.objects.bulk_create(bylines)
        done += size
        if progress:
            progress(size)
    return done
