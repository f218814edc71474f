"""Paths of the pages of notes, topics, authors and series, found cheaply.

A list of 20 notes links each note, its series, its authors and its topics: some
140 paths, and ``reverse()`` searches the URL patterns and checks its result for
each. The patterns do not change while the process runs, so each kind of path is
reversed once per language and script prefix with placeholders, and the values are
put in their place, quoted the way ``reverse()`` quotes them. The values must be
what the pattern accepts (ids and slugs are); a missing one is left to ``reverse()``,
which refuses it. ``tests/notes/test_urlpaths.py`` compares the two.
"""

from functools import lru_cache
from urllib.parse import quote

from django.urls import get_script_prefix, reverse
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import get_language, override

#: Placeholders that every converter of these patterns accepts (``int``, ``str``, ``uslug``).
_MARKS = ("1234567890", "2345678901")
_SAFE = RFC3986_SUBDELIMS + "/~:@"


def path_to(viewname, *values):
    """``reverse(viewname, args=values)`` in the current language."""
    return path_in(get_language(), get_script_prefix(), viewname, *values)


def path_in(language, prefix, viewname, *values):
    """``path_to`` in ``language`` under the script ``prefix``: for what is kept by
    them (``notes_tags.topic_chips``)."""
    if any(value is None or value == "" for value in values):
        return reverse(viewname, args=values)
    template = _template(viewname, len(values), language, prefix)
    return template.format(*(quote(str(value), safe=_SAFE) for value in values))


@lru_cache(maxsize=256)
def _template(viewname, arity, language, prefix):
    with override(language):
        path = reverse(viewname, args=_MARKS[:arity])
    # A reversed path has no braces (they are quoted), so only the fields are fields.
    for number, mark in enumerate(_MARKS[:arity]):
        path = path.replace(mark, f"{{{number}}}", 1)
    return path
