"""Answering a search: matching ids from the index, everything else from the notes.

The index gives the ids of the notes whose entries match (``backends.py``);
they are joined with ``Note.objects.published()`` narrowed by the lists'
``NoteFilter``, so what the public sees, and when, is read from the notes.
One statement reads the newest matches (at most :data:`LIMIT`, with their
times, which give the years); the topic and author facets count over those
ids. Past :data:`LIMIT` the count is a lower bound ("10,000+") and the
facets are those of the newest :data:`LIMIT`. Relevance ranks the newest
:data:`RANK_CANDIDATES` (title > summary > headings > body, newest first on
ties); older matches follow by date. A page of results is kept in Django's
cache under the public content generation (``notes.generation``), which every
public change and scheduled publication moves: a miss computes it afresh.
"""

import bisect
import hashlib
import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import FloatField, Func, Prefetch
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.safestring import mark_safe

from notes import generation
from notes.models import Authorship, Figure, Note, Section, TaggedNote
from search.backends import backend
from search.query import ParsedQuery
from search.text import highlight

logger = logging.getLogger(__name__)

PAGE_SIZE = 20
#: Relevance ranks at most this many matches (the newest).
RANK_CANDIDATES = 300
#: Matches read at most; above it the count is a lower bound.
LIMIT = 10_000
FACET_SIZE = 15
CACHE_SECONDS = 3600


@dataclass
class Hit:
    note: object
    title_html: str
    snippet_html: str
    #: The note's topics the query matched: why a hit is there.
    topics_html: list = field(default_factory=list)


@dataclass
class Results:
    total: int = 0
    #: ``total`` is a lower bound: there are more matches than :data:`LIMIT`.
    more: bool = False
    page: int = 1
    num_pages: int = 0
    hits: list[Hit] = field(default_factory=list)
    topics: list[tuple[str, str, int]] = field(default_factory=list)  # (slug, name, count)
    authors: list[tuple[str, str, int]] = field(default_factory=list)
    years: list[tuple[int, int]] = field(default_factory=list)


def search(query: ParsedQuery, note_filter=None, *, sort="relevance", page=1) -> Results:
    """One page of the published notes matching ``query`` (narrowed by a
    ``NoteFilter``), with the count and facets; past the last page, the last."""
    if not query:
        return Results()
    key = _cache_key(query, note_filter, sort, page)
    results = _cache("get", key)
    if results is None:
        results = _search(query, note_filter, sort=sort, page=page)
        _cache("set", key, results, CACHE_SECONDS)
    return results


def _cache_key(query, note_filter, sort, page):
    number = generation.current()  # None: the cache cannot be reached
    if number is None:
        return None
    described = [query.clauses, query.excluded, sort, page, connection.alias]
    if note_filter is not None:
        f = note_filter
        described += [[t.pk for t in f.topics], f.year, f.month, f.errors]
        described += [obj.pk if obj else None for obj in (f.author, f.series, f.note_type)]
    return f"search:{number}:{hashlib.sha256(repr(described).encode()).hexdigest()[:32]}"


def _cache(method, key, *args):
    """``cache.get`` or ``cache.set``; without a key or a reachable cache, nothing."""
    try:
        return getattr(cache, method)(key, *args) if key else None
    except Exception as error:
        logger.warning("The cache cannot be reached (%r): searching without it.", error)
        return None


def matching(query: ParsedQuery, note_filter=None):
    """The published notes (narrowed by ``note_filter``) whose entries match ``query``."""
    sql, params = backend().matches(query)
    notes = Note.objects.published()
    if note_filter is not None:
        notes = note_filter.apply(notes)
    return notes.filter(pk__in=RawSQL(sql, params))


