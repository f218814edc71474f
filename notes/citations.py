"""How to cite a note: GB/T 7714-2015, APA 7 and Chicago strings, BibTeX, RIS and
CSL-JSON files, and schema.org metadata.

Everything starts from a :class:`Reference`: the facts a citation is made of.
Elements taken from the work (title, publisher, place, series, type) appear as
they are on the work, in the note's language; elements a style supplies
("et al.", "and", month names, "[Research note]") are in the style's language.
GB/T 7714 writes Chinese names as they are and Western names as ``CARTER E``;
APA and Chicago invert Western names and leave Chinese names, which already
put the family name first, as they are.
"""

import json
import re
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

#: Characters of Chinese, Japanese and Korean names.
_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f]")
#: Lower-case words that belong to a Western family name ("van Gogh", "de Gaulle").
_PARTICLES = {"van", "von", "de", "der", "den", "del", "della", "di", "da", "du", "le", "la", "ter"}
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True)
class Name:
    """A person's name as written, and split for styles that invert it."""

    text: str
    family: str
    given: str = ""
    cjk: bool = False

    @classmethod
    def parse(cls, text: str) -> "Name":
        text = " ".join(text.split())
        if _CJK.search(text):
            return cls(text, text, "", cjk=True)
        if "," in text:
            family, _comma, given = text.partition(",")
            return cls(text, family.strip(), given.strip())
        words = text.split(" ")
        start = len(words) - 1
        while start > 1 and words[start - 1] in _PARTICLES:
            start -= 1
        return cls(text, " ".join(words[start:]), " ".join(words[:start]))

    def initials(self, *, dots: bool) -> str:
        """``Emily`` → ``E.``; ``Jean-Paul`` → ``J.-P.``; without dots ``J-P``."""
        mark = "." if dots else ""
        words = [
            "-".join(part[:1] + mark for part in word.split("-") if part)
            for word in self.given.split(" ")
            if word
        ]
        return " ".join(words)

    def gbt(self) -> str:
        """GB/T 7714: ``林晓岚``; ``CARTER E``."""
        if self.cjk or not self.given:
            return self.text if self.cjk else self.family.upper()
        return f"{self.family.upper()} {self.initials(dots=False)}"

    def apa(self) -> str:
        """APA: ``林晓岚``; ``Carter, E.``."""
        if self.cjk or not self.given:
            return self.family
        return f"{self.family}, {self.initials(dots=True)}"

    def inverted(self) -> str:
        """Chicago's first author: ``林晓岚``; ``Carter, Emily``."""
        if self.cjk or not self.given:
            return self.family
        return f"{self.family}, {self.given}"

    def csl(self) -> dict:
        if self.cjk or not self.given:
            return {"literal": self.text}
        return {"family": self.family, "given": self.given}


@dataclass(frozen=True)
class Reference:
    """The facts a citation of a note is made of."""

    title: str
    authors: list[Name]
    language: str
    url: str
    published: date
    publisher: str
    place: str = ""
    series: str = ""
    genre: str = ""
    genre_en: str = ""
    modified: date | None = None
    abstract: str = ""
    keywords: list[str] = field(default_factory=list)
    key: str = "note"

    @property
    def english(self) -> bool:
        return self.language == "en"

    @property
    def language_tag(self) -> str:
        return "en" if self.english else "zh-CN"


def reference_for(note, authorships, url, *, topics=(), modified=None) -> Reference:
    """The :class:`Reference` of a published ``note`` whose public address is ``url``."""
    english = note.language == "en"
    note_type = note.note_type
    published = timezone.localdate(note.published_at)
    return Reference(
        title=note.title,
        authors=[Name.parse(a.author.name) for a in authorships],
        language=note.language,
        url=url,
        published=published,
        modified=timezone.localdate(modified) if modified else None,
        publisher=settings.INSTITUTE_NAME_EN if english else settings.INSTITUTE_NAME,
        place=settings.INSTITUTE_PLACE_EN if english else settings.INSTITUTE_PLACE,
        series=note.series.name if note.series else "",
        genre=(note_type.name_en or note_type.name if english else note_type.name)
        if note_type
        else "",
        genre_en=(note_type.name_en or note_type.name) if note_type else "",
        abstract="\n\n".join(note.summary_paragraphs),
        keywords=[t.name for t in topics],
        key=f"note{note.pk}-{published.year}",
    )


