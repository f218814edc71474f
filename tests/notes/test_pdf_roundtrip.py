"""The PDF of a note read back by ``import_brief --json`` gives the note's own
structure: title, summary, authors, headings and how many paragraphs each part has."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from notes.models import Note
from tests.factories import AuthorFactory, AuthorshipFactory, NoteFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """A private storage of each test's own, where PDFs are kept."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    settings.SITE_URL = "https://notes.example.org"
    settings.INSTITUTE_NAME = "新知财经研究院"
    settings.INSTITUTE_NAME_EN = "Xinzhi Institute of Finance and Economics"


def imported(client, note, tmp_path):
    response = client.get(f"/notes/{note.pk}/note.pdf")
    assert response.status_code == 200
    path = tmp_path / f"{note.slug}.pdf"
    path.write_bytes(response.content)
    out = StringIO()
    call_command("import_brief", str(path), json=True, stdout=out, stderr=StringIO())
    return json.loads(out.getvalue().splitlines()[0])


def structure(note):
    """What the importer should find: the note's own structure."""
    sections = list(note.sections.order_by("position"))
    return {
        "title": note.title,
        "summary": note.summary_paragraphs,
        "authors": [
            a.author.name for a in note.authorships.select_related("author").order_by("position")
        ],
        "headings": [s.heading for s in sections],
        "paragraphs": [len(s.linkable_blocks()) for s in sections],
    }


def found(brief):
    return {
        "title": brief["title"],
        "summary": brief["summary"],
        "authors": [author["name"] for author in brief["authors"]],
        "headings": [section["heading"] for section in brief["sections"]],
        "paragraphs": [len(section["paragraphs"]) for section in brief["sections"]],
    }


def test_the_anchorage_demo_note_comes_back(client, pdf_fonts, tmp_path):
    call_command("seed_demo", stdout=StringIO())
    note = Note.objects.get(slug="anchorage-talks-2021")
    brief = imported(client, note, tmp_path)
    assert found(brief) == structure(note)
    assert brief["authors"][0] == {
        "name": "林晓岚",
        "title": "高级研究员",
        "affiliation": "新知财经研究院",
    }
    # The paragraphs' text comes back too, not only their number.
    lead = note.sections.get(position=1).body
    assert brief["sections"][0]["paragraphs"] == [lead]


def test_an_english_note_comes_back(client, pdf_fonts, tmp_path):
    note = NoteFactory(
        language=Note.Language.ENGLISH,
        title="Green bonds in China: growing fast, pricing risk slowly",
        summary=(
            "China is now one of the largest issuers of green bonds.\n\n"
            "Harmonised taxonomies have made the market easier for foreign investors to read, "
            "yet the price difference between green and ordinary bonds remains small."
        ),
    )
    for position, (name, title) in enumerate(
        [("Emily Carter", "Senior Fellow"), ("John Smith", "Research Fellow")], start=1
    ):
        author = AuthorFactory(name=name, title=title, affiliation="Example Policy Institute")
        AuthorshipFactory(note=note, author=author, position=position)
    sentences = [
        "The common ground taxonomy narrows the gap between domestic and international "
        "definitions of eligible projects.",
        "Issuers now report against both, which lowers the cost of a second listing abroad.",
        "Foreign investors hold a small share of the market, mostly through the bond connect.",
        "Disclosure of how proceeds are used remains uneven across provinces and sectors.",
        "Local banks price green loans off the same benchmark as ordinary ones.",
        "A premium appears only where the use of proceeds is verified by a third party.",
        "Rating agencies have begun to publish separate scores for transition bonds.",
        "The central bank's relending facility has lowered funding costs for some issuers.",
    ]

    def text(start, count):
        return " ".join(sentences[(start + n) % len(sentences)] for n in range(count))

    SectionFactory(note=note, position=1, heading="", body=text(0, 3))
    SectionFactory(
        note=note,
        position=2,
        heading="1. Standards converge",
        body="\n\n".join([text(1, 9), text(3, 6), text(5, 4)]),
    )
    SectionFactory(
        note=note,
        position=3,
        heading="2. The missing premium",
        body="\n\n".join([text(2, 12), text(6, 5)]),
    )
    brief = imported(client, note, tmp_path)
    assert found(brief) == structure(note)
    assert brief["language"] == "en"
