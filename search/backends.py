"""A parsed query as SQL, one small class per database: ``matches`` is a
subquery of the ids of every note whose entry matches (checked against the
canonical text where tokens can over-match); ``scores`` ranks a few ids."""

import json

from django.db import connection

from search.index import FTS_TABLE
from search.models import SearchEntry
from search.query import ParsedQuery, fts5_query, text_checks, tsquery

ENTRIES = SearchEntry._meta.db_table


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
    #: Testing ``vector @@ query`` row by row reads every TOASTed vector; the
    #: planner does not know it and may choose a sequential scan many times
    #: slower than the GIN index. JIT costs more than it saves. (SET LOCAL.)
    PREPARE = "SELECT set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)"

    def ids(self, ids):
        """SQL and params: the rows of ``ids`` as a column ``id`` (one parameter, however many)."""
        return "SELECT unnest(%s::bigint[]) AS id", [list(ids)]

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

    def ids(self, ids):
        return "SELECT value AS id FROM json_each(%s)", [json.dumps(list(ids))]

    def matches(self, query: ParsedQuery):
        checks, params = _checks(query, "instr(s.document, %s) {}")
        join = f" JOIN {ENTRIES} s ON s.note_id = f.rowid" if checks else ""
        sql = f"SELECT f.rowid FROM {FTS_TABLE} f{join} WHERE {FTS_TABLE} MATCH %s{checks}"
        return sql, [fts5_query(query), *params]

    def scores(self, query: ParsedQuery, ids) -> dict[int, float]:
        """``bm25`` over rows picked by rowid costs as much as over every match
        (FTS5 evaluates the whole match first): each term is looked up in the
        title, summary and headings columns instead, in one statement, and a
        note scores the weights of the columns holding each term."""
        lookups = [
            (weight, f"{{{column}}} : ({fts5_query(ParsedQuery('', clauses=[[term]]))})")
            for term in dict.fromkeys(query.terms)
            for column, weight in self.FIELD_WEIGHTS.items()
        ]
        one = f"(SELECT group_concat(rowid) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)"
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join([one] * len(lookups)), [m for _, m in lookups])
            found = cursor.fetchone()
        scores = dict.fromkeys(ids, 0.0)
        for (weight, _), hits in zip(lookups, found, strict=True):
            for pk in map(int, hits.split(",") if hits else ()):
                if pk in scores:
                    scores[pk] += weight
        return scores


def backend():
    return PostgreSQL() if connection.vendor == "postgresql" else SQLite()
