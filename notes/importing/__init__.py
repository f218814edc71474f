"""Turn briefs (plain text, Markdown, PDF, Word) into structured notes.

``load_brief`` reads and parses a file; ``notes.importing.store.save_brief``
writes the result as a draft note.
"""

from pathlib import Path

from notes.importing.errors import BriefError
from notes.importing.parser import ParsedBrief, ParsedSection, parse_text
from notes.importing.readers import EXTENSIONS, Extracted, extract, read_path

__all__ = [
    "EXTENSIONS",
    "BriefError",
    "ParsedBrief",
    "ParsedSection",
    "load_brief",
    "load_path",
    "parse_text",
]


def _parse(extracted: Extracted, known_types) -> tuple[str, ParsedBrief]:
    brief = parse_text(extracted.text, known_types=known_types, furniture=extracted.furniture)
    brief.warnings[:0] = [{"field": "sections", "message": w} for w in extracted.warnings]
    brief.figures = extracted.figures
    return extracted.text, brief


def load_brief(name: str, data: bytes, *, known_types=()) -> tuple[str, ParsedBrief]:
    """``(source text, parsed brief)`` of the file ``name`` whose content is ``data``."""
    return _parse(extract(name, data), known_types)


def load_path(path, *, known_types=()) -> tuple[str, ParsedBrief]:
    return _parse(read_path(Path(path)), known_types)
