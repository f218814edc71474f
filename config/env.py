"""Reading settings from the environment.

A misconfiguration stops start-up with one line on stderr that says what to
set (``SystemExit`` with a message), never a wall of traceback.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

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


def env_choice(name: str, *, choices: list[str], default: str) -> str:
    value = os.environ.get(name, "").strip().lower() or default
    if value not in choices:
        fail(f"{name}={value!r} is not one of {', '.join(choices)}.")
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


def env_site_url(*, debug: bool) -> str:
    """The site's public address (scheme and host, no path), without a trailing slash."""
    raw = os.environ.get("SITE_URL", "").strip()
    if not raw:
        if debug:
            return "http://localhost:8000"
        fail(
            "SITE_URL is not set; set it to the site's public address, e.g. https://notes.example.org."
        )
    try:
        parts = urlsplit(raw)
        valid = parts.scheme in ("http", "https") and parts.hostname and parts.port != 0
    except ValueError:  # a malformed host or port
        valid = False
    if not valid or parts.path.strip("/") or parts.query or parts.username:
        fail(f"SITE_URL={raw!r} is not an address like https://notes.example.org (no path).")
    return f"{parts.scheme}://{parts.netloc}"


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
