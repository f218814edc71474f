"""A note's body as the page shows it: figures, tables and footnotes numbered.

Each section's HTML is rendered and sanitized when the section is saved
(``notes.rendering``); what depends on the whole note is left there as marks,
filled in here with figures' current files and numbers across sections:

- ``<!--figure:N-->``: figure N of the note (its place in the list of figures);
- ``<!--table-->`` and ``<!--table-label-->``: tables, numbered in order;
- ``<!--fnref:i:k-->`` and the section's ``<!--footnotes-->``: footnotes,
  numbered in order through the note and listed once at its end.

Every value put in here is a number, a URL made by ``reverse()`` or text
escaped by ``format_html``.
"""

import re
from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import override

from notes.rendering import figure_label

#: The body column is 42rem wide at most; on a phone, the screen less its margins.
SIZES = "(min-width: 44rem) 42rem, calc(100vw - 2rem)"

_MARK = re.compile(
    r"<!--(?:figure:(?P<figure>\d+)|fnref:(?P<fn>\d+):(?P<sub>\d+)|(?P<table>table)|"
    r"(?P<label>table-label))-->"
)
_FOOTNOTE = re.compile(r"<!--fn:(\d+):(\d+)-->(.*?)<!--/fn-->", re.DOTALL)


@dataclass
class Footnote:
    number: int
    html: str
    references: int

    @property
    def reference_ids(self):
        """The ids of the places in the text that refer to this footnote."""
        return [
            f"fnref-{self.number}" + (f"-{n}" if n > 1 else "")
            for n in range(1, self.references + 1)
        ]


@dataclass
class Body:
    sections: list = field(default_factory=list)  # (section, html)
    footnotes: list = field(default_factory=list)
    unplaced: list = field(default_factory=list)  # html of figures placed nowhere
    footnotes_heading: str = ""
    back_label: str = ""


def figure_html(figure, number, language, *, base_url="") -> str:
    """A figure with its renditions for every width, numbered caption, source and credit."""
    sources = figure.sources()
    if not sources:
        return ""
    pictures = []
    for ext, renditions in sources:
        srcset = ", ".join(f"{base_url}{url} {r['width']}w" for url, r in renditions)
        pictures.append((ext, srcset, renditions))
    _ext, fallback_srcset, fallback = pictures[-1]
    middle = min(fallback, key=lambda item: abs(item[1]["width"] - 960))
    with override(language):
        source_label = _("来源：")
    return format_html(
        '<figure class="note-figure" id="figure-{number}">'
        "<picture>{sources}"
        '<img src="{src}" srcset="{srcset}" sizes="{sizes}" width="{width}" height="{height}" '
        'alt="{alt}" loading="lazy" decoding="async"></picture>'
        '<figcaption><span class="figure-label">{label}</span> {caption}{source}{credit}'
        "</figcaption></figure>",
        number=number,
        sources=format_html_join(
            "",
            '<source type="image/{}" srcset="{}" sizes="{}">',
            ((ext, srcset, SIZES) for ext, srcset, _r in pictures[:-1]),
        ),
        src=base_url + middle[0],
        srcset=fallback_srcset,
        sizes=SIZES,
        width=figure.width,
        height=figure.height,
        alt=figure.alt,
        label=figure_label("figure", number, language),
        caption=figure.caption,
        source=(
            format_html('<span class="figure-source">{}{}</span>', source_label, figure.source)
            if figure.source
            else ""
        ),
        credit=(
            format_html('<span class="figure-credit">{}</span>', figure.credit)
            if figure.credit
            else ""
        ),
    )


def assemble(sections, figures, *, language, base_url="") -> Body:
    """The sections' HTML with every mark filled in; ``figures`` in the note's order."""
    numbered = dict(enumerate(figures, start=1))
    placed = set()
    with override(language):
        body = Body(footnotes_heading=_("注释"), back_label=_("回到正文"))
    tables = 0
    footnotes_before = 0

    def fill(match):
        nonlocal tables
        if match["figure"]:
            number = int(match["figure"])
            figure = numbered.get(number)
            label = figure_label("figure", number, language)
            if figure is None:
                # Deleted, or never uploaded: say so where it was placed.
                return format_html('<p class="figure-missing">[{}]</p>', label)
            if number in placed:
                # Placed twice: the second place refers to the first.
                return format_html('<p><a class="xref" href="#figure-{}">{}</a></p>', number, label)
            placed.add(number)
            return figure_html(figure, number, language, base_url=base_url)
        if match["fn"]:
            number = footnotes_before + int(match["fn"]) + 1
            sub = int(match["sub"])
            ref_id = f"fnref-{number}" + (f"-{sub + 1}" if sub else "")
            return format_html(
                '<sup class="fn-ref"><a id="{}" href="#fn-{}" role="doc-noteref">{}</a></sup>',
                ref_id,
                number,
                number,
            )
        if match["table"]:
            tables += 1
            return format_html('<span class="anchor" id="table-{}"></span>', tables)
        return figure_label("table", tables, language)

    for section in sections:
        html, _sep, notes = (section.body_html or "").partition("<!--footnotes-->")
        body.sections.append((section, mark_safe(_MARK.sub(fill, html))))
        found = _FOOTNOTE.findall(notes)
        for local, references, note_html in found:
            body.footnotes.append(
                Footnote(
                    footnotes_before + int(local) + 1,
                    mark_safe(note_html),  # sanitized when the section was saved
                    int(references),
                )
            )
        footnotes_before += len(found)
    body.unplaced = [
        mark_safe(figure_html(figure, number, language, base_url=base_url))
        for number, figure in numbered.items()
        if number not in placed
    ]
    return body
