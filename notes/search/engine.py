"""Running a parsed query: count, facets and one page of results.

A search takes, whatever the number of matches:

1. one statement for the highest index ``revision`` and the ids of every
   indexed note matching each of the plan's lookups (the GIN index on
   PostgreSQL, FTS5 on SQLite); the ids travel packed: eight bytes a note on
   PostgreSQL, one string on SQLite. Frequent tokens are not looked up but
   tested over the catalogue's bitsets (``plan.py``), so a word found in
   most notes costs the index nothing;
2. the reader's filters, the count, the year, topic and author facets and
   the choice of the newest matches, from the in-memory catalogue of
   published notes (``catalogue.py``), which keeps only notes that are
   published and whose time has come;
3. one statement ranking at most ``RANK_CANDIDATES`` matches, the newest
   (relevance order only), and three for the notes of the page (read through
   ``Note.objects.published()`` again), their bylines and their texts.

Counting and faceting tens of thousands of matches in the database took
100–300 ms; over arrays it takes a few milliseconds (docs/performance.md).

Relevance ranks the newest ``RANK_CANDIDATES`` matches (see
:func:`_scores`); the older matches follow, newest first. Below
``RANK_CANDIDATES`` matches the order is exact: title above summary above
headings above body (body-only matches tie), newest first on ties. Ranking
every match of a word found in most notes reads tens of thousands of
vectors, seconds; a bounded set costs a few milliseconds, whatever the word.
"""

import re
from dataclasses import dataclass, field

import numpy as np
from django.db import connection, transaction
from django.utils import timezone
from django.utils.safestring import mark_safe

from notes.models import Note
from notes.search import catalogue
from notes.search.plan import Plan
from notes.search.plan import make as make_plan
from notes.search.plan import whole as whole_plan
from notes.search.query import ParsedQuery, fts5_query, text_checks, tsquery
from notes.search.text import highlight

PAGE_SIZE = 20
#: Relevance ranks at most this many matches (the newest).
RANK_CANDIDATES = 300
FACET_SIZE = 15
#: ts_rank weights for {D, C, B, A}: body, headings, summary, title.
TS_RANK_WEIGHTS = "{0.05, 0.2, 0.4, 1.0}"


@dataclass
class Hit:
    note: object
    title_html: str
    snippet_html: str
    #: The note's topics that the query matched, highlighted: the reason a hit whose
    #: text does not show the words is there.
    topics_html: list = field(default_factory=list)


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


def _ids(value):
    """Note ids from a packed aggregate (see :func:`_statement`)."""
    if value is None or len(value) == 0:
        return np.zeros(0, dtype=np.int64)
    if connection.vendor == "postgresql":
        return np.frombuffer(bytes(value), dtype=">i8").astype(np.int64)
    return np.array(value.split(","), dtype=np.int64)


def _lookup(query: ParsedQuery):
    """SQL and params of a subquery packing the ids of the notes matching
    ``query`` (checked against the text where the index can over-match)."""
    if connection.vendor == "postgresql":
        pack = "string_agg(int8send(CAST(s.note_id AS bigint)), '')"
        match = "FROM notes_search s WHERE s.vector @@ %s::tsquery"
        params = [tsquery(query)]
        contains = "strpos(s.document, %s) {}"
    else:
        pack = "group_concat(notes_search_fts.rowid)"
        match = "FROM notes_search_fts WHERE notes_search_fts MATCH %s"
        if text_checks(query):
            match = (
                "FROM notes_search_fts JOIN notes_search s ON s.note_id = notes_search_fts.rowid"
                " WHERE notes_search_fts MATCH %s"
            )
        params = [fts5_query(query)]
        contains = "instr(s.document, %s) {}"
    for needles, wanted in text_checks(query):
        test = contains.format("> 0" if wanted else "= 0")
        match += " AND (" + " OR ".join([test] * len(needles)) + ")"
        params += needles
    return f"(SELECT {pack} {match})", params


def _statement(plan: Plan, notes):
    """SQL and params for (highest revision, filtered ids or NULL, the ids
    matching each of the plan's lookups)."""
    filtered, params = "NULL", []
    if notes is not None:
        pack = (
            "string_agg(int8send(CAST(f.pk AS bigint)), '')"
            if connection.vendor == "postgresql"
            else "group_concat(f.pk)"
        )
        notes_sql, params = notes.values("pk").order_by().query.sql_with_params()
        filtered = f"(SELECT {pack} FROM ({notes_sql}) f)"
    columns = ["(SELECT COALESCE(MAX(revision), 0) FROM notes_search)", filtered]
    params = list(params)
    for lookup in plan.lookups:
        sql, lookup_params = _lookup(lookup)
        columns.append(sql)
        params += lookup_params
    return "SELECT " + ", ".join(columns), params


def _match(plan, notes):
    """(highest revision, ids matching each lookup, ids the month filter
    allows or None)."""
    sql, params = _statement(plan, notes)
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        if connection.vendor == "postgresql" and plan.lookups:
            # The planner does not know that testing ``vector @@ query`` row by
            # row reads every TOASTed vector: for a word in most notes it picks
            # a sequential scan some 50 times slower than the bitmap scan of the
            # GIN index, which needs no vector at all. JIT compiling costs more
            # than it saves on these statements. (set_config(..., true) is
            # SET LOCAL; one round trip for both.)
            cursor.execute(
                "SELECT set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)"
            )
        cursor.execute(sql, params)
        revision, filtered, *found = cursor.fetchone()
    return int(revision), [_ids(ids) for ids in found], None if notes is None else _ids(filtered)


#: SQLite: what a query term is worth in each column (only where it occurs).
FIELD_WEIGHTS = {"title": 4, "summary": 2, "headings": 1}