def reference_of_note(note) -> Reference:
    """The :class:`Reference` of a saved, published ``note``, read from the database."""
    last = note.corrections.order_by("-number").first()
    return reference_for(
        note,
        list(note.authorships.select_related("author").order_by("position")),
        settings.SITE_URL + note.get_absolute_url(),
        topics=list(note.tags.order_by("name")),
        modified=last.created_at if last else None,
    )


# Formatted strings: a list of parts, plain text or marked, shown as HTML or copied as text.


class Italic(str):
    """A title that the style sets in italics."""


class AccessDate(str):
    """The date the reader looked the note up; the page's script puts in the reader's today."""


def as_text(parts) -> str:
    return "".join(parts)


def as_html(parts, *, language="zh-hans"):
    def piece(part):
        if isinstance(part, Italic):
            return format_html('<i lang="{}">{}</i>', language, part)
        if isinstance(part, AccessDate):
            return format_html('<time class="access-date" datetime="{}">{}</time>', part, part)
        return format_html("{}", part)

    return mark_safe("".join(piece(part) for part in parts))


def _end(text: str) -> str:
    """``text`` closed with a period, unless it already ends a sentence ("E.", "et al.", "?")."""
    return text if text.endswith((".", "?", "!", "。", "？", "！")) else text + "."


def gbt7714(ref: Reference, *, accessed: date | None = None) -> list:
    """GB/T 7714-2015, a report online ``[R/OL]``; ``accessed`` is left out when ``None``.

    ``作者. 题名[R/OL]. 出版地: 出版者, 出版日期(修改日期)[引用日期]. URL.``
    """
    names = [name.gbt() for name in ref.authors]
    if len(names) > 3:
        names = [*names[:3], "et al." if ref.english else "等"]
    parts = [_end(", ".join(names)) + " "] if names else []
    parts.append(f"{ref.title}[R/OL]. ")
    publisher = f"{ref.place}: {ref.publisher}" if ref.place else ref.publisher
    parts.append(f"{publisher}, {ref.published.isoformat()}")
    if ref.modified and ref.modified != ref.published:
        parts.append(f"({ref.modified.isoformat()})")
    if accessed:
        parts += ["[", AccessDate(accessed.isoformat()), "]"]
    parts.append(f". {ref.url}.")
    return parts


def apa(ref: Reference) -> list:
    """APA 7, a report:
    ``Carter, E., & Lin, X. (2021). *Title* [Research note]. Publisher. URL``."""
    names = [name.apa() for name in ref.authors]
    if len(names) > 20:
        authors = ", ".join(names[:19]) + f", . . . {names[-1]}"
    elif len(names) > 1 and not all(name.cjk for name in ref.authors):
        authors = ", ".join(names[:-1]) + f", & {names[-1]}"
    else:
        # Chinese names are listed with commas only, as Chinese APA references do.
        authors = ", ".join(names)
    genre = ref.genre_en[:1].upper() + ref.genre_en[1:].lower() if ref.genre_en.isascii() else ""
    description = f" [{genre or ref.genre_en}]" if ref.genre_en else ""
    year = f"({ref.published.year})."
    # "Title [Research note]." or "Title." ("Title?" keeps its own mark).
    close = f"{description}." if description else _end(ref.title)[len(ref.title) :]
    if authors:
        parts = [f"{_end(authors)} {year} ", Italic(ref.title), f"{close} "]
    else:
        parts = [Italic(ref.title), f"{close} {year} "]
    parts.append(f"{_end(ref.publisher)} {ref.url}")
    return parts


