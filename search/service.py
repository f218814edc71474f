"""Answering a search: matching ids from the index, everything else from the notes.

The ids the index matches (``backends.py``) are joined with
``Note.objects.published()`` narrowed by the lists' ``NoteFilter``: what the
public sees, and when, is read from the notes. Past :data:`LIMIT` matches the
count is a lower bound and the facets are those of the newest :data:`LIMIT`.
A page of results is kept in Django's cache under the public content
generation (``notes.generation``): a miss computes it afresh.
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
#: Relevance ranks at most this many matches (the newest); older ones follow by date.
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
    number = generation.current()  # None: the cache cannot be reached
    described = [query.clauses, query.excluded, sort, page, connection.alias]
    described.append(note_filter.key() if note_filter is not None else None)
    digest = hashlib.sha256(repr(described).encode()).hexdigest()[:32]
    key = None if number is None else f"search:{number}:{digest}"
    results = _cache(cache.get, key)
    if results is None:
        results = _search(query, note_filter, sort=sort, page=page)
        _cache(cache.set, key, results, CACHE_SECONDS)
    return results


def _cache(method, key, *args):
    """``cache.get`` or ``cache.set``; without a key or a reachable cache, nothing."""
    try:
        return method(key, *args) if key else None
    except Exception as error:
        logger.warning("The cache cannot be reached (%r): searching without it.", error)
        return None


def _search(query, note_filter, *, sort, page):
    sql, params = backend().matches(query)
    notes = Note.objects.published().filter(pk__in=RawSQL(sql, params))
    if note_filter is not None:
        notes = note_filter.apply(notes)
    seconds = Func("published_at", template=backend().SECONDS, output_field=FloatField())
    newest = notes.order_by("-published_at", "-pk").values_list("pk", seconds)
    with transaction.atomic(), connection.cursor() as cursor:
        if backend().PREPARE:
            cursor.execute(backend().PREPARE)
        rows = list(newest[: LIMIT + 1])
    results = Results(more=len(rows) > LIMIT, total=min(len(rows), LIMIT))
    if not rows:
        return results
    ids = [pk for pk, _ in rows[:LIMIT]]
    results.num_pages = -(-results.total // PAGE_SIZE)
    results.page = max(1, min(page, results.num_pages))
    _facets(results, ids)
    results.years = _years([seconds for _, seconds in rows[:LIMIT]])
    if sort != "date" and (results.page - 1) * PAGE_SIZE < RANK_CANDIDATES:
        candidates = ids[:RANK_CANDIDATES]
        scores = backend().scores(query, candidates)
        # ``candidates`` are newest first: a stable sort by score keeps that on ties.
        ids = sorted(candidates, key=lambda pk: -scores.get(pk, 0.0)) + ids[RANK_CANDIDATES:]
    results.hits = _hits(ids[(results.page - 1) * PAGE_SIZE :][:PAGE_SIZE], query)
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
    1970 (cheaper to read than datetimes), in the site's time zone: counted by
    bisecting at each year's start, with no conversion per time."""
    ascending = seconds[::-1]
    newest, oldest = (
        timezone.localtime(datetime.fromtimestamp(s, UTC)).year for s in (seconds[0], seconds[-1])
    )
    years = []
    for year in range(newest, oldest - 1, -1):
        start = timezone.make_aware(datetime(year, 1, 1)).timestamp()
        end = timezone.make_aware(datetime(year + 1, 1, 1)).timestamp()
        n = bisect.bisect_left(ascending, end) - bisect.bisect_left(ascending, start)
        if n:
            years.append((year, n))
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
    bylines = Authorship.objects.select_related("author").only(
        "note_id", "position", "author__name", "author__slug"
    )
    sections = Section.objects.only("note_id", "heading", "body").order_by("position")
    captions = Figure.objects.exclude(caption="").only("note_id", "caption")
    notes = (
        Note.objects.published()
        .filter(pk__in=ids)
        .only("title", "slug", "language", "published_at", "summary")
        .prefetch_related(
            Prefetch("authorships", queryset=bylines),
            "tags",
            Prefetch("sections", queryset=sections),
            Prefetch("figures", queryset=captions.order_by("position", "pk")),
        )
        .in_bulk()
    )
    needles = [term.text for term in query.terms]
    hits = []
    for note in (notes[pk] for pk in ids if pk in notes):
        texts = [(note.summary, False)]
        for section in note.sections.all():
            texts += [(section.heading, False), (section.body, True)]
        texts += [(figure.caption, False) for figure in note.figures.all()]
        title_html, _ = highlight(note.title, needles, width=1000)
        topics = [highlight(t.name, needles, width=1000) for t in note.tags.all()]
        topics = [mark_safe(html) for html, found in topics if found]
        snippet = mark_safe(_snippet(texts, needles))
        hits.append(Hit(note, mark_safe(title_html), snippet, topics))
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