def _scores(query, ids) -> dict[int, float]:
    """Relevance of ``ids`` (higher is better), one statement.

    PostgreSQL: ``ts_rank`` over the ``head`` vector of each (a TOAST read
    each, ~5 ms for 300). SQLite's ``bm25`` costs as much for 300 rows picked
    by rowid as for every match (FTS5 evaluates the whole match and then
    filters): ~1 ms a row. There, each term is looked up in the title, the
    summary and the headings columns of the FTS5 table instead (column
    filters, a few milliseconds each), and a note scores the weights of the
    columns holding each term.
    """
    positive = ParsedQuery(query.raw, clauses=query.clauses)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT note_id, ts_rank('{TS_RANK_WEIGHTS}', head, %s::tsquery)"
                " FROM notes_search WHERE note_id = ANY(%s)",
                [tsquery(positive), ids],
            )
            return dict(cursor.fetchall())
        lookups = [
            (column, fts5_query(ParsedQuery(query.raw, clauses=[[term]])))
            for term in dict.fromkeys(positive.terms)
            for column in FIELD_WEIGHTS
        ]
        cursor.execute(
            "SELECT "
            + ", ".join(
                "(SELECT group_concat(rowid) FROM notes_search_fts WHERE notes_search_fts MATCH %s)"
                for _ in lookups
            ),
            [f"{{{column}}} : ({match})" for column, match in lookups],
        )
        found = cursor.fetchone()
    wanted = set(ids)
    scores = dict.fromkeys(ids, 0.0)
    for (column, _), hits in zip(lookups, found, strict=True):
        for pk in map(int, (hits or "").split(",") if hits else ()):
            if pk in wanted:
                scores[pk] += FIELD_WEIGHTS[column]
    return scores


def _page_ids(query, found, positions, *, sort, offset):
    if sort == "date":
        return found.newest(positions, PAGE_SIZE, offset)
    candidates = found.newest(positions, RANK_CANDIDATES)
    ids = []
    if offset < len(candidates):
        scores = _scores(query, candidates)
        # ``candidates`` are newest first: a stable sort by score keeps that on ties.
        ranked = sorted(candidates, key=lambda pk: -scores.get(pk, 0.0))
        ids = ranked[offset : offset + PAGE_SIZE]
    start = max(offset, len(candidates))
    if offset + PAGE_SIZE > start:
        ids += found.newest(positions, offset + PAGE_SIZE - start, start)
    return ids


def _facets(results, found, positions):
    for counts, labels, into in (
        (found.topic_counts(positions), found.topic_labels, results.topics),
        (found.author_counts(positions), found.author_labels, results.authors),
    ):
        named = [(*labels[pk], n) for pk, n in counts.items() if pk in labels]
        named.sort(key=lambda item: (-item[2], item[1]))
        into.extend(named[:FACET_SIZE])
    results.years = found.year_counts(positions)


def search(query: ParsedQuery, note_filter=None, *, sort="relevance", page=1) -> Results:
    """One page of the published notes matching ``query``, with the count and facets.

    ``note_filter`` (a ``NoteFilter``) narrows the search as it narrows the
    lists: by topic, author, series, type and year over the catalogue's
    arrays; a month goes through ``note_filter.apply()`` in the database. A
    page past the last one shows the last one.
    """
    if not query:
        return Results()
    notes = None
    if note_filter is not None and (note_filter.month or note_filter.errors):
        notes = note_filter.apply(Note.objects.published())
    # The plan needs the catalogue's vocabulary: a process's first search
    # reads the catalogue before its match statement.
    held = catalogue.cached() or catalogue.get(catalogue.latest_revision())
    plan = make_plan(query, held.vocabulary if held.bits is not None else None)
    revision, matched, within = _match(plan, notes)
    found = catalogue.get(revision)
    if not plan.whole and (found.bits is None or found.vocabulary.id != plan.vocabulary):
        # The catalogue was read again meanwhile, without those bitsets.
        plan = whole_plan(query)
        revision, matched, within = _match(plan, notes)
        found = catalogue.get(revision)
    now = catalogue.microseconds(timezone.now())
    positions = found.public(plan.mask(found, matched), now=now, within=within)
    if note_filter is not None:
        positions = found.filtered(
            positions,
            topics=[topic.pk for topic in note_filter.topics],
            author=note_filter.author.pk if note_filter.author else None,
            series=note_filter.series.pk if note_filter.series else None,
            note_type=note_filter.note_type.pk if note_filter.note_type else None,
            year=note_filter.year,
        )
    results = Results(total=len(positions))
    results.num_pages = -(-results.total // PAGE_SIZE)
    results.page = max(1, min(page, results.num_pages))
    if not results.total:
        return results
    _facets(results, found, positions)
    ids = _page_ids(query, found, positions, sort=sort, offset=(results.page - 1) * PAGE_SIZE)
    results.hits = _hits(ids, query)
    return results


#: Markdown marks dropped from snippets: line-leading headings, quotes and
#: list bullets, emphasis and table pipes, link targets.
_MARKDOWN = re.compile(r"^[ \t]*(?:[#>]+|[-*+] |\d+\. )|[*_`~|]+|!?\[|\]\([^)]*\)", re.M)


def _hits(ids, query):
    """The page's notes with their bylines and topics (three queries) and snippets (one more).

    The notes are read through ``Note.objects.published()`` again.
    """
    from django.db.models import Prefetch

    from notes.models import Authorship, Note, Section

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
    """The excerpt around the first match in ``texts`` ((text, is Markdown) pairs).

    Texts as written are tried first (quick), normalised only if none matches
    so; Markdown marks are stripped from the body that gives the excerpt.
    """
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