def chicago(ref: Reference) -> list:
    """Chicago 17, bibliography entry for a report:
    ``Carter, Emily, and Xiaolan Lin. *Title*. Series. Place: Publisher, March 22, 2021. URL.``
    """
    names = [name.text for name in ref.authors]
    if names:
        names[0] = ref.authors[0].inverted()
    if len(names) > 10:
        authors = ", ".join(names[:7]) + ", et al."
    elif len(names) > 2:
        authors = ", ".join(names[:-1]) + f", and {names[-1]}"
    elif len(names) == 2:
        # An inverted first name ("Carter, Emily") takes a comma before "and".
        authors = f"{names[0]}{',' if ',' in names[0] else ''} and {names[1]}"
    else:
        authors = "".join(names)
    parts = [_end(authors) + " "] if authors else []
    parts += [Italic(ref.title), _end(ref.title)[len(ref.title) :] + " "]
    if ref.series:
        parts.append(_end(ref.series) + " ")
    publisher = f"{ref.place}: {ref.publisher}" if ref.place else ref.publisher
    when = f"{MONTHS[ref.published.month - 1]} {ref.published.day}, {ref.published.year}"
    parts.append(f"{publisher}, {when}. {ref.url}.")
    return parts


STYLES = {"gbt7714": "GB/T 7714-2015", "apa": "APA 7", "chicago": "Chicago 17"}


def formatted(ref: Reference, *, accessed: date | None) -> list[dict]:
    """The strings the note page shows, one per style: name, HTML and plain text."""
    language = ref.language
    result = []
    for style, parts in (
        ("gbt7714", gbt7714(ref, accessed=accessed)),
        ("apa", apa(ref)),
        ("chicago", chicago(ref)),
    ):
        result.append(
            {
                "style": style,
                "label": STYLES[style],
                "html": as_html(parts, language=language),
                "text": as_text(parts),
            }
        )
    return result


# Files for reference managers.

_BIBTEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIBTEX_SPECIAL = re.compile("|".join(re.escape(c) for c in _BIBTEX_SPECIALS))


def _bibtex_escape(text: str) -> str:
    text = " ".join(text.split())
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_SPECIALS[m[0]], text)


