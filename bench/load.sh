#!/usr/bin/env bash
# Load benchmark: requests a second, median and 99th-percentile latency of the public
# pages under wrk, and each page's ratio to the same server's static file, with the
# page cache off and on, on the demo content and on generated notes, on PostgreSQL
# and Redis, served by gunicorn with production settings.
#
#   bench/load.sh              # demo content, then 100,000 generated notes
#   bench/load.sh demo         # one data set: demo | 100k
#
# Environment (defaults in brackets):
#   BENCH_DATABASE_URL  a PostgreSQL database the script may drop and fill with the
#                       generated notes; the demo content goes to its name + _demo
#                       [postgres://postgres@127.0.0.1:5432/research_notes_bench]
#   BENCH_REDIS_URL     [redis://127.0.0.1:6379/0]
#   BENCH_PORT [8000]  WORKERS [2]  THREADS [2]  CONNECTIONS [8]  DURATION [10s]
#   NOTES [100000]      notes generated for the large data set
#   KEEP_DB=1           keep the databases afterwards; a later run reuses them instead
#                       of generating the notes again
set -euo pipefail
cd "$(dirname "$0")/.."

DB_URL="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/research_notes_bench}"
REDIS="${BENCH_REDIS_URL:-redis://127.0.0.1:6379/0}"
PORT="${BENCH_PORT:-8000}"
WORKERS="${WORKERS:-2}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-8}"
DURATION="${DURATION:-10s}"
NOTES="${NOTES:-100000}"
if [ $# -gt 0 ]; then DATASETS=("$@"); else DATASETS=(demo 100k); fi
BASE="http://127.0.0.1:$PORT"
PY=.venv/bin/python
SERVER_PID=""

command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
[ -x "$PY" ] || make install >/dev/null

export DJANGO_DEBUG=0 DJANGO_SECRET_KEY="load-benchmark-only-key-0123456789abcdefghijklmnopqrstuvwxyz"
export SITE_URL="$BASE" DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_SECURE_SSL_REDIRECT=0
# Requests come from many client addresses (bench/clients.lua), one proxy hop away.
export DJANGO_TRUSTED_PROXY_HOPS=1
export REDIS_URL="$REDIS"

database_url() {
  if [ "$1" = demo ]; then echo "${DB_URL}_demo"; else echo "$DB_URL"; fi
}

# Prints "ready" when the database already holds the data set (a kept earlier run),
# otherwise drops it and creates it empty. With "drop", only drops it.
database() {
  "$PY" - "$@" <<'PYTHON'
import os, sys, psycopg
from urllib.parse import urlsplit

action, dataset, notes = sys.argv[1], sys.argv[2], int(sys.argv[3])
url = urlsplit(os.environ["DATABASE_URL"])
name = url.path.lstrip("/")
admin = os.environ["DATABASE_URL"].replace(url.path, "/postgres")
with psycopg.connect(admin, autocommit=True) as c:
    exists = c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
if exists and action == "prepare":
    with psycopg.connect(os.environ["DATABASE_URL"]) as c:
        try:
            count = c.execute("SELECT count(*) FROM notes_note").fetchone()[0]
        except psycopg.Error:
            count = 0
    if count >= (notes if dataset != "demo" else 1):
        print("ready")
        sys.exit()
with psycopg.connect(admin, autocommit=True) as c:
    c.execute(f'DROP DATABASE IF EXISTS "{name}"')
    if action == "prepare":
        c.execute(f'CREATE DATABASE "{name}"')
PYTHON
}

stop_server() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
}

cleanup() {
  stop_server
  if [ "${KEEP_DB:-0}" != 1 ]; then
    for dataset in "${DATASETS[@]}"; do
      DATABASE_URL=$(database_url "$dataset") database drop "$dataset" 0 || true
    done
  fi
}
trap cleanup EXIT

