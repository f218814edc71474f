"""Search benchmark: prints the timings of a fixed set of queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench REDIS_URL=redis://127.0.0.1:6379/1 \\
        .venv/bin/python bench/search_bench.py [--rebuild] [--repeat 5] [--no-scan]

Each query runs the whole work of a results page (filters, matches, count,
facets, one ranked page, the notes of the page with bylines, topics and
snippets, the hits written as HTML) through ``search.service.search``:

* *first*: the query has not been seen since public content last changed
  (the public generation is moved before each run, so Django's cache misses
  and the database answers);
* *repeat*: the same search again, answered from Django's cache (Redis when
  ``REDIS_URL`` is set, as in production; else this process's memory).

``--rebuild`` first times ``rebuild_search_index``. The naive scan
(``icontains`` over title, summary and section bodies, count + first page +
topic facets) runs once per query for the ratio.
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
from django.conf import settings

if os.environ.get("REDIS_URL"):  # the test settings keep the cache in memory
    settings.CACHES = {
        "default": {"BACKEND": "config.cache.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
    }
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from bench.dataset import SERIES, TOPICS  # noqa: E402
from notes import generation  # noqa: E402
from notes.listing import NoteFilter  # noqa: E402
from notes.models import Note, Topic  # noqa: E402
from search import service  # noqa: E402
from search.query import parse  # noqa: E402

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
    # (the commonest topic and the second series of bench/dataset.py, slugs as names)
    ("中美", {"topic": TOPICS[0]}), ("经济", {"year": "2021"}),
    ("关税", {"author": "bench-author-3"}), ("政策", {"series": SERIES[1][0], "sort": "date"}),
]  # fmt: skip


def page_work(factory, q, params):
    request = factory.get("/search/", {"q": q, **params})
    note_filter = NoteFilter.from_request(request)
    if note_filter.errors:  # a filter this database does not have would measure nothing
        raise SystemExit(f"{q} {params}: {note_filter.errors}")
    sort = params.get("sort", "relevance")
    return service.search(parse(q), note_filter, sort=sort, page=1, template=HITS)


#: The hits as the page writes them, kept with the results (as the view asks).
HITS = "search/_hits.html"


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
                "SELECT pg_total_relation_size('search_searchentry'),"
                " pg_relation_size('search_entry_vector')"
            )
            total, gin = cursor.fetchone()
            return f"table with TOAST and indexes {total / 2**20:.0f} MB, GIN {gin / 2**20:.0f} MB"
        cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'search_%'")
        (total,) = cursor.fetchone()
        return f"search tables {total / 2**20:.0f} MB" if total else "dbstat unavailable"


def timed(func):
    started = time.perf_counter()
    result = func()
    return (time.perf_counter() - started) * 1000, result


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
    args = parser.parse_args()
    print(f"{connection.vendor}, {Note.objects.count()} notes, "
          f"{Note.objects.published().count()} published; cache: "
          f"{'Redis' if os.environ.get('REDIS_URL') else 'local memory'}")  # fmt: skip
    if args.rebuild:
        started = time.perf_counter()
        call_command("rebuild_search_index", verbosity=0)
        print(f"index rebuild: {time.perf_counter() - started:.1f} s")
    print(f"index size: {sizes()}")
    factory = RequestFactory()
    firsts, repeats, scans, capped = [], [], [], []
    print(
        f"{'query':<24}{'filters':<30}{'results':>9}{'first ms':>10}{'max ms':>9}"
        f"{'repeat ms':>11}{'scan ms':>10}{'scan/first':>11}"
    )
    for q, params in QUERIES:
        first_times, repeat_times = [], []
        for _ in range(args.repeat):
            generation.bump()  # public content changed: the cache misses
            first, results = timed(lambda q=q, params=params: page_work(factory, q, params))
            first_times.append(first)
            repeat_times.append(timed(lambda q=q, params=params: page_work(factory, q, params))[0])
        firsts.append(statistics.median(first_times))
        repeats.append(statistics.median(repeat_times))
        scan = ""
        if not args.no_scan:
            scans.append(timed(lambda q=q, params=params: naive_scan(q, params))[0])
            scan = f"{scans[-1]:10.0f}{scans[-1] / firsts[-1]:10.0f}x"
        if results.more:
            capped.append(q)
        filters = " ".join(f"{k}={v}" for k, v in params.items())
        total = f"{results.total}{'+' if results.more else ''}"
        print(f"{q:<24}{filters:<30}{total:>9}{firsts[-1]:10.1f}{max(first_times):9.1f}"
              f"{repeats[-1]:11.1f}{scan}")  # fmt: skip
    for label, values in (("first time", firsts), ("repeated", repeats)):
        print(f"\nsearch page, {label} (per-query medians): median "
              f"{statistics.median(values):.1f} ms, p95 {percentile(values, 0.95):.1f} ms, "
              f"max {max(values):.1f} ms")  # fmt: skip
    if scans:
        ratios = [s / m for s, m in zip(scans, firsts, strict=True)]
        print(f"naive scan: median {statistics.median(scans):.0f} ms, "
              f"p95 {percentile(scans, 0.95):.0f} ms; scan / first-time search per query: "
              f"median {statistics.median(ratios):.0f}x, min {min(ratios):.0f}x")  # fmt: skip
    print(f"counts shown as a lower bound ({service.LIMIT:,}+): {', '.join(capped) or 'none'}")


if __name__ == "__main__":
    main()
