"""Write a parsed brief as a draft note, matching what already exists by name.

A brief is identified by what it says, not by the file it came in: the same
brief imported as PDF and later as Word updates the same draft.
"""

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from notes.importing.errors import BriefError
from notes.importing.parser import ParsedBrief
from notes.importing.text import key
from notes.models import (
    Author,
    Authorship,
    Figure,
    Note,
    NoteType,
    Section,
    Series,
    unicode_slug,
)

_MARKDOWN_BLOCK = re.compile(r"^(?:#{1,6}\s|[-+*]\s|>|=+$|\d+[.)]\s)")


@dataclass
class ImportResult:
    note: Note
    created: bool
    warnings: list[str] = field(default_factory=list)


def import_key(brief: ParsedBrief) -> str:
    """The identity of an imported brief: its title and first author as parsed, compared
    without spacing, case and compatibility forms (so PDF, Word and text agree)."""
    author = brief.authors[0].name if brief.authors else ""
    identity = f"{key(brief.title)}\n{key(author)}"
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()


def markdown_paragraph(text: str) -> str:
    """Keep a paragraph of prose from being read as a Markdown list, quote or heading."""
    if text.startswith("### ") or not _MARKDOWN_BLOCK.match(text):
        return text
    number = re.match(r"^(\d+)([.)])", text)
    if number:
        return f"{number.group(1)}\\{text[len(number.group(1)) :]}"
    return f"\\{text}"


def _unique_slug(model, text, fallback):
    base = unicode_slug(text, max_length=90, fallback=fallback)
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _by_key(queryset, name, *fields):
    """The object one of whose ``fields`` equals ``name`` compared by :func:`key`
    (``研 究 简 报`` is 研究简报); series and types are few, so all are read."""
    wanted = key(name)
    for obj in queryset:
        if any(key(getattr(obj, f)) == wanted for f in fields if getattr(obj, f)):
            return obj
    return None


def find_series(name, *, create):
    if not name:
        return None
    series = _by_key(Series.objects.only("name"), name, "name")
    if series is None and create:
        series = Series.objects.create(name=name.strip(), slug=_unique_slug(Series, name, "series"))
    return series


def find_note_type(name, *, create):
    if not name:
        return None
    name = name.strip()
    found = _by_key(NoteType.objects.only("name", "name_en"), name, "name", "name_en")
    if found is None and create:
        found = NoteType.objects.create(name=name, slug=_unique_slug(NoteType, name, "type"))
    return found


def find_author(credit, *, create):
    """The author named ``credit.name`` (the one with the same affiliation if several)."""
    candidates = list(Author.objects.filter(name__iexact=credit.name.strip()))
    for author in candidates:
        if credit.affiliation and key(author.affiliation) == key(credit.affiliation):
            return author
    if candidates:
        return candidates[0]
    if not create:
        return None
    return Author.objects.create(
        name=credit.name.strip()[:100],
        slug=_unique_slug(Author, credit.name, "author"),
        title=credit.title[:100],
        affiliation=credit.affiliation[:200],
    )


def _byline(author, credit, language):
    """An override when the brief credits the author differently from the profile."""
    if not (credit.title or credit.affiliation):
        return ""
    if key(author.title) == key(credit.title) and key(author.affiliation) == key(
        credit.affiliation
    ):
        return ""
    if language == "en":
        return ", ".join(p for p in (credit.title, credit.affiliation) if p)[:200]
    return f"{credit.affiliation}{credit.title}"[:200]


def _check_taxonomy(brief, series, create_taxonomy, warnings):
    """The series and type to set; a warning for each that does not exist and may not be created."""
    if series is None:
        series = find_series(brief.series, create=create_taxonomy)
        if brief.series and series is None:
            warnings.append(
                _("栏目“%(name)s”不存在，未设置；请改为已有栏目，或确认新建。")
                % {"name": brief.series}
            )
    note_type = find_note_type(brief.type, create=create_taxonomy)
    if brief.type and note_type is None:
        warnings.append(
            _("类型“%(name)s”不存在，未设置；请改为已有类型，或确认新建。") % {"name": brief.type}
        )
    return series, note_type