load_data() {
  local dataset=$1 state
  state=$(database prepare "$dataset" "$NOTES")
  "$PY" manage.py migrate --noinput -v0
  [ "$state" = ready ] && return 0
  if [ "$dataset" = demo ]; then
    "$PY" manage.py seed_demo >/dev/null
  else
    echo "generating $NOTES notes (a few minutes)…" >&2
    "$PY" manage.py generate_notes "$NOTES" >/dev/null 2>&1
  fi
}

start_server() {
  stop_server
  .venv/bin/gunicorn -c gunicorn.conf.py --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
    config.wsgi >"/tmp/research-notes-load-$PORT.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    curl -fs "$BASE/healthz" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "the server did not start; see /tmp/research-notes-load-$PORT.log" >&2
  exit 1
}

# The pages measured are found on the site itself, so any data set works.
fetch() {
  curl -fs "$BASE$1" || {
    echo "$1 did not answer 200; see /tmp/research-notes-load-$PORT.log" >&2
    exit 1
  }
}

discover() {
  local home topics list note topic css q
  home=$(fetch /)
  css=$(grep -o '/static/css/site[^"]*\.css' <<<"$home" | sed -n 1p)
  topics=$(fetch /topics/)
  topic=$(grep -o 'href="/topics/[^"/]*/"' <<<"$topics" | sed -n 1p | cut -d'"' -f2)
  list=$(fetch /notes/)
  note=$(grep -o 'href="/notes/[0-9]*/[^"]*/"' <<<"$list" | sed -n 1p | cut -d'"' -f2)
  # Two characters from the newest note's title: a query that many notes match.
  q=$(fetch "$note" | "$PY" -c 'import html, re, sys, urllib.parse
title = re.search(r"<h1 class=\"note-title\"[^>]*>(.*?)</h1>", sys.stdin.read(), re.S).group(1)
print(urllib.parse.quote(html.unescape(title).strip()[:2]))')
  PAGES=(
    "static CSS|$css"
    "home|/"
    "/notes/|/notes/"
    "topic list|$topic"
    "note page|$note"
    "search|/search/?q=$q"
    "feed|/feed/"
  )
}

# wrk's latency ("850.12us", "1.20ms", "1.02s") in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0
    if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000
    printf "%.1f", n }'
}

measure() {
  local url=$1 out rps p50 p99
  for _ in 1 2 3; do curl -fs -o /dev/null "$BASE$url"; done
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/clients.lua "$BASE$url")
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
  if grep -q "Non-2xx" <<<"$out"; then
    echo "warning: $url answered errors: $(grep Non-2xx <<<"$out")" >&2
  fi
  echo "$rps $p50 $p99"
}

run() {
  local dataset=$1 cache=$2 static_rps="" label url rps p50 p99
  export DJANGO_PAGE_CACHE=$cache
  start_server
  discover
  printf '\n%s, page cache %s (%s workers, wrk -t%s -c%s -d%s; load %s)\n' \
    "$dataset" "$([ "$cache" = 1 ] && echo on || echo off)" "$WORKERS" "$THREADS" \
    "$CONNECTIONS" "$DURATION" "$(cut -d' ' -f1-3 /proc/loadavg)"
  printf '%-12s %9s %9s %9s %8s\n' page "req/s" "p50 ms" "p99 ms" ratio
  for page in "${PAGES[@]}"; do
    label=${page%%|*}
    url=${page#*|}
    read -r rps p50 p99 < <(measure "$url")
    static_rps=${static_rps:-$rps}
    printf '%-12s %9.0f %9s %9s %8.3f\n' "$label" "$rps" "$p50" "$p99" \
      "$(awk -v a="$rps" -v b="$static_rps" 'BEGIN {print a / b}')"
  done
  stop_server
}

DATABASE_URL=$(database_url "${DATASETS[0]}") "$PY" manage.py collectstatic --noinput -v0
for dataset in "${DATASETS[@]}"; do
  export DATABASE_URL
  DATABASE_URL=$(database_url "$dataset")
  load_data "$dataset"
  # A fresh generation: no page cached from another data set is served.
  redis-cli -u "$REDIS" --no-auth-warning DEL ":1:public:generation" >/dev/null
  for cache in 0 1; do run "$dataset" "$cache"; done
done
