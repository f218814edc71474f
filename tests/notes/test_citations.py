"""Citations: the three styles against hand-checked strings, the files a reference
manager imports (read back with real parsers), and the bad input they must survive."""

import json
from datetime import date, datetime

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts
from django.utils import timezone

from notes.citations import Name, apa, as_text, chicago, gbt7714, reference_of_note
from notes.models import Note
from tests.factories import (
    AuthorFactory,
    AuthorshipFactory,
    NoteFactory,
    NoteTypeFactory,
    SeriesFactory,
)

pytestmark = pytest.mark.django_db

ACCESSED = date(2026, 11, 30)


@pytest.fixture(autouse=True)
def institute(settings):
    settings.SITE_URL = "https://notes.example.org"
    settings.INSTITUTE_NAME = "新知财经研究院"
    settings.INSTITUTE_PLACE = "上海"
    settings.INSTITUTE_NAME_EN = "Xinzhi Institute of Finance and Economics"
    settings.INSTITUTE_PLACE_EN = "Shanghai"


def at(*args):
    return timezone.make_aware(datetime(*args))


def byline(note, *names):
    for position, name in enumerate(names, start=1):
        AuthorshipFactory(note=note, author=AuthorFactory(name=name), position=position)
    return note


@pytest.fixture
def chinese_note():
    """A Chinese note with two authors."""
    note = NoteFactory(
        title="安克雷奇会谈：中美高层对话在交锋中开场",
        slug="anchorage-talks-2021",
        series=SeriesFactory(name="热点"),
        note_type=NoteTypeFactory(name="研究简报", name_en="Research Note"),
        summary="会谈难以产生具体成果在双方预料之中。\n\n其意义在于重新建立高层沟通渠道。",
        published_at=at(2021, 3, 22, 9, 0),
        topics=["中美关系", "外交"],
    )
    return byline(note, "林晓岚", "周子衡")


@pytest.fixture
def english_note():
    note = NoteFactory(
        title="Green bonds in China: growing fast, pricing risk slowly",
        slug="green-bonds",
        language=Note.Language.ENGLISH,
        series=SeriesFactory(name="Green Finance"),
        note_type=NoteTypeFactory(name="评论", name_en="Commentary"),
        summary="Harmonised taxonomies have made the market easier to read.",
        published_at=at(2024, 9, 10, 9, 0),
        topics=["Green finance"],
    )
    return byline(note, "Emily Carter", "Jean-Paul van der Berg")


def url_of(note):
    return "https://notes.example.org" + note.get_absolute_url()


def styles(note):
    ref = reference_of_note(note)
    return {
        "gbt7714": as_text(gbt7714(ref, accessed=ACCESSED)),
        "apa": as_text(apa(ref)),
        "chicago": as_text(chicago(ref)),
    }


def test_chinese_note_with_two_authors_in_three_styles(chinese_note):
    url = url_of(chinese_note)
    assert styles(chinese_note) == {
        "gbt7714": "林晓岚, 周子衡. 安克雷奇会谈：中美高层对话在交锋中开场[R/OL]. "
        f"上海: 新知财经研究院, 2021-03-22[2026-11-30]. {url}.",
        "apa": "林晓岚, 周子衡. (2021). 安克雷奇会谈：中美高层对话在交锋中开场 [Research note]. "
        f"新知财经研究院. {url}",
        "chicago": "林晓岚 and 周子衡. 安克雷奇会谈：中美高层对话在交锋中开场. 热点. "
        f"上海: 新知财经研究院, March 22, 2021. {url}.",
    }


def test_english_note_in_three_styles(english_note):
    url = url_of(english_note)
    title = "Green bonds in China: growing fast, pricing risk slowly"
    assert styles(english_note) == {
        "gbt7714": f"CARTER E, VAN DER BERG J-P. {title}[R/OL]. "
        f"Shanghai: Xinzhi Institute of Finance and Economics, 2024-09-10[2026-11-30]. {url}.",
        "apa": f"Carter, E., & van der Berg, J.-P. (2024). {title} [Commentary]. "
        f"Xinzhi Institute of Finance and Economics. {url}",
        "chicago": f"Carter, Emily, and Jean-Paul van der Berg. {title}. Green Finance. "
        f"Shanghai: Xinzhi Institute of Finance and Economics, September 10, 2024. {url}.",
    }


