"""Search benchmark: prints the timings of a fixed set of queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench \\
        .venv/bin/python bench/search_bench.py [--rebuild] [--repeat 5] [--no-scan] [--precision]

Each query runs the whole database work of a results page (filters, count,
facets, one ranked page, the notes of the page with bylines, topics and
snippets); ``--rebuild`` first times a full index rebuild. The naive scan
(``icontains`` over title, summary and section bodies, count + first page)
runs once per query for the ratio. The in-memory catalogue is read once, cold,
and timed on its own; ``--precision`` counts how many candidates of each long
CJK term's trigram chain hold the term itself.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# The test settings: DEBUG off (no query log), no secret key needed.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django
import numpy as np

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from notes.listing import NoteFilter  # noqa: E402
from notes.models import Note, Topic  # noqa: E402
from notes.search import catalogue, engine, frequent, plan  # noqa: E402
from notes.search.query import fts5_query, parse, tsquery  # noqa: E402
from notes.search.rebuild import rebuild  # noqa: E402

QUERIES = [
    # two-character words
    ("中美", {}), ("关税", {}), ("汇率", {}), ("稀土", {}), ("债券", {}),
    # names
    ("布林肯", {}), ("王毅", {}), ("耶伦", {}), ("植田和男", {}), ("何立峰", {}), ("拉加德", {}),
    # four characters and longer phrases
    ("供应链安全", {}), ("数字人民币", {}), ("碳排放交易", {}), ("全球经济增长", {}),
    ('"经贸磋商机制"', {}), ("地方债务", {}),
    # English
    ("reuters", {}), ("GDP", {}), ('"federal reserve"', {}), ("supply chain", {}),
    # rare
    ("量子通信试验网", {}), ("贝森特", {}), ("钒液流电池", {}),
    # very common: in most notes
    ("经济", {}), ("市场", {}), ("政策", {}), ("中", {}), ("的", {}),
    # syntax
    ("布林肯 OR 耶伦", {}), ("中美 -关税", {}), ("會晤", {}),
    # with filters
    ("中美", {"topic": "bench-topic-0"}), ("经济", {"year": "2021"}),
    ("关税", {"author": "bench-author-3"}), ("政策", {"series": "macro", "sort": "date"}),
]  # fmt: skip


def page_work(factory, q, params):
    request = factory.get("/search/", {"q": q, **params})
    note_filter = NoteFilter.from_request(request)
    sort = params.get("sort", "relevance")
    return engine.search(parse(q), note_filter, sort=sort, page=1)


def naive_scan(q, params):
    """What a site without an index would do: icontains over every note."""
    text = parse(q).terms[0].text if parse(q) else q
    notes = Note.objects.published()
    if "topic" in params:
        notes = notes.filter(tags__slug=params["topic"])
    if "year" in params:
        notes = notes.filter(published_at__year=int(params["year"]))
    matching = notes.filter(
        Q(title__icontains=text) | Q(summary__icontains=text) | Q(sections__body__icontains=text)
    ).distinct()
    total = matching.count()
    page = list(matching.with_listing_data()[:20])
    facets = list(
        Topic.objects.filter(tagged_notes__content_object__in=matching.values("pk"))
        .annotate(n=Count("tagged_notes"))
        .order_by("-n")[:15]
    )
    return total, page, facets


def sizes():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_total_relation_size('notes_search'),"
                " pg_relation_size('notes_search_vector')"
            )
            total, gin = cursor.fetchone()
            return f"table with TOAST and indexes {total / 2**20:.0f} MB, GIN {gin / 2**20:.0f} MB"
        cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'notes_search%'")
        (total,) = cursor.fetchone()
        return f"search tables {total / 2**20:.0f} MB" if total else "dbstat unavailable"


def catalogue_read_ms():
    """A cold read of the in-memory catalogue (once per process and change)."""
    revision = catalogue.latest_revision()
    catalogue.clear()
    frequent.forget()
    started = time.perf_counter()
    catalogue.get(revision)
    return (time.perf_counter() - started) * 1000


def catalogue_size():
    found = catalogue.get(catalogue.latest_revision())
    arrays = [value for value in vars(found).values() if isinstance(value, np.ndarray)]
    size = sum(array.nbytes for array in arrays) / 2**20
    if found.bits is None:
        return f"{size:.0f} MB, no frequent tokens"
    return (
        f"{size:.0f} MB, of which frequent-token bitsets {found.bits.nbytes / 2**20:.0f} MB"
        f" ({len(found.vocabulary.tokens)} tokens)"
    )


def answered_by(q):
    """Where a query's tokens are looked up: memory, the index, or both."""
    held = catalogue.get(catalogue.latest_revision())
    query = parse(q)
    chosen = plan.make(query, held.vocabulary if held.bits is not None else None)
    if chosen.whole:
        return "index"
    return "memory + index" if chosen.lookups else "memory"


