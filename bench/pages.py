"""Every public page type on the demo content and on 100,000 notes, side by side.

    bench/pages.py [--demo URL] [--large URL] [--duration 10s] [--skip-wrk] [--only NAME ...]

For each data set (a PostgreSQL database already migrated and filled: the demo
content, and ``manage.py generate_notes 100000``), with the page cache off so
every request renders its page (the counts kept per content generation stay on,
as in production; the first request of each page fills them):

- through Django's test client: the median server time of ``--runs`` requests (31:
  medians of fewer requests of 2–30 ms moved by half between runs here) and
  the number of statements, and the slowest statement, whose
  ``EXPLAIN (ANALYZE, BUFFERS)`` is written to ``bench/results/pages-explain-<set>.txt``;
- under gunicorn (2 sync workers, production settings, Redis):
  ``wrk -t2 -c8 -d10s`` requests a second.

The two data sets are measured alternately, page by page (a child process and a
server for each, side by side; the large one's Redis database is the next number
after ``--redis``'s, so that their kept counts never meet): a shared machine's
speed drifts over minutes, and both figures of a ratio come from the same moment.

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


def measure_in_process(label, runs):
    """Answer page numbers read from stdin, one a line: for each, its server time,
    statements and slowest statement, as a JSON line. The first line written lists
    the ``(page type, URL)`` pairs; at the end the slowest statements' plans of the
    pages measured are written to ``bench/results/pages-explain-<label>.txt``."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    # Each request from another reader (one trusted proxy hop), as wrk's clients.lua:
    # the search page's rate limit counts per address.
    readers = (f"198.51.{n // 256 % 256}.{n % 256}" for n in range(10**9))
    pages = page_urls()
    print(json.dumps(pages), flush=True)
    plans, measured = [], set()
    for line in sys.stdin:
        name, url = pages[int(line)]
        measured.add(name)
        response = client.get(url, HTTP_X_FORWARDED_FOR=next(readers))  # fills the counts
        assert response.status_code == 200, (url, response.status_code)
        times = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                client.get(url, HTTP_X_FORWARDED_FOR=next(readers))
                times.append((time.perf_counter() - started) * 1000)
        slowest = max(queries.captured_queries, key=lambda q: float(q["time"]), default=None)
        row = {
            "name": name,
            "url": url,
            "ms": statistics.median(times),
            "queries": len(queries.captured_queries),
            "bytes": len(response.content),
            "slowest_ms": float(slowest["time"]) * 1000 if slowest else 0,
        }
        print(json.dumps(row), flush=True)
        if slowest:
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {slowest['sql']}")
                plan = "\n".join(line for (line,) in cursor.fetchall())
            plans.append(f"== {name}: {url}\n{slowest['sql']}\n\n{plan}\n")
    if len(measured) == len(pages):  # a whole run
        (RESULTS / f"pages-explain-{label}.txt").write_text("\n".join(plans))


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


class DataSet:
    """One database with its own Redis database (the kept counts of two data sets
    must not meet), measured in-process and under gunicorn."""

    def __init__(self, label, database, redis, port):
        self.label, self.port = label, port
        self.env = {
            **os.environ,
            **ENVIRONMENT,
            "DATABASE_URL": database,
            "REDIS_URL": redis,
            "SITE_URL": f"http://127.0.0.1:{port}",
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
        # A fresh generation: nothing kept from an earlier run is read.
        subprocess.run(
            ["redis-cli", "-u", redis, "DEL", ":1:public:generation"],
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def start_in_process(self, runs):
        self.child = subprocess.Popen(
            [sys.executable, __file__, "--in-process", self.label, "--runs", str(runs)],
            env=self.env, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        self.pages = json.loads(self.child.stdout.readline())

    def measure(self, index):
        self.child.stdin.write(f"{index}\n")
        self.child.stdin.flush()
        return json.loads(self.child.stdout.readline())

    def stop_in_process(self):
        self.child.stdin.close()
        assert self.child.wait() == 0

    def start_server(self):
        self.server = subprocess.Popen(
            [".venv/bin/gunicorn", "-c", "gunicorn.conf.py", "--bind",
             f"127.0.0.1:{self.port}", "--workers", "2", "config.wsgi"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.base = f"http://127.0.0.1:{self.port}"
        for _ in range(100):
            health = subprocess.run(["curl", "-fs", f"{self.base}/healthz"], capture_output=True)
            if health.returncode == 0:
                return
            time.sleep(0.2)
        raise SystemExit(f"{self.label}: the server did not answer /healthz")

    def rate(self, url, duration):
        subprocess.run(["curl", "-fs", "-o", "/dev/null", self.base + url], check=True)
        return wrk(self.base, url, duration)

    def stop_server(self):
        self.server.terminate()
        self.server.wait()


def measure(options):
    """Each page on the demo, then at once on the large data set, page after page:
    a shared machine's speed drifts over minutes, so both figures of a ratio are
    taken within the same few seconds."""
    large_redis = re.sub(r"/(\d+)$", lambda m: f"/{int(m.group(1)) + 1}", options.redis)
    demo = DataSet("demo", options.demo, options.redis, options.port)
    large = DataSet("100k", options.large, large_redis, options.port + 1)
    for data_set in (demo, large):
        data_set.start_in_process(options.runs)
    words = options.only or [""]  # "" is in every name
    chosen = [i for i, (name, _) in enumerate(demo.pages) if any(w in name for w in words)]
    rows = {data_set: [] for data_set in (demo, large)}
    for i in chosen:
        for data_set in (demo, large):
            rows[data_set].append(data_set.measure(i))
    for data_set in (demo, large):
        data_set.stop_in_process()
    if not options.skip_wrk:
        for data_set in (demo, large):
            data_set.start_server()
        try:
            for n in range(len(chosen)):
                for data_set in (demo, large):
                    row = rows[data_set][n]
                    row["rps"] = data_set.rate(row["url"], options.duration)
        finally:
            for data_set in (demo, large):
                data_set.stop_server()
    return rows[demo], rows[large]


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
    parser.add_argument("--runs", type=int, default=31)
    parser.add_argument("--duration", default="10s")
    parser.add_argument("--skip-wrk", action="store_true")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="page types containing NAME")
    parser.add_argument("--in-process", metavar="LABEL")
    options = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if options.in_process:
        return measure_in_process(options.in_process, options.runs)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        env={**os.environ, **ENVIRONMENT, "DATABASE_URL": options.demo},
        cwd=ROOT,
        check=True,
    )
    load = os.getloadavg()
    demo, large = measure(options)
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
