"""Answering a search: the ids the index matches (a small class per database) joined with
``published()`` and the lists' ``NoteFilter``; pages kept in Django's cache."""

import bisect
import hashlib
import json
import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import FloatField, Func
from django.db.models.expressions import RawSQL
from django.template.loader import render_to_string
from django.utils import timezone, translation

from notes import generation
from notes.models import Authorship, Figure, Note, Section, TaggedNote
from search.index import FTS_TABLE
from search.models import SearchEntry
from search.query import ParsedQuery, fts5_query, text_checks, tsquery
from search.text import highlight

logger = logging.getLogger(__name__)

PAGE_SIZE = 20
#: Relevance ranks at most this many matches (the newest); older ones follow by date.
RANK_CANDIDATES = 300
#: Matches read at most; above it the count is a lower bound.
LIMIT = 10_000
CACHE_SECONDS = 3600
ENTRIES = SearchEntry._meta.db_table


@dataclass
class Hit:  # what the page shows of a matching note: plain values, quick to keep
    pk: int
    slug: str
    language: str
    published_at: datetime
    authors: list  # the byline: (slug, name) of each author in order
    title_html: str
    snippet_html: str
    topics_html: list  # the topics the query matched: why a hit is here


@dataclass
class Results:
    total: int = 0
    more: bool = False  # ``total`` is a lower bound: more than :data:`LIMIT` matched
    page: int = 1
    num_pages: int = 0
    hits: list[Hit] = field(default_factory=list)
    topics: list[tuple[str, str, int]] = field(default_factory=list)  # (slug, name, count)
    authors: list[tuple[str, str, int]] = field(default_factory=list)
    years: list[tuple[int, int]] = field(default_factory=list)
    html: str = ""


