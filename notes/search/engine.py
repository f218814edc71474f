"""Running a parsed query: count, facets and one page of results.

The matches are computed once per request, in one statement: a CTE ``m``
holds the index rows that match and belong to published notes
(``Note.objects.published()`` plus the reader's filters, applied as
``note_id IN (…)`` when the query runs), and the count, the facets and the
page are read from it. The index rows carry the publication time and the
topic and author ids, so facets need no joins. Fetching the notes of the
page and their texts for snippets costs a constant four queries more.

Ranking on PostgreSQL: ``ts_rank`` over the ``head`` vector (title A,
summary B, headings and topics C), for the newest ``RANK_CANDIDATES``
matches only; the others follow, newest first. ``ts_rank`` must read each
ranked row's vector from the TOAST table (an index lookup and a
decompression each): over every match of a word found in most notes that
is seconds, over a bounded set it is a few milliseconds, whatever the word.
Below ``RANK_CANDIDATES`` matches the order is exact: title above summary
above headings above body (body-only matches tie), newest first on ties.
See docs/performance.md for the measurements.

On SQLite, FTS5's ``bm25`` with column weights ranks every match.
"""

import re
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils.safestring import mark_safe

from notes.search.query import ParsedQuery, fts5_query, text_checks, tsquery
from notes.search.text import highlight

PAGE_SIZE = 20
#: On PostgreSQL, relevance ranks at most this many matches (the newest).
RANK_CANDIDATES = 300
FACET_SIZE = 15
#: ts_rank weights for {D, C, B, A}: body, headings, summary, title.
TS_RANK_WEIGHTS = "{0.05, 0.2, 0.4, 1.0}"
#: bm25 column weights: title, summary, headings, body.
BM25_WEIGHTS = "10.0, 5.0, 2.5, 1.0"
_FLOAT = "CAST({} AS double precision)"
_ZERO = _FLOAT.format(0)
_STAMP = {"postgresql": "EXTRACT(EPOCH FROM published_at)", "sqlite": "julianday(published_at)"}


@dataclass
class Hit:
    note: object
    title_html: str
    snippet_html: str


@dataclass
class Results:
    total: int = 0
    page: int = 1
    num_pages: int = 0
    hits: list[Hit] = field(default_factory=list)
    topics: list[tuple[str, str, int]] = field(default_factory=list)
    authors: list[tuple[str, str, int]] = field(default_factory=list)
    years: list[tuple[int, int]] = field(default_factory=list)

    # What includes/_pagination.html reads from a Django Page.
    @property
    def number(self):
        return self.page

    @property
    def paginator(self):
        return self

    def has_previous(self):
        return self.page > 1

    def has_next(self):
        return self.page < self.num_pages

    def previous_page_number(self):
        return self.page - 1

    def next_page_number(self):
        return self.page + 1


def _alone(published_sql):
    """Whether the index match must run alone, before the notes' filter.

    The topic filter (a GROUP BY … HAVING over the tagged notes) is
    estimated at a few dozen notes when it selects thousands; the planner
    then tests the vector of each filtered note, reading each from TOAST
    (300 ms for 10,000 notes), instead of scanning the GIN index (30 ms).
    Running the match first costs ~40 ms more for a word in most notes,
    so it is kept for that filter.
    """
    from notes.models import TaggedNote

    return TaggedNote._meta.db_table in published_sql