def bibtex(ref: Reference) -> str:
    """A ``@techreport`` entry. Chinese names are braced, so BibTeX keeps them whole."""

    def author(name):
        if name.cjk or not name.given:
            return "{" + _bibtex_escape(name.text) + "}"
        return _bibtex_escape(f"{name.family}, {name.given}")

    fields = [
        ("author", " and ".join(author(name) for name in ref.authors)),
        # Double braces keep the title's capitals as they are.
        ("title", "{" + _bibtex_escape(ref.title) + "}"),
        ("institution", _bibtex_escape(ref.publisher)),
        ("address", _bibtex_escape(ref.place)),
        ("type", _bibtex_escape(ref.genre)),
        ("series", _bibtex_escape(ref.series)),
        ("year", str(ref.published.year)),
        ("month", MONTHS[ref.published.month - 1][:3].lower()),
        ("date", ref.published.isoformat()),
        ("url", ref.url),
        ("language", ref.language_tag),
        ("keywords", _bibtex_escape(", ".join(ref.keywords))),
        ("abstract", _bibtex_escape(ref.abstract)),
    ]
    lines = [f"@techreport{{{ref.key},"]
    for name, value in fields:
        if not value:
            continue
        # ``month`` is a BibTeX macro (jan, feb, …), written without braces.
        lines.append(f"  {name} = {value}," if name == "month" else f"  {name} = {{{value}}},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _ris_line(tag: str, value: str) -> str:
    return f"{tag}  - {' '.join(value.split())}"


def ris(ref: Reference) -> str:
    """An RIS record of type ``RPRT``; lines end with CRLF, as the format asks."""
    lines = [_ris_line("TY", "RPRT")]
    for name in ref.authors:
        lines.append(_ris_line("AU", name.inverted()))
    lines.append(_ris_line("TI", ref.title))
    if ref.series:
        lines.append(_ris_line("T3", ref.series))
    if ref.genre:
        lines.append(_ris_line("M3", ref.genre))
    lines.append(_ris_line("PB", ref.publisher))
    if ref.place:
        lines.append(_ris_line("CY", ref.place))
    lines.append(_ris_line("PY", str(ref.published.year)))
    lines.append(_ris_line("DA", ref.published.strftime("%Y/%m/%d")))
    lines.append(_ris_line("UR", ref.url))
    lines.append(_ris_line("LA", ref.language_tag))
    lines.extend(_ris_line("KW", keyword) for keyword in ref.keywords)
    if ref.abstract:
        lines.append(_ris_line("AB", ref.abstract))
    lines.append("ER  - ")
    return "\r\n".join(lines) + "\r\n"


def _date_parts(day: date) -> dict:
    return {"date-parts": [[day.year, day.month, day.day]]}


def csl_json(ref: Reference) -> str:
    """A CSL-JSON list holding one item of type ``report``."""
    item = {
        "id": ref.key,
        "type": "report",
        "title": ref.title,
        "author": [name.csl() for name in ref.authors],
        "issued": _date_parts(ref.published),
        "publisher": ref.publisher,
        "publisher-place": ref.place,
        "collection-title": ref.series,
        "genre": ref.genre,
        "URL": ref.url,
        "language": ref.language_tag,
        "abstract": ref.abstract,
        "keyword": ", ".join(ref.keywords),
    }
    item = {name: value for name, value in item.items() if value not in ("", [])}
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"


FILES = {
    # extension: (what writes it, Content-Type)
    "bib": (bibtex, "application/x-bibtex; charset=utf-8"),
    "ris": (ris, "application/x-research-info-systems; charset=utf-8"),
    "json": (csl_json, "application/vnd.citationstyles.csl+json; charset=utf-8"),
}


def structured_data(note, authorships, topics, url, *, modified=None, figures=()):
    """schema.org ``Report`` metadata for search engines and reference managers."""
    data = {
        "@context": "https://schema.org",
        "@type": "Report",
        "headline": note.title,
        "name": note.title,
        "url": url,
        "inLanguage": note.language,
        "abstract": note.summary,
        "author": [
            {
                "@type": "Person",
                "name": a.author.name,
                "jobTitle": a.author.title or None,
                "affiliation": (
                    {"@type": "Organization", "name": a.author.affiliation}
                    if a.author.affiliation
                    else None
                ),
                "url": settings.SITE_URL + a.author.get_absolute_url(),
            }
            for a in authorships
        ],
        "publisher": {"@type": "Organization", "name": settings.INSTITUTE_NAME},
        "keywords": [t.name for t in topics],
    }
    if note.published_at:
        data["datePublished"] = note.published_at.isoformat()
        data["dateModified"] = (modified or note.published_at).isoformat()
    if note.series:
        data["isPartOf"] = {"@type": "CreativeWorkSeries", "name": note.series.name}
    if figures:
        data["image"] = [image["url"] for figure in figures if (image := share_image(figure))]
    return data


def share_image(figure):
    """The absolute URL, size and type of ``figure``'s widest rendition in its own kind
    (what OpenGraph, JSON-LD and feeds point to), or ``None`` without one."""
    rendition = figure.largest()
    if rendition is None:
        return None
    ext = rendition["name"].rsplit(".", 1)[-1]
    return {
        "url": settings.SITE_URL + figure.file_url(rendition["name"]),
        "width": rendition["width"],
        "height": rendition["height"],
        "size": rendition["size"],
        "type": "image/jpeg" if ext == "jpg" else f"image/{ext}",
        "alt": figure.alt,
    }
