"""Every public page type on the demo content and on 100,000 notes, side by side.

    bench/pages.py [--demo URL] [--large URL] [--duration 10s] [--skip-wrk] [--only NAME ...]

For each data set (a PostgreSQL database already migrated and filled: the demo
content, and ``manage.py generate_notes 100000``), with the page cache off so
every request renders its page (the counts kept per content generation stay on,
as in production; the first request of each page fills them):

- through Django's test client: the median server time of ``--runs`` requests and
  the number of statements, and the slowest statement, whose
  ``EXPLAIN (ANALYZE, BUFFERS)`` is written to ``bench/results/pages-explain-<set>.txt``;
- under gunicorn (2 sync workers, production settings, Redis):
  ``wrk -t2 -c8 -d10s`` requests a second.

Then the table, each large figure beside the demo's and the ratio (time: large /
demo, at most 2 wanted; req/s: large / demo, at least 0.5 wanted), also written to
``bench/results/pages-postgresql.txt``. The pages are found in each database: the
commonest topic, the author and the series with most notes, the newest note, the
note with most topics, the busiest month. ``--only`` measures only the page types
whose name contains one of its words (``--only topic sitemap``).
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PG = "postgres://postgres@127.0.0.1:5432/"

ENVIRONMENT = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "page-benchmark-only-key-0123456789abcdefghijklmnopqrstuvwxyz",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_TRUSTED_PROXY_HOPS": "1",
    "DJANGO_PAGE_CACHE": "0",
    "SITE_URL": "http://127.0.0.1",
}


def page_urls():
    """``(page type, URL)`` of every public page type, found in the database."""
    from django.db.models import Count

    from notes.charts import month_counts, year_counts
    from notes.listing import published_topics
    from notes.models import Author, Note, Series

    published = Note.objects.published()
    topic = published_topics()[0]
    author = Author.objects.public().annotate(n=Count("authorships")).order_by("-n", "pk").first()
    series = Series.objects.public().annotate(n=Count("notes")).order_by("-n", "pk").first()
    newest = published.first()
    many = published.annotate(n=Count("tagged_items")).order_by("-n", "-pk").first()
    years = year_counts()
    year = max(years, key=years.get)
    months = month_counts(year)
    month = max(months, key=months.get)
    return [
        ("home", "/"),
        ("notes", "/notes/"),
        ("notes, page 500", "/notes/?page=500"),
        ("notes, page 99999999", "/notes/?page=99999999"),
        ("notes by topic", f"/notes/?{urlencode({'topic': topic.slug})}"),
        ("notes by topic+year", f"/notes/?{urlencode({'topic': topic.slug, 'year': year})}"),
        ("topics", "/topics/"),
        ("topic", topic.get_absolute_url()),
        ("authors", "/authors/"),
        ("author", author.get_absolute_url()),
        ("series index", "/series/"),
        ("series", series.get_absolute_url()),
        ("note", newest.get_absolute_url()),
        (f"note, {many.n} topics", many.get_absolute_url()),
        ("archive", "/archive/"),
        ("archive year", f"/archive/{year}/"),
        (f"archive month ({months[month]})", f"/archive/{year}/{month}/"),
        ("feed", "/feed/"),
        # Two characters of the newest title: a query many notes match, as bench/load.sh.
        ("search", f"/search/?{urlencode({'q': newest.title[:2]})}"),
        ("sitemap index", "/sitemap.xml"),
        ("sitemap notes", "/sitemap-notes.xml"),
        ("sitemap topics", "/sitemap-topics.xml"),
    ]


def chosen(pages, only):
    """The ``(page type, URL)`` pairs whose page type contains one of ``only`` (all if none)."""
    return [(name, url) for name, url in pages if not only or any(w in name for w in only)]


def measure_in_process(label, runs, only):
    """Server time, statements and the slowest statement's plan of each page."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    # Each request from another reader (one trusted proxy hop), as wrk's clients.lua:
    # the search page's rate limit counts per address.
    readers = (f"198.51.{n // 256 % 256}.{n % 256}" for n in range(10**9))
    rows, plans = [], []
    for name, url in chosen(page_urls(), only):
        response = client.get(url, HTTP_X_FORWARDED_FOR=next(readers))  # fills the counts
        assert response.status_code == 200, (url, response.status_code)
        times = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                client.get(url, HTTP_X_FORWARDED_FOR=next(readers))
                times.append((time.perf_counter() - started) * 1000)
        slowest = max(queries.captured_queries, key=lambda q: float(q["time"]), default=None)
        rows.append(
            {
                "name": name,
                "url": url,
                "ms": statistics.median(times),
                "queries": len(queries.captured_queries),
                "bytes": len(response.content),
                "slowest_ms": float(slowest["time"]) * 1000 if slowest else 0,
            }
        )
        if slowest:
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {slowest['sql']}")
                plan = "\n".join(line for (line,) in cursor.fetchall())
            plans.append(f"== {name}: {url}\n{slowest['sql']}\n\n{plan}\n")
    if not only:
        (RESULTS / f"pages-explain-{label}.txt").write_text("\n".join(plans))
    print(json.dumps(rows))


