"""What the browser tests read: the demo content, two accounts, and bad input.

The bad input is what a site like this meets sooner or later: a title as long as
the field allows with an unbroken Latin string in it, a title of 60 characters,
right-to-left text in a title, a note with 30 authors, a topic name of 100 characters, and a year
without notes (2020, between the bad-input notes of 2019 and the demo's 2021).
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from accounts.roles import AUTHORS, EDITORS
from notes.models import Author, Note, Series, Topic
from tests.factories import (
    AuthorFactory,
    NoteFactory,
    SectionFactory,
    UserFactory,
    restore_roles,
)

PASSWORD = "correct horse battery staple"  # the factories' password
LONG_TOPIC = "超长主题" + "供应链韧性与产业政策协调" * 8
LONG_TITLE = (
    "超长标题：Supercalifragilisticexpialidocious-antidisestablishmentarianism-"
    "pneumonoultramicroscopicsilicovolcanoconiosis-floccinaucinihilipilification"
    "与中美经贸关系、全球供应链重构及区域一体化进程中的多边规则协调问题研究"
)
#: 60 characters, a title of several lines on any screen: none may end in one character.
SIXTY_TITLE = (
    "全球供应链重构背景下中国制造业对外投资的区位选择、风险评估与政策应对："
    "基于上市公司海外并购与绿地投资数据的比较研究（上）"
)
RTL_TITLE = "中东局势：قمة الرياض الاقتصادية و ועידת ירושלים 对能源市场的影响"


@dataclass
class World:
    url: str
    notes: dict = field(default_factory=dict)
    editor: str = "editor"
    writer: str = "writer"
    long_topic: str = ""

    def path(self, name, language="zh-hans", **kwargs):
        with translation.override(language):
            return reverse(name, kwargs=kwargs)

    def note_path(self, key, language="zh-hans"):
        note = self.notes[key]
        return self.path("notes:detail", language, pk=note.pk, slug=note.slug)

    def page_types(self, language="zh-hans"):
        """One URL of each type of public page, in ``language``."""
        home = self.path("notes:home", language)
        lists = self.path("notes:list", language)
        return {
            "home": home,
            "list": lists,
            "list-filtered": f"{lists}?topic=%E4%B8%AD%E7%BE%8E%E5%85%B3%E7%B3%BB&series=redian",
            "topics": self.path("notes:topics", language),
            "topic": self.path("notes:topic", language, slug="中美关系"),
            "topic-long": self.path("notes:topic", language, slug=self.long_topic),
            "authors": self.path("notes:authors", language),
            "author": self.path("notes:author", language, slug="lin-xiaolan"),
            "series-index": self.path("notes:series-index", language),
            "series": self.path("notes:series", language, slug="redian"),
            "archive": self.path("notes:archive", language),
            "archive-year": self.path("notes:archive-year", language, year=2021),
            "archive-month": self.path("notes:archive-month", language, year=2021, month=3),
            "note": self.note_path("anchorage", language),
            "note-english": self.note_path("english", language),
            "note-figures": self.note_path("figures", language),
            "note-long-title": self.note_path("long", language),
            "note-rtl": self.note_path("rtl", language),
            "note-30-authors": self.note_path("crowd", language),
            "search": self.path("search:search", language) + "?q=%E4%B8%AD%E7%BE%8E",
            "search-nothing": self.path("search:search", language) + "?q=zzzyyyxxx",
            "sign-in": self.path("accounts:login", language),
            "not-found": home + "no-such-page/",
        }


def build(url):
    restore_roles()  # emptied by the transactional test before, if any
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    world = World(url=url)
    UserFactory(username=world.editor, is_staff=True, roles=[EDITORS])
    writer = UserFactory(username=world.writer, is_staff=True, roles=[AUTHORS])
    Author.objects.filter(slug="chen-mo").update(user=writer)
    world.notes["anchorage"] = Note.objects.get(slug="anchorage-talks-2021")
    world.notes["english"] = Note.objects.get(slug="trade-supply-chains-english")
    world.notes["figures"] = Note.objects.get(slug="county-charging-ledger")

    series = Series.objects.get(slug="redian")
    at = timezone.make_aware(datetime(2019, 11, 5, 9, 0))
    long = NoteFactory(
        title=LONG_TITLE,
        slug="long-title",
        series=series,
        published_at=at,
        summary="Antidisestablishmentarianism" * 8 + "：没有空格的长串不能撑破页面。",
        topics=[LONG_TOPIC],
    )
    SectionFactory(note=long, heading="一、" + "Pneumonoultramicroscopic" * 6, body="x" * 400)
    rtl = NoteFactory(
        title=RTL_TITLE, slug="rtl-title", series=series, published_at=at, topics=["中东"]
    )
    SectionFactory(note=rtl, heading="一、背景", body="مرحبا بالعالم 正文。")
    sixty = NoteFactory(title=SIXTY_TITLE, slug="sixty", series=series, published_at=at)
    SectionFactory(note=sixty, heading="一、正文", body="六十个字的标题。")
    crowd = NoteFactory(
        title="三十位作者合写的简报", slug="thirty-authors", series=series, published_at=at
    )
    for position in range(1, 31):
        crowd.authorships.create(
            author=AuthorFactory(
                name=f"作者{position:02d}号",
                slug=f"crowd-{position}",
                title="特约研究员",
                affiliation="某某大学国际关系学院",
            ),
            position=position,
        )
    SectionFactory(note=crowd, heading="一、正文", body="三十位作者的正文。")
    world.notes.update(long=long, rtl=rtl, crowd=crowd, sixty=sixty)
    world.long_topic = Topic.objects.get(name=LONG_TOPIC).slug
    return world


def screenshot_page_types(browser, world, folder):
    """Every public page type at both widths, for a reader of the failure report."""
    folder.mkdir(parents=True, exist_ok=True)
    for width in (375, 1280):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        for language in ("zh-hans", "en"):
            for name, path in world.page_types(language).items():
                page.goto(world.url + path)
                page.screenshot(path=folder / f"{name}-{language}-{width}.png", full_page=True)
        context.close()