def search(query: ParsedQuery, note_filter=None, *, sort="relevance", page=1, template=None):
    """A page of the published notes matching ``query``, with the count and facets, kept
    with ``template`` written from it as ``html``: 20 hits cost more than the rest."""
    if not query or (note_filter is not None and note_filter.errors):
        return Results()
    number = generation.current()  # None: the cache cannot be reached
    described = [query.clauses, query.excluded, sort, page, connection.alias]
    described += [note_filter and note_filter.key(), translation.get_language()]
    digest = hashlib.sha256(repr(described).encode()).hexdigest()[:32]
    key = None if number is None else f"search:{number}:{digest}"
    results = _cache(cache.get, key)
    if results is None:
        results = _search(query, note_filter, sort=sort, page=page)
        results.html = render_to_string(template, {"results": results}) if template else ""
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
    backend = PostgreSQL() if connection.vendor == "postgresql" else SQLite()
    sql, params = backend.matches(query)
    notes = Note.objects.published().filter(pk__in=RawSQL(sql, params))
    if note_filter is not None:
        notes = note_filter.apply(notes)
    seconds = Func("published_at", template=backend.SECONDS, output_field=FloatField())
    newest = notes.order_by("-published_at", "-pk").values_list("pk", seconds)
    with transaction.atomic(), connection.cursor() as cursor:
        if backend.PREPARE:
            cursor.execute(backend.PREPARE)
        # Read raw: Django's converters cost as much as the statement on SQLite.
        cursor.execute(*newest[: LIMIT + 1].query.sql_with_params())
        rows = cursor.fetchall()
    results = Results(more=len(rows) > LIMIT, total=min(len(rows), LIMIT))
    if not rows:
        return results
    ids = [pk for pk, _ in rows[:LIMIT]]
    results.num_pages = -(-results.total // PAGE_SIZE)
    results.page = max(1, min(page, results.num_pages))
    _facets(results, backend, ids)
    results.years = _years([seconds for _, seconds in rows[:LIMIT]])
    if sort != "date" and (results.page - 1) * PAGE_SIZE < RANK_CANDIDATES:
        candidates = ids[:RANK_CANDIDATES]
        scores = backend.scores(query, candidates)
        # ``candidates`` are newest first: a stable sort by score keeps that on ties.
        ids = sorted(candidates, key=lambda pk: -scores.get(pk, 0.0)) + ids[RANK_CANDIDATES:]
    results.hits = _hits(ids[(results.page - 1) * PAGE_SIZE :][:PAGE_SIZE], query)
    return results


#: The 15 commonest topics (facet 0) and authors (facet 1) of the notes ``m``, counted
#: by id before the names are joined; a note has a topic or an author once: no DISTINCT.
FACETS = """
    SELECT * FROM (SELECT 0 AS facet, t.slug, t.name, c.n FROM (SELECT tag_id AS id,
        COUNT(*) AS n FROM notes_taggednote JOIN m ON m.id = content_object_id GROUP BY tag_id)
        c JOIN notes_topic t ON t.id = c.id ORDER BY c.n DESC, t.name LIMIT 15) topics
    UNION ALL
    SELECT * FROM (SELECT 1 AS facet, a.slug, a.name, c.n FROM (SELECT author_id AS id,
        COUNT(*) AS n FROM notes_authorship JOIN m ON m.id = note_id GROUP BY author_id)
        c JOIN notes_author a ON a.id = c.id ORDER BY c.n DESC, a.name LIMIT 15) authors
    ORDER BY facet, n DESC, name
"""


def _facets(results, backend, ids):
    """Topics and authors of the notes ``ids`` in one statement, the ids in index order
    (fewer pages read) as one JSON text: psycopg sends a list of 10,000 10 ms slower."""
    with connection.cursor() as cursor:
        sql = f"WITH m AS MATERIALIZED ({backend.IDS}) {FACETS}"
        cursor.execute(sql, [json.dumps(sorted(ids))])
        for facet, slug, name, n in cursor.fetchall():
            (results.topics, results.authors)[facet].append((slug, name, n))


def _years(seconds):
    """(year, count) in the site's time zone, newest first, of times newest first as
    ``seconds`` since 1970 (quicker to read than datetimes), bisected at each year."""
    ascending = seconds[::-1]
    year = timezone.localtime(datetime.fromtimestamp(seconds[0], UTC)).year
    years, end = [], len(ascending)
    while end:  # the times before ``end`` are of ``year`` or earlier
        january = timezone.make_aware(datetime(year, 1, 1)).timestamp()
        start = bisect.bisect_left(ascending, january, hi=end)
        if start < end:
            years.append((year, end - start))
        year, end = year - 1, start
    return years


#: Markdown marks dropped from snippets: line-leading headings, quotes and
#: list bullets, emphasis and table pipes, link targets, footnote marks ``[^1]``
#: and the brackets of a figure's or a table's number (``[[图1]]`` reads 图1).
_MARKDOWN = re.compile(
    r"(?m)^[ \t]*(?:[#>]+|[-*+] |\d+\. )|[*_`~|]+|\[\^[^\]\s]+\]:?|\[\[|\]\]|!?\[|\]\([^)]*\)"
)


def _hits(ids, query):
    """The page's notes through ``published()`` with bylines, topics and snippets, as
    :class:`Hit` values, their rows read as tuples (~300 model instances cost more)."""
    texts, topics, bylines = defaultdict(list), defaultdict(list), defaultdict(list)
    sections = Section.objects.filter(note_id__in=ids).order_by("position")
    for pk, heading, body in sections.values_list("note_id", "heading", "body"):
        texts[pk] += [(heading, False), (body, True)]
    figures = Figure.objects.filter(note_id__in=ids).exclude(caption="").order_by("position", "pk")
    for pk, caption in figures.values_list("note_id", "caption"):
        texts[pk].append((caption, False))
    tagged = TaggedNote.objects.filter(content_object_id__in=ids).order_by("tag__name")
    for pk, name in tagged.values_list("content_object_id", "tag__name"):
        topics[pk].append(name)
    authorships = Authorship.objects.filter(note_id__in=ids).order_by("position")
    for pk, slug, name in authorships.values_list("note_id", "author__slug", "author__name"):
        bylines[pk].append((slug, name))
    notes = Note.objects.published().filter(pk__in=ids)
    notes = notes.values_list("pk", "title", "slug", "language", "published_at", "summary")
    rows = {row[0]: row for row in notes}
    needles = [term.text for term in query.terms]
    hits = []
    for pk, title, slug, language, published_at, summary in (rows[pk] for pk in ids if pk in rows):
        title_html, _ = highlight(title, needles, width=1000)
        matched = [highlight(name, needles, width=1000) for name in topics[pk]]
        snippet = _snippet([(summary, False), *texts[pk]], needles)
        hit = (pk, slug, language, published_at, bylines[pk], title_html, snippet)
        hits.append(Hit(*hit, [html for html, found in matched if found]))
    return hits


def _snippet(texts, needles):
    """The excerpt around the first match in ``texts`` ((text, is Markdown) pairs)."""
    fallback = ""
    for text, markdown in texts:
        html, found = highlight(_MARKDOWN.sub(" ", text) if markdown else text, needles)
        if found:
            return html
        fallback = fallback or html
    return fallback


def _checks(query, contains):
    sql, params = "", []
    for needles, wanted in text_checks(query):
        test = contains.format("> 0" if wanted else "= 0")
        sql += " AND (" + " OR ".join([test] * len(needles)) + ")"
        params += needles
    return sql, params


class PostgreSQL:
    #: ts_rank weights for {D, C, B, A}: body, headings, summary, title.
    WEIGHTS = "{0.05, 0.2, 0.4, 1.0}"
    #: A ``Func`` template: a time as seconds since 1970 (a float, not a datetime to convert).
    SECONDS = "EXTRACT(EPOCH FROM %(expressions)s)::float8"
    #: Testing ``vector @@ query`` note by note reads every TOASTed vector; the planner does
    #: not know it and may walk the newest notes (a nested loop) or scan the table, many
    #: times slower than hashing what the GIN index matches. JIT costs more than it saves.
    PREPARE = (
        "SELECT set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true),"
        " set_config('enable_nestloop', 'off', true)"
    )
    #: The ids of a JSON list as a column ``id``.
    IDS = "SELECT value::bigint AS id FROM json_array_elements_text(%s::json)"

    def matches(self, query: ParsedQuery):
        checks, params = _checks(query, "strpos(s.document, %s) {}")
        sql = f"SELECT s.note_id FROM {ENTRIES} s WHERE s.vector @@ %s::tsquery{checks}"
        return sql, [tsquery(query), *params]

    def scores(self, query: ParsedQuery, ids) -> dict[int, float]:
        positive = ParsedQuery(query.raw, clauses=query.clauses)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT note_id, ts_rank('{self.WEIGHTS}', head, %s::tsquery)"
                f" FROM {ENTRIES} WHERE note_id = ANY(%s)",
                [tsquery(positive), list(ids)],
            )
            return dict(cursor.fetchall())


