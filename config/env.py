"""Reading settings from the environment.

A misconfiguration stops start-up with one line on stderr that says what to
set (``SystemExit`` with a message), never a wall of traceback.
"""

import os
from pathlib import Path

import dj_database_url

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def fail(message: str):
    raise SystemExit(f"research-notes: configuration error: {message}")


def env_str(name: str, *, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, *, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    fail(f"{name}={raw!r} is not a boolean; use 1/0, true/false, yes/no or on/off.")


def env_int(name: str, *, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or value < minimum:
        fail(f"{name}={raw!r} is not a whole number of at least {minimum}.")
    return value


def env_list(name: str, *, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret_key(*, debug: bool) -> str:
    key = os.environ.get("DJANGO_SECRET_KEY", "")
    if key:
        return key
    if debug:
        return "django-insecure-development-only-key-never-used-in-production"
    fail("DJANGO_SECRET_KEY is not set; set it to a long random string, or set DJANGO_DEBUG=1.")


def env_database(name: str, *, default_sqlite: Path) -> dict:
    url = os.environ.get(name, "").strip()
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": default_sqlite,
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except Exception as exc:  # dj-database-url raises several kinds of error
        fail(f"{name} cannot be parsed ({exc}); expected e.g. postgres://user@host:5432/dbname.")
    if not config.get("ENGINE"):
        fail(f"{name} has an unknown scheme; expected postgres://… or sqlite:///….")
    return config