def catalogue_update_ms(changed=1):
    """Reindex ``changed`` published notes (their text is unchanged) and time
    how long a current catalogue takes to take them in."""
    from notes.search.index import reindex

    catalogue.get(catalogue.latest_revision())
    reindex(Note.objects.published().order_by("?").values_list("pk", flat=True)[:changed])
    started = time.perf_counter()
    catalogue.get(catalogue.latest_revision())
    return (time.perf_counter() - started) * 1000


def chain_precision():
    """For CJK terms of four or more characters (matched by their trigram
    chain, no text check): how many candidates, of every status, hold the
    term itself."""
    contains = (
        "strpos(document, %s) > 0"
        if connection.vendor == "postgresql"
        else ("instr(document, %s) > 0")
    )
    lines = []
    for q, _ in QUERIES:
        query = parse(q)
        terms = query.terms
        if len(terms) != 1 or len(terms[0].tokens) < 2 or not terms[0].exact:
            continue
        term = terms[0]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"SELECT COUNT(*), COUNT(*) FILTER (WHERE {contains}) FROM notes_search"
                    " WHERE vector @@ %s::tsquery",
                    [term.needle, tsquery(query)],
                )
            else:
                cursor.execute(
                    f"SELECT COUNT(*), SUM({contains}) FROM notes_search_fts"
                    " JOIN notes_search s ON s.note_id = notes_search_fts.rowid"
                    " WHERE notes_search_fts MATCH %s",
                    [term.needle, fts5_query(query)],
                )
            candidates, holding = cursor.fetchone()
        lines.append(f"{q}: {holding or 0} of {candidates}")
    return "; ".join(lines)


def percentile(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-scan", action="store_true")
    parser.add_argument("--precision", action="store_true")
    args = parser.parse_args()
    print(f"{connection.vendor}, {Note.objects.count()} notes, "
          f"{Note.objects.published().count()} published")  # fmt: skip
    if args.rebuild:
        started = time.perf_counter()
        rebuild()
        print(f"index rebuild: {time.perf_counter() - started:.1f} s")
    print(f"index size: {sizes()}")
    print(f"catalogue read (cold): {catalogue_read_ms():.0f} ms")
    print(f"catalogue in memory: {catalogue_size()}")
    print(f"catalogue update after reindexing 1 / 10 notes: {catalogue_update_ms(1):.0f} / "
          f"{catalogue_update_ms(10):.0f} ms")  # fmt: skip
    if args.precision:
        print(f"trigram chains, candidates holding the term: {chain_precision()}")
    factory = RequestFactory()
    medians, scans = [], []
    print(
        f"{'query':<24}{'filters':<34}{'tokens in':<16}{'results':>8}{'median ms':>11}"
        f"{'max ms':>9}{'scan ms':>10}"
    )
    for q, params in QUERIES:
        page_work(factory, q, params)  # warm
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            results = page_work(factory, q, params)
            times.append((time.perf_counter() - started) * 1000)
        median = statistics.median(times)
        medians.append(median)
        scan = ""
        if not args.no_scan:
            started = time.perf_counter()
            naive_scan(q, params)
            scans.append((time.perf_counter() - started) * 1000)
            scan = f"{scans[-1]:10.0f}"
        filters = " ".join(f"{k}={v}" for k, v in params.items())
        print(f"{q:<24}{filters:<34}{answered_by(q):<16}{results.total:>8}{median:11.1f}"
              f"{max(times):9.1f}{scan}")  # fmt: skip
    print(f"\nsearch page (per-query medians): median {statistics.median(medians):.1f} ms, "
          f"p95 {percentile(medians, 0.95):.1f} ms, max {max(medians):.1f} ms")  # fmt: skip
    if scans:
        ratios = [s / m for s, m in zip(scans, medians, strict=True)]
        print(f"naive scan: median {statistics.median(scans):.0f} ms, "
              f"p95 {percentile(scans, 0.95):.0f} ms; "
              f"scan / search per query: median {statistics.median(ratios):.0f}x, "
              f"min {min(ratios):.0f}x")  # fmt: skip


if __name__ == "__main__":
    main()