def wrk(base, url, duration):
    out = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{duration}", "-s", "bench/clients.lua", base + url],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        print(f"warning: {url} answered {errors.group(1)} errors", file=sys.stderr)
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def measure_under_load(database, urls, port, duration):
    env = {
        **os.environ,
        **ENVIRONMENT,
        "DATABASE_URL": database,
        "SITE_URL": f"http://127.0.0.1:{port}",
    }
    server = subprocess.Popen(
        [".venv/bin/gunicorn", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "config.wsgi"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            if (
                subprocess.run(["curl", "-fs", f"{base}/healthz"], capture_output=True).returncode
                == 0
            ):
                break
            time.sleep(0.2)
        rates = []
        for url in urls:
            subprocess.run(["curl", "-fs", "-o", "/dev/null", base + url], check=True)
            rates.append(wrk(base, url, duration))
        return rates
    finally:
        server.terminate()
        server.wait()


def run(label, database, options):
    # A fresh generation: no count kept from another data set is read.
    subprocess.run(
        ["redis-cli", "-u", options.redis, "DEL", ":1:public:generation"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    env = {
        **os.environ,
        **ENVIRONMENT,
        "DATABASE_URL": database,
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    out = subprocess.run(
        [sys.executable, __file__, "--in-process", label, "--runs", str(options.runs),
         *(["--only", *options.only] if options.only else [])],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True,
    ).stdout  # fmt: skip
    rows = json.loads(out.strip().splitlines()[-1])
    if not options.skip_wrk:
        rates = measure_under_load(
            database, [r["url"] for r in rows], options.port, options.duration
        )
        for row, rate in zip(rows, rates, strict=True):
            row["rps"] = rate
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--demo",
        default=os.environ.get("BENCH_DEMO_DATABASE_URL", PG + "research_notes_bench_demo"),
    )
    parser.add_argument(
        "--large", default=os.environ.get("BENCH_DATABASE_URL", PG + "research_notes_bench")
    )
    parser.add_argument(
        "--redis", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    )
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8000)))
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--duration", default="10s")
    parser.add_argument("--skip-wrk", action="store_true")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="page types containing NAME")
    parser.add_argument("--in-process", metavar="LABEL")
    options = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if options.in_process:
        return measure_in_process(options.in_process, options.runs, options.only)
    os.environ["REDIS_URL"] = options.redis
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        env={**os.environ, **ENVIRONMENT, "DATABASE_URL": options.demo},
        cwd=ROOT,
        check=True,
    )
    load = os.getloadavg()
    demo, large = run("demo", options.demo, options), run("100k", options.large, options)
    lines = [
        f"PostgreSQL + Redis, page cache off; wrk -t2 -c8 -d{options.duration}, gunicorn 2 sync "
        f"workers; load average at the start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, "
        f"at the end {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        "",
        "| page | demo ms | 100k ms | ratio | demo q | 100k q | 100k slowest stmt ms "
        "| demo req/s | 100k req/s | ratio |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for small, big in zip(demo, large, strict=True):
        rates = (
            f"{small['rps']:.1f} | {big['rps']:.1f} | {big['rps'] / small['rps']:.2f}"
            if "rps" in big
            else "– | – | –"
        )
        lines.append(
            f"| {big['name']} | {small['ms']:.1f} | {big['ms']:.1f} "
            f"| {big['ms'] / small['ms']:.2f} "
            f"| {small['queries']} | {big['queries']} | {big['slowest_ms']:.1f} | {rates} |"
        )
    lines += ["", "URLs (100k): " + ", ".join(row["url"] for row in large)]
    text = "\n".join(lines) + "\n"
    if not options.only:  # the results file holds a whole run
        (RESULTS / "pages-postgresql.txt").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