def _matches(query: ParsedQuery, notes) -> tuple[str, list]:
    """CTEs ending with ``m``: the index rows of ``notes`` that match ``query``.

    ``notes`` (published, filtered) is applied as ``note_id IN (…)``. On
    SQLite the FTS5 match runs once, in a CTE ``r`` that also keeps its bm25
    score; joining the FTS table again per result would rerun the match for
    each row.
    """
    published_sql, published_params = notes.values("pk").order_by().query.sql_with_params()
    columns = "s.note_id AS id, s.published_at, s.year, s.topic_ids, s.author_ids"
    if connection.vendor == "postgresql":
        sql = f"SELECT {columns} FROM notes_search s WHERE s.vector @@ %s::tsquery"
        sql = f"g AS MATERIALIZED ({sql}" if _alone(published_sql) else f"m AS MATERIALIZED ({sql}"
        params = [tsquery(query)]
        contains = "strpos(s.document, %s) {}"
    else:
        sql = (
            "r AS MATERIALIZED (SELECT rowid AS id,"
            f" bm25(notes_search_fts, {BM25_WEIGHTS}) AS score"
            " FROM notes_search_fts WHERE notes_search_fts MATCH %s),"
            f" m AS MATERIALIZED (SELECT {columns}, r.score FROM r"
            " JOIN notes_search s ON s.note_id = r.id WHERE 1 = 1"
        )
        params = [fts5_query(query)]
        contains = "instr(s.document, %s) {}"
    for needles, wanted in text_checks(query):
        test = contains.format("> 0" if wanted else "= 0")
        sql += " AND (" + " OR ".join([test] * len(needles)) + ")"
        params += needles
    if sql.startswith("g "):
        sql += f"), m AS MATERIALIZED (SELECT * FROM g WHERE g.id IN ({published_sql}))"
    else:
        sql += f" AND s.note_id IN ({published_sql}))"
    return sql, [*params, *published_params]


def _page(query, *, sort, offset):
    """(more CTEs, the page's SELECT over ``m``, params)."""

    def select(source, score, order, limit, offset):
        return (
            f"SELECT * FROM (SELECT 'p', CAST(id AS text), NULL, 0, {_FLOAT.format(score)},"
            f" {_FLOAT.format(_STAMP[connection.vendor])} FROM {source}"
            f" ORDER BY {order} LIMIT {int(limit)} OFFSET {int(offset)})"
        )

    by_date = "published_at DESC, id DESC"
    if sort == "date":
        return "", select("m", _ZERO, by_date, PAGE_SIZE, offset) + " page", []
    if connection.vendor != "postgresql":
        return "", select("m", "-score", f"score, {by_date}", PAGE_SIZE, offset) + " page", []
    # Rank the newest RANK_CANDIDATES matches only (see the module docstring);
    # the older ones follow, newest first. The page takes its rows from the
    # ranked ones, from the older ones by date, or both at the boundary.
    ranked = (
        ", ranked AS MATERIALIZED ("
        f"SELECT c.id, c.published_at, ts_rank('{TS_RANK_WEIGHTS}', s.head, %s::tsquery) AS score"
        f" FROM (SELECT id, published_at FROM m ORDER BY {by_date} LIMIT {RANK_CANDIDATES}) c"
        " JOIN notes_search s ON s.note_id = c.id)"
    )
    parts = []
    if offset < RANK_CANDIDATES:
        parts.append(select("ranked", "score", f"score DESC, {by_date}", PAGE_SIZE, offset) + " r")
    if offset + PAGE_SIZE > RANK_CANDIDATES:
        start = max(offset, RANK_CANDIDATES)
        parts.append(select("m", _ZERO, by_date, offset + PAGE_SIZE - start, start) + " o")
    positive = tsquery(ParsedQuery(query.raw, clauses=query.clauses))
    return ranked, " UNION ALL ".join(parts), [positive]


def _statement(query, notes, *, sort, offset):
    matches, params = _matches(query, notes)
    ranked, page, page_params = _page(query, sort=sort, offset=offset)
    if connection.vendor == "postgresql":
        # unnest() in the select list: quicker than a function scan per row.
        topic_ids = "(SELECT unnest(m.topic_ids) AS id FROM m) x"
        author_ids = "(SELECT unnest(m.author_ids) AS id FROM m) x"
        x_id = "x.id"
    else:
        topic_ids = "m, json_each(m.topic_ids) AS x"
        author_ids = "m, json_each(m.author_ids) AS x"
        x_id = "x.value"
    sql = f"""
        WITH {matches}{ranked}
        SELECT 'n', NULL, NULL, COUNT(*), {_ZERO}, {_ZERO} FROM m
        UNION ALL
        SELECT 'y', CAST(year AS text), NULL, COUNT(*), {_ZERO}, {_ZERO} FROM m GROUP BY year
        UNION ALL
        SELECT * FROM (
            SELECT 't', t.slug, t.name, c.n, {_ZERO}, {_ZERO}
            FROM (SELECT {x_id} AS id, COUNT(*) AS n FROM {topic_ids} GROUP BY {x_id}) c
            JOIN notes_topic t ON t.id = c.id ORDER BY c.n DESC, t.name LIMIT {FACET_SIZE}
        ) topics
        UNION ALL
        SELECT * FROM (
            SELECT 'a', a.slug, a.name, c.n, {_ZERO}, {_ZERO}
            FROM (SELECT {x_id} AS id, COUNT(*) AS n FROM {author_ids} GROUP BY {x_id}) c
            JOIN notes_author a ON a.id = c.id ORDER BY c.n DESC, a.name LIMIT {FACET_SIZE}
        ) authors
        UNION ALL
        {page}
    """
    return sql, [*params, *page_params]


