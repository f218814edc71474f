"""Signals of the notes app.

``notes_changed`` is sent with ``note_ids`` when notes were changed by a write
that sends no model signal (``QuerySet.update()`` in the workflow and when a
version is restored). Anything that follows content (the public generation,
the search index) listens to it as well as to the models' own signals.
"""

from django.dispatch import Signal

notes_changed = Signal()  # sent with note_ids