def _search(query, note_filter, *, sort, page):
    newest = matching(query, note_filter).order_by("-published_at", "-pk")
    with transaction.atomic(), connection.cursor() as cursor:
        backend().prepare(cursor)
        seconds = Func("published_at", template=backend().SECONDS, output_field=FloatField())
        rows = list(newest.values_list("pk", seconds)[: LIMIT + 1])
    results = Results(more=len(rows) > LIMIT)
    rows = rows[:LIMIT]
    results.total = len(rows)
    if not rows:
        return results
    results.num_pages = -(-results.total // PAGE_SIZE)
    results.page = max(1, min(page, results.num_pages))
    ids = [pk for pk, _ in rows]
    _facets(results, ids)
    results.years = _years([seconds for _, seconds in rows])
    offset = (results.page - 1) * PAGE_SIZE
    page_ids = ids[offset : offset + PAGE_SIZE]
    if sort != "date" and offset < RANK_CANDIDATES:
        candidates = ids[:RANK_CANDIDATES]
        scores = backend().scores(query, candidates)
        # ``candidates`` are newest first: a stable sort by score keeps that on ties.
        ranked = sorted(candidates, key=lambda pk: -scores.get(pk, 0.0)) + ids[RANK_CANDIDATES:]
        page_ids = ranked[offset : offset + PAGE_SIZE]
    results.hits = _hits(page_ids, query)
    return results


def _facets(results, ids):
    """Topics and authors of the notes ``ids``, counted in one statement, the ids
    passed once: grouped by id, the names joined to the counts only. The pairs
    (note, topic) and (note, author) are unique: no DISTINCT."""
    ids_sql, params = backend().ids(ids)
    counts = []
    for number, (links, note, facet) in enumerate(
        [(TaggedNote, "content_object_id", "tag"), (Authorship, "note_id", "author")]
    ):
        names = links._meta.get_field(facet).related_model._meta.db_table
        counts.append(
            f"SELECT * FROM (SELECT {number} AS facet, f.slug, f.name, c.n FROM"
            f" (SELECT {facet}_id AS id, COUNT(*) AS n FROM {links._meta.db_table}"
            f" JOIN m ON m.id = {note} GROUP BY {facet}_id) c"
            f" JOIN {names} f ON f.id = c.id"
            f" ORDER BY c.n DESC, f.name LIMIT {FACET_SIZE}) f{number}"
        )
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH m AS MATERIALIZED ({ids_sql}) {' UNION ALL '.join(counts)}"
            " ORDER BY facet, n DESC, name",
            params,
        )
        for facet, slug, name, n in cursor.fetchall():
            (results.topics, results.authors)[facet].append((slug, name, n))


def _years(seconds):
    """(year, count) newest first, for times newest first as ``seconds`` since
    1970 (cheaper to read than datetimes), in the site's time zone."""
    oldest = seconds[::-1]  # ascending
    years, end = [], len(oldest)

    def year_of(s):
        return timezone.localtime(datetime.fromtimestamp(s, UTC)).year

    for year in range(year_of(seconds[0]), year_of(seconds[-1]) - 1, -1):
        start = bisect.bisect_left(
            oldest, timezone.make_aware(datetime(year, 1, 1)).timestamp(), hi=end
        )
        if end > start:
            years.append((year, end - start))
        end = start
    return years


#: Markdown marks dropped from snippets: line-leading headings, quotes and
#: list bullets, emphasis and table pipes, link targets, footnote marks ``[^1]``
#: and the brackets of a figure's or a table's number (``[[图1]]`` reads 图1).
_MARKDOWN = re.compile(
    r"^[ \t]*(?:[#>]+|[-*+] |\d+\. )|[*_`~|]+|\[\^[^\]\s]+\]:?|\[\[|\]\]|!?\[|\]\([^)]*\)",
    re.M,
)


def _hits(ids, query):
    """The page's notes through ``published()`` with bylines, topics and snippets."""
    if not ids:
        return []
    bylines = Authorship.objects.select_related("author").only(
        "note_id", "position", "author__name", "author__slug"
    )
    notes = (
        Note.objects.published()
        .filter(pk__in=ids)
        .only("title", "slug", "language", "published_at", "summary")
        .prefetch_related(Prefetch("authorships", queryset=bylines), "tags")
        .in_bulk()
    )
    texts = {pk: [(note.summary, False)] for pk, note in notes.items()}
    sections = Section.objects.filter(note_id__in=notes).order_by("note_id", "position")
    for note_id, heading, body in sections.values_list("note_id", "heading", "body"):
        texts[note_id] += [(heading, False), (body, True)]
    captions = Figure.objects.filter(note_id__in=notes).exclude(caption="")
    for note_id, caption in captions.order_by("note_id", "position", "pk").values_list(
        "note_id", "caption"
    ):
        texts[note_id].append((caption, False))
    needles = query.highlight_needles
    hits = []
    for pk in ids:
        if pk in notes:
            title_html, _ = highlight(notes[pk].title, needles, width=1000)
            snippet = mark_safe(_snippet(texts[pk], needles))
            topics = [highlight(t.name, needles, width=1000) for t in notes[pk].tags.all()]
            topics = [mark_safe(html) for html, found in topics if found]
            hits.append(Hit(notes[pk], mark_safe(title_html), snippet, topics))
    return hits


def _snippet(texts, needles):
    """The excerpt around the first match in ``texts`` ((text, is Markdown) pairs),
    tried as written first (quick), then normalised."""
    fallback = ""
    firsts = [needle.split(" ")[0] for needle in needles if needle]
    for quick in (True, False):
        for text, markdown in texts:
            if markdown:
                if quick and not any(first in text.casefold() for first in firsts):
                    continue  # cannot match as written: spare the Markdown pass
                text = _MARKDOWN.sub(" ", text)
            html, found = highlight(text, needles, quick=quick)
            if found:
                return html
            fallback = fallback or html
    return fallback
