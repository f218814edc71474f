"""Corrections in public: what readers are told when a published note changes.

When an editor saves a note that is on the site, the change may be marked as a
correction (更正) or an update (更新) with a short public note. The wording the
note had before that save is then kept as a numbered earlier version, readable
with a diff against the current text. A save left unmarked (a typo fixed)
leaves no public trace, and nothing from a note's time as a draft is ever kept
here: only the wording of a note already public when the change was made.
"""

from django.db.models import Max

from notes import history
from notes.models import Correction, Note


def public_wording(note) -> dict:
    """The note's stored wording (title, summary, authors, topics, sections) as the
    public sees it now: read from the database, not from a form being saved."""
    return history.snapshot_of_note(Note.objects.get(pk=note.pk))


def record(*, note, kind, message, user, previous) -> Correction:
    """Record a marked change of ``note``; ``previous`` is :func:`public_wording`
    taken before the change was saved, while the note was public (the note form
    checks that). The caller holds the note's row lock."""
    latest = note.corrections.aggregate(latest=Max("number"))["latest"] or 0
    return Correction.objects.create(
        note=note,
        number=latest + 1,
        kind=kind,
        message=message.strip(),
        created_by=user,
        previous=previous,
    )


def compare_with_current(correction, note):
    """Rows of (label, changed, escaped HTML diff) from the earlier wording to now."""
    return history.compare(correction.previous, history.snapshot_of_note(note))


def sections_of(wording):
    """The sections of a stored wording as ``(heading, body)`` pairs, in order."""
    return [(heading, body) for _pk, heading, body in wording["sections"]]