def test_a_published_correction_dates_the_gbt_reference(chinese_note):
    chinese_note.corrections.create(
        number=1, kind="correction", message="日期有误", previous={}, created_at=at(2021, 4, 2, 10)
    )
    assert "2021-03-22(2021-04-02)[2026-11-30]." in styles(chinese_note)["gbt7714"]


@pytest.mark.parametrize(
    ("text", "gbt", "apa_name", "inverted"),
    [
        ("林晓岚", "林晓岚", "林晓岚", "林晓岚"),
        ("Emily Carter", "CARTER E", "Carter, E.", "Carter, Emily"),
        ("Mary Ann Smith", "SMITH M A", "Smith, M. A.", "Smith, Mary Ann"),
        ("Ludwig van Beethoven", "VAN BEETHOVEN L", "van Beethoven, L.", "van Beethoven, Ludwig"),
        ("Carter, Emily", "CARTER E", "Carter, E.", "Carter, Emily"),
        ("Madonna", "MADONNA", "Madonna", "Madonna"),
        ("𠮷田太郎", "𠮷田太郎", "𠮷田太郎", "𠮷田太郎"),
    ],
)
def test_names_in_each_style(text, gbt, apa_name, inverted):
    name = Name.parse(text)
    assert (name.gbt(), name.apa(), name.inverted()) == (gbt, apa_name, inverted)


def test_bibtex_parses_with_bibtexparser(client, chinese_note):
    response = client.get(f"/notes/{chinese_note.pk}/cite.bib")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="anchorage-talks-2021.bib"'
    text = response.content.decode()
    assert text == (
        f"@techreport{{note{chinese_note.pk}-2021,\n"
        "  author = {{林晓岚} and {周子衡}},\n"
        "  title = {{安克雷奇会谈：中美高层对话在交锋中开场}},\n"
        "  institution = {新知财经研究院},\n"
        "  address = {上海},\n"
        "  type = {研究简报},\n"
        "  series = {热点},\n"
        "  year = {2021},\n"
        "  month = mar,\n"
        "  date = {2021-03-22},\n"
        f"  url = {{{url_of(chinese_note)}}},\n"
        "  language = {zh-CN},\n"
        "  keywords = {中美关系, 外交},\n"
        "  abstract = {会谈难以产生具体成果在双方预料之中。 其意义在于重新建立高层沟通渠道。},\n"
        "}\n"
    )
    library = bibtexparser.parse_string(
        text, append_middleware=[LatexDecodingMiddleware(), SeparateCoAuthors(), SplitNameParts()]
    )
    assert library.failed_blocks == []
    (entry,) = library.entries
    assert entry.entry_type == "techreport"
    assert [name.last for name in entry["author"]] == [["林晓岚"], ["周子衡"]]
    assert entry["title"] == "安克雷奇会谈：中美高层对话在交锋中开场"
    assert entry["institution"] == "新知财经研究院"
    assert entry["url"] == url_of(chinese_note)


def test_bibtex_escapes_latex_and_splits_western_names(client, english_note):
    english_note.title = "R&D spending: 50% up, $2bn #1 {draft}"
    english_note.save()
    text = client.get(f"/notes/{english_note.pk}/cite.bib").content.decode()
    assert r"{R\&D spending: 50\% up, \$2bn \#1 \{draft\}}" in text
    library = bibtexparser.parse_string(
        text, append_middleware=[LatexDecodingMiddleware(), SeparateCoAuthors(), SplitNameParts()]
    )
    (entry,) = library.entries
    carter, berg = entry["author"]
    assert (carter.first, carter.last) == (["Emily"], ["Carter"])
    assert (berg.first, berg.von, berg.last) == (["Jean-Paul"], ["van", "der"], ["Berg"])
    assert entry["title"] == "R&D spending: 50% up, $2bn #1 {draft}"