@transaction.atomic
def save_brief(
    brief: ParsedBrief,
    *,
    identity: str | None = None,
    user=None,
    series=None,
    publish_at=None,
    create_taxonomy=False,
    create_authors=True,
    may_update=None,
    original=None,
    offer_original=None,
    figures=None,
) -> ImportResult:
    """Create (or update, when the same brief was imported before) a draft note.

    The brief is identified by ``identity`` (:func:`import_key` of the brief as
    parsed, before a user corrected it; of ``brief`` itself by default).
    ``series`` overrides the brief's own. A series or type that does not exist
    is created only with ``create_taxonomy``; otherwise it is left out with a
    warning. ``create_authors`` says the same of authors. ``may_update(note)``
    decides whether an existing draft may be overwritten; a note that is no
    longer a draft is never touched. ``original`` is ``(file name, bytes)`` of
    the file imported, kept with the note (private until it is published);
    ``offer_original`` sets whether the note page offers it for download.
    ``figures`` (the brief's own by default) become the note's figures, in order.
    """
    warnings = []
    identity = identity or import_key(brief)
    note = Note.objects.select_for_update().filter(import_key=identity).first()
    created = note is None
    if note is not None:
        if note.status != Note.Status.DRAFT:
            raise BriefError(
                _(
                    "《%(title)s》已导入过，且已不是草稿（%(status)s），不会被覆盖；请在后台直接修改。"
                )
                % {"title": note.title, "status": note.get_status_display()}
            )
        if may_update is not None and not may_update(note):
            raise BriefError(
                _("《%(title)s》已导入过，但您无权修改那篇草稿。") % {"title": note.title}
            )
    else:
        note = Note(import_key=identity, created_by=user, status=Note.Status.DRAFT)

    series, note_type = _check_taxonomy(brief, series, create_taxonomy, warnings)
    note.title = brief.title[:200]
    note.series = series
    note.note_type = note_type
    note.language = brief.language
    note.summary = "\n\n".join(brief.summary)
    note.source_url = (brief.source_url or "")[:500]
    if publish_at is not None:
        note.published_at = publish_at
    if offer_original is not None:
        note.offer_original = offer_original
    previous_file = note.original_file.name if not created else ""
    if original is not None:
        name, data = original
        note.original_file.save(Path(name).name[-100:], ContentFile(data), save=False)
    if not created:
        note.version = F("version") + 1
    note.save()
    if previous_file and previous_file != note.original_file.name:
        transaction.on_commit(lambda: note.original_file.storage.delete(previous_file))
    if not created:
        note.refresh_from_db(fields=["version"])
        note.sections.all().delete()
        note.authorships.all().delete()
        note.figures.all().delete()

    seen = set()
    for credit in brief.authors:
        author = find_author(credit, create=create_authors)
        if author is None:
            warnings.append(_("作者“%(name)s”不存在，未添加。") % {"name": credit.name})
            continue
        if author.pk in seen:
            continue
        seen.add(author.pk)
        Authorship.objects.create(
            note=note,
            author=author,
            position=len(seen),
            byline=_byline(author, credit, brief.language),
        )
    for position, section in enumerate(brief.sections, start=1):
        Section.objects.create(
            note=note,
            position=position,
            heading=section.heading[:200],
            body="\n\n".join(markdown_paragraph(p) for p in section.paragraphs),
        )
    _save_figures(note, brief.figures if figures is None else figures, warnings)
    if brief.keywords:
        note.tags.add(*brief.keywords)
    return ImportResult(note=note, created=created, warnings=[str(w) for w in warnings])


def _save_figures(note, figures, warnings):
    """The pictures of the brief as the note's figures; one that is refused is left out
    (its place in the text shows it is missing) with a warning saying why."""
    for number, extracted in enumerate(figures, start=1):
        figure = Figure(
            note=note,
            position=number,
            caption=extracted.caption[:300],
            source=extracted.source[:300],
            alt=(extracted.caption or _("图%(number)d") % {"number": number})[:500],
        )
        figure.image = ContentFile(extracted.data, name=f"figure-{number}")
        try:
            figure.save()
        except ValidationError as error:
            warnings.append(
                _("图%(number)d 未能导入：%(reason)s")
                % {"number": number, "reason": "；".join(error.messages)}
            )
