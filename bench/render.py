"""What rendering a page costs in-process, with the page cache off.

    DATABASE_URL=postgres://…/demo REDIS_URL=redis://… .venv/bin/python bench/render.py [--runs 100]

For the note page and the lists (home, ``/notes/``, ``?topic=``, a topic, an author,
a series; each the one with most notes), through Django's test client with
production settings: the median wall and CPU time of ``--runs`` requests and the
number of statements. It moves the public content generation first, so that nothing
kept from another database in the same cache is read. The CPU time of this process
leaves out PostgreSQL's and Redis's work, and moves less than the wall time on a
shared machine. To compare two versions, run it from each checkout in turn, a few
times, in the same minute.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ENVIRONMENT = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "render-benchmark-only-key-0123456789abcdefghijklmnopqrstuvwxyz",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_PAGE_CACHE": "0",
    "SITE_URL": "http://127.0.0.1",
    "DJANGO_SETTINGS_MODULE": "config.settings",
}


#: The page types of ``bench/pages.py`` measured here: the note page and the lists.
PAGES = {"home", "notes", "notes by topic", "topic", "author", "series", "note"}


def page_urls():
    """The note page, the note with most topics and the lists, found as
    ``bench/pages.py`` finds them."""
    from bench.pages import page_urls as every_page

    return [
        (name, url)
        for name, url in every_page()
        if name in PAGES or (name.startswith("note, ") and name.endswith(" topics"))
    ]


def count_statements(connection, client, url):
    statements = []

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    return len(statements)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    options = parser.parse_args()
    os.environ.update(ENVIRONMENT)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from notes import generation

    generation.bump()  # nothing kept in the cache from another database is read
    client = Client(HTTP_HOST="127.0.0.1")
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'page':18} {'wall ms':>8} {'cpu ms':>8} {'stmts':>6}  url")
    for name, url in page_urls():
        assert client.get(url).status_code == 200, url  # fills what is kept per generation
        statements = count_statements(connection, client, url)
        walls, cpus = [], []
        for _ in range(options.runs):
            wall, cpu = time.perf_counter(), time.process_time()
            client.get(url)
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        print(
            f"{name:18} {statistics.median(walls):8.2f} {statistics.median(cpus):8.2f} "
            f"{statements:6}  {url}"
        )


if __name__ == "__main__":
    main()