def test_ris_parses_with_rispy(client, chinese_note):
    response = client.get(f"/notes/{chinese_note.pk}/cite.ris")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="anchorage-talks-2021.ris"'
    text = response.content.decode()
    assert text == "\r\n".join(
        [
            "TY  - RPRT",
            "AU  - 林晓岚",
            "AU  - 周子衡",
            "TI  - 安克雷奇会谈：中美高层对话在交锋中开场",
            "T3  - 热点",
            "M3  - 研究简报",
            "PB  - 新知财经研究院",
            "CY  - 上海",
            "PY  - 2021",
            "DA  - 2021/03/22",
            f"UR  - {url_of(chinese_note)}",
            "LA  - zh-CN",
            "KW  - 中美关系",
            "KW  - 外交",
            "AB  - 会谈难以产生具体成果在双方预料之中。 其意义在于重新建立高层沟通渠道。",
            "ER  - ",
            "",
        ]
    )
    (record,) = rispy.loads(text)
    assert record["type_of_reference"] == "RPRT"
    assert record["authors"] == ["林晓岚", "周子衡"]
    assert record["title"] == "安克雷奇会谈：中美高层对话在交锋中开场"
    assert record["tertiary_title"] == "热点"
    assert record["publisher"] == "新知财经研究院"
    assert record["urls"] == [url_of(chinese_note)]
    assert record["keywords"] == ["中美关系", "外交"]


def test_ris_of_an_english_note_inverts_names(client, english_note):
    (record,) = rispy.loads(client.get(f"/notes/{english_note.pk}/cite.ris").content.decode())
    assert record["authors"] == ["Carter, Emily", "van der Berg, Jean-Paul"]
    assert record["publisher"] == "Xinzhi Institute of Finance and Economics"
    assert record["place_published"] == "Shanghai"
    assert record["type_of_work"] == "Commentary"


def test_csl_json(client, chinese_note, english_note):
    response = client.get(f"/notes/{chinese_note.pk}/cite.json")
    assert response["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="anchorage-talks-2021.json"'
    (item,) = json.loads(response.content)
    assert item == {
        "id": f"note{chinese_note.pk}-2021",
        "type": "report",
        "title": "安克雷奇会谈：中美高层对话在交锋中开场",
        "author": [{"literal": "林晓岚"}, {"literal": "周子衡"}],
        "issued": {"date-parts": [[2021, 3, 22]]},
        "publisher": "新知财经研究院",
        "publisher-place": "上海",
        "collection-title": "热点",
        "genre": "研究简报",
        "URL": url_of(chinese_note),
        "language": "zh-CN",
        "abstract": "会谈难以产生具体成果在双方预料之中。\n\n其意义在于重新建立高层沟通渠道。",
        "keyword": "中美关系, 外交",
    }
    (item,) = json.loads(client.get(f"/notes/{english_note.pk}/cite.json").content)
    assert item["author"] == [
        {"family": "Carter", "given": "Emily"},
        {"family": "van der Berg", "given": "Jean-Paul"},
    ]
    assert item["genre"] == "Commentary"


@pytest.mark.parametrize("extension", ["bib", "ris", "json"])
@pytest.mark.parametrize(
    "state",
    [
        {"status": Note.Status.DRAFT, "published_at": None},
        {"status": Note.Status.REVIEW, "published_at": None},
        {"status": Note.Status.WITHDRAWN},
        {"published_at": timezone.now() + timezone.timedelta(days=3)},
    ],
    ids=["draft", "review", "withdrawn", "scheduled"],
)
def test_citation_files_of_unpublished_notes_are_404(client, extension, state):
    note = byline(NoteFactory(**state), "林晓岚")
    assert client.get(f"/notes/{note.pk}/cite.{extension}").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/notes/999999/cite.bib",
        "/notes/99999999999999999999999/cite.json",
        "/notes/1/cite.pdf",
        "/notes/x/cite.ris",
        "/notes/99999999999999999999999/note.pdf",
    ],
)
def test_citation_urls_that_do_not_exist_are_404(client, url):
    assert client.get(url, follow=True).status_code == 404


def test_note_without_authors_starts_with_its_title(client, chinese_note):
    chinese_note.authorships.all().delete()
    cited = styles(chinese_note)
    assert cited["gbt7714"].startswith("安克雷奇会谈：中美高层对话在交锋中开场[R/OL]. 上海")
    assert cited["apa"].startswith(
        "安克雷奇会谈：中美高层对话在交锋中开场 [Research note]. (2021)."
    )
    assert cited["chicago"].startswith("安克雷奇会谈：中美高层对话在交锋中开场. 热点.")
    assert "author" not in client.get(f"/notes/{chinese_note.pk}/cite.bib").content.decode()
    (item,) = json.loads(client.get(f"/notes/{chinese_note.pk}/cite.json").content)
    assert "author" not in item