def _run(query, notes, *, sort, page):
    sql, params = _statement(query, notes, sort=sort, offset=(page - 1) * PAGE_SIZE)
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The planner does not know that testing ``vector @@ query`` row by
            # row reads every TOASTed vector: for a word in most notes it picks
            # a sequential scan some 50 times slower than the bitmap scan of the
            # GIN index, which needs no vector at all.
            # The matches of a common word (95,000 rows) spill to disk under the
            # default 4 MB work_mem, and each read of ``m`` then rereads the
            # file; JIT compiling costs more than it saves on these statements.
            # (set_config(..., true) is SET LOCAL; one round trip for all three.)
            cursor.execute(
                "SELECT set_config('enable_seqscan', 'off', true),"
                " set_config('work_mem', '64MB', true), set_config('jit', 'off', true)"
            )
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    results = Results(page=page)
    page_rows = []
    for kind, key, label, n, score, stamp in rows:
        if kind == "n":
            results.total = n
        elif kind == "y" and key is not None:
            results.years.append((int(key), n))
        elif kind == "t":
            results.topics.append((key, label, n))
        elif kind == "a":
            results.authors.append((key, label, n))
        elif kind == "p":
            page_rows.append((-score, -stamp, -int(key)))
    results.years.sort(reverse=True)
    results.num_pages = -(-results.total // PAGE_SIZE)
    page_rows.sort()
    return results, [-row[2] for row in page_rows]


def search(query: ParsedQuery, notes, *, sort="relevance", page=1) -> Results:
    """One page of ``notes`` matching ``query``, with the count and facets.

    ``notes`` is ``Note.objects.published()``, filtered as the reader asked.
    """
    if not query:
        return Results()
    results, ids = _run(query, notes, sort=sort, page=page)
    if not ids and results.total and page > results.num_pages:
        results, ids = _run(query, notes, sort=sort, page=results.num_pages)
    results.hits = _hits(ids, query)
    return results


#: Markdown marks dropped from snippets: line-leading headings, quotes and
#: list bullets, emphasis and table pipes, link targets.
_MARKDOWN = re.compile(r"^[ \t]*(?:[#>]+|[-*+] |\d+\. )|[*_`~|]+|!?\[|\]\([^)]*\)", re.M)


def _hits(ids, query):
    from notes.models import Note, Section

    if not ids:
        return []
    notes = Note.objects.published().filter(pk__in=ids).with_listing_data().in_bulk()
    texts = {pk: [note.summary] for pk, note in notes.items()}
    sections = Section.objects.filter(note_id__in=notes).order_by("note_id", "position")
    for note_id, heading, body in sections.values_list("note_id", "heading", "body"):
        texts[note_id] += [heading, _MARKDOWN.sub(" ", body)]
    needles = query.highlight_needles
    hits = []
    for pk in ids:
        if pk not in notes:
            continue
        title_html, _ = highlight(notes[pk].title, needles, width=1000)
        snippet = ""
        # Texts as written first (quick), normalised only if none matches so.
        for quick in (True, False):
            for text in texts[pk]:
                html, found = highlight(text, needles, quick=quick)
                if found:
                    snippet = html
                    break
                snippet = snippet or html
            if found:
                break
        hits.append(Hit(notes[pk], mark_safe(title_html), mark_safe(snippet)))
    return hits