class SQLite:
    #: What a query term is worth in each column that holds it.
    FIELD_WEIGHTS = {"title": 4, "summary": 2, "headings": 1}
    SECONDS = "(julianday(%(expressions)s) - 2440587.5) * 86400.0"
    PREPARE = None
    IDS = "SELECT value AS id FROM json_each(%s)"

    def matches(self, query: ParsedQuery):
        checks, params = _checks(query, "instr(s.document, %s) {}")
        join = f" JOIN {ENTRIES} s ON s.note_id = f.rowid" if checks else ""
        sql = f"SELECT f.rowid FROM {FTS_TABLE} f{join} WHERE {FTS_TABLE} MATCH %s{checks}"
        return sql, [fts5_query(query), *params]

    def scores(self, query: ParsedQuery, ids) -> dict[int, float]:
        """``bm25`` costs as much as the whole match, ten times this: each term is looked
        up in the title, summary and headings columns instead, in one statement, and a
        note scores the weights of the columns holding each term."""
        one = f"SELECT rowid AS id, %s AS w FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
        params = []
        for term in dict.fromkeys(query.terms):
            match = fts5_query(ParsedQuery(query.raw, clauses=[[term]]))
            for column, weight in self.FIELD_WEIGHTS.items():
                params += [weight, f"{{{column}}} : ({match})"]
        with connection.cursor() as cursor:
            sql = " UNION ALL ".join([one] * (len(params) // 2))
            cursor.execute(f"SELECT id, SUM(w) FROM ({sql}) GROUP BY id", params)
            return dict(cursor.fetchall())