def test_thirty_authors(client, english_note):
    english_note.authorships.all().delete()
    names = [f"Author{n:02d} Person" for n in range(1, 31)]
    byline(english_note, *names)
    cited = styles(english_note)
    assert cited["gbt7714"].startswith("PERSON A, PERSON A, PERSON A, et al. Green bonds")
    # APA 7: the first 19, an ellipsis, the last.
    assert cited["apa"].startswith(", ".join(["Person, A."] * 19) + ", . . . Person, A. (2024).")
    # Chicago 17: more than ten authors, the first seven and et al.
    assert cited["chicago"].startswith(
        "Person, Author01, " + ", ".join(f"Author{n:02d} Person" for n in range(2, 8)) + ", et al. "
    )
    (record,) = rispy.loads(client.get(f"/notes/{english_note.pk}/cite.ris").content.decode())
    assert len(record["authors"]) == 30
    library = bibtexparser.parse_string(
        client.get(f"/notes/{english_note.pk}/cite.bib").content.decode(),
        append_middleware=[SeparateCoAuthors()],
    )
    assert len(library.entries[0]["author"]) == 30


def test_chinese_authors_over_three_take_deng(chinese_note):
    for position, name in enumerate(["陈默", "王若溪"], start=3):
        AuthorshipFactory(note=chinese_note, author=AuthorFactory(name=name), position=position)
    assert styles(chinese_note)["gbt7714"].startswith("林晓岚, 周子衡, 陈默, 等. 安克雷奇会谈")


def test_english_title_with_chinese_authors(english_note):
    english_note.authorships.all().delete()
    byline(english_note, "林晓岚", "周子衡")
    cited = styles(english_note)
    assert cited["gbt7714"].startswith("林晓岚, 周子衡. Green bonds in China")
    assert cited["apa"].startswith("林晓岚, 周子衡. (2024). Green bonds in China")
    assert cited["chicago"].startswith("林晓岚 and 周子衡. Green bonds in China")


def test_characters_outside_the_bmp(client, chinese_note):
    chinese_note.title = "𠮷野家与𩸽鱼：😀 供应链"
    chinese_note.save()
    chinese_note.authorships.all().delete()
    byline(chinese_note, "𠮷田")
    assert styles(chinese_note)["gbt7714"].startswith("𠮷田. 𠮷野家与𩸽鱼：😀 供应链[R/OL].")
    (record,) = rispy.loads(client.get(f"/notes/{chinese_note.pk}/cite.ris").content.decode())
    assert record["title"] == "𠮷野家与𩸽鱼：😀 供应链"
    (entry,) = bibtexparser.parse_string(
        client.get(f"/notes/{chinese_note.pk}/cite.bib").content.decode()
    ).entries
    assert entry["title"] == "{𠮷野家与𩸽鱼：😀 供应链}"
    (item,) = json.loads(client.get(f"/notes/{chinese_note.pk}/cite.json").content)
    assert item["author"] == [{"literal": "𠮷田"}]


def test_note_page_shows_each_style_with_a_copy_button(client, chinese_note):
    response = client.get(chinese_note.get_absolute_url())
    html = response.content.decode()
    for style in ("gbt7714", "apa", "chicago"):
        assert f'id="citation-{style}"' in html
        assert f'data-copy="citation-{style}"' in html
    assert "GB/T 7714-2015" in html and "APA 7" in html and "Chicago 17" in html
    # The access date is today's (the script puts in the reader's today).
    today = timezone.localdate().isoformat()
    assert f'<time class="access-date" datetime="{today}">{today}</time>' in html
    # The titles in italics are marked with the note's language.
    assert '<i lang="zh-hans">安克雷奇会谈：中美高层对话在交锋中开场</i>' in html
    for extension in ("bib", "ris", "json"):
        assert f'href="/notes/{chinese_note.pk}/cite.{extension}"' in html
    # The script is a static file; the page has no inline script.
    assert '<script src="/static/js/note.js" defer></script>' in html
    assert "<script>" not in html


def test_citation_strings_are_escaped_on_the_page(client, chinese_note):
    chinese_note.title = '<b onmouseover="x()">标题</b>'
    chinese_note.save()
    html = client.get(chinese_note.get_absolute_url()).content.decode()
    assert "<b onmouseover" not in html
    assert "&lt;b onmouseover=&quot;x()&quot;&gt;标题&lt;/b&gt;[R/OL]" in html
