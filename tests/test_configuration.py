"""Start-up with bad configuration stops with one clear line, not a traceback."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-long-random-production-key-" + "x" * 40,
    "DJANGO_ALLOWED_HOSTS": "notes.example.org",
    "SITE_URL": "https://notes.example.org",
}


def _manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    for name in (
        "DATABASE_URL",
        "SITE_URL",
        "REDIS_URL",
        "LOG_FORMAT",
        "MEDIA_S3_BUCKET",
        "PRIVATE_S3_BUCKET",
    ):
        environment.pop(name, None)
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "needle"),
    [
        ({"DJANGO_DEBUG": "0"}, "DJANGO_SECRET_KEY is not set"),
        ({"DJANGO_DEBUG": "1", "DATABASE_URL": "nonsense://x"}, "DATABASE_URL"),
        ({"DJANGO_DEBUG": "1", "DATABASE_URL": "postgres://a:b@[broken"}, "DATABASE_URL"),
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG"),
        ({"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "k" * 50}, "SITE_URL is not set"),
        ({**PRODUCTION, "SITE_URL": "notes.example.org"}, "SITE_URL"),
        ({**PRODUCTION, "SITE_URL": "https://notes.example.org/notes/"}, "SITE_URL"),
        ({**PRODUCTION, "SITE_URL": "https://[broken"}, "SITE_URL"),
        ({**PRODUCTION, "SITE_URL": "ftp://notes.example.org"}, "SITE_URL"),
        ({**PRODUCTION, "LOG_FORMAT": "xml"}, "LOG_FORMAT"),
        ({**PRODUCTION, "DJANGO_PUBLIC_MAX_AGE": "soon"}, "DJANGO_PUBLIC_MAX_AGE"),
    ],
)
def test_bad_configuration_gives_one_line(env, needle):
    result = _manage("check", **env)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert needle in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("preload", ["0", "1"])
def test_production_settings_pass_the_deployment_checks(preload):
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, DJANGO_HSTS_PRELOAD=preload
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _setting(name, **env):
    result = _manage(
        "shell",
        "-c",
        f"from django.conf import settings; print(settings.{name})",
        DJANGO_DEBUG="1",
        **env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("env", "hops"),
    [
        ({}, "0"),
        ({"DJANGO_BEHIND_TLS_PROXY": "1"}, "1"),
        ({"DJANGO_BEHIND_TLS_PROXY": "1", "DJANGO_TRUSTED_PROXY_HOPS": "2"}, "2"),
        ({"DJANGO_TRUSTED_PROXY_HOPS": "1"}, "1"),
    ],
)
def test_trusted_proxy_hops(env, hops):
    assert _setting("TRUSTED_PROXY_HOPS", **env) == hops


def test_bad_proxy_hops_gives_one_line():
    result = _manage("check", DJANGO_DEBUG="1", DJANGO_TRUSTED_PROXY_HOPS="-1")
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "research-notes: configuration error: DJANGO_TRUSTED_PROXY_HOPS='-1' "
        "is not a whole number of at least 0."
    ]


@pytest.mark.parametrize(
    ("env", "required"),
    [
        ({"DJANGO_DEBUG": "0"}, "True"),
        ({"DJANGO_DEBUG": "0", "DJANGO_REQUIRE_2FA_FOR_ADMINS": "0"}, "False"),
        ({"DJANGO_DEBUG": "1"}, "False"),
    ],
)
def test_two_step_sign_in_is_required_of_administrators_in_production(env, required):
    secret = {
        "DJANGO_SECRET_KEY": "a-long-random-production-key-" + "x" * 40,
        "SITE_URL": "https://notes.example.org",
    }
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.REQUIRE_2FA_FOR_ADMINS)",
        **secret,
        **env,
    )
    assert result.stdout.strip().splitlines()[-1] == required, result.stderr


def _production_setting(expression, **env):
    result = _manage(
        "shell", "-v", "0", "-c", f"from django.conf import settings; print({expression})", **env
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_hsts_preload_is_a_deliberate_choice():
    assert _production_setting("settings.SECURE_HSTS_PRELOAD", **PRODUCTION) == "False"
    assert (
        _production_setting("settings.SECURE_HSTS_PRELOAD", **PRODUCTION, DJANGO_HSTS_PRELOAD="1")
        == "True"
    )


def test_development_needs_no_site_url():
    assert _production_setting("settings.SITE_URL", DJANGO_DEBUG="1") == "http://localhost:8000"
    assert _production_setting("settings.SITE_URL", **PRODUCTION) == "https://notes.example.org"


def test_uploads_go_to_object_storage_when_a_bucket_is_configured():
    env = {
        **PRODUCTION,
        "MEDIA_S3_BUCKET": "notes-media",
        "MEDIA_S3_ENDPOINT_URL": "https://s3.example.org",
        "MEDIA_S3_CUSTOM_DOMAIN": "media.example.org",
        "PRIVATE_S3_BUCKET": "notes-private",
        "AWS_ACCESS_KEY_ID": "key",
        "AWS_SECRET_ACCESS_KEY": "secret",
    }
    script = (
        'from django.core.files.storage import storages; s = storages["default"]; '
        "from django.conf import settings; from django.urls import resolve, Resolver404\n"
        "print(type(s).__name__, s.bucket_name, s.endpoint_url)\n"
        "print(s.url('authors/lin.jpg'))\n"
        "p = storages['private']; print(type(p).__name__, p.bucket_name, p.querystring_auth)\n"
        "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])\n"
        "try: resolve('/media/authors/lin.jpg'); print('served by the app')\n"
        "except Resolver404: print('not served by the app')"
    )
    result = _manage("shell", "-v", "0", "-c", script, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "S3Storage notes-media https://s3.example.org",
        "https://media.example.org/media/authors/lin.jpg",
        "S3Storage notes-private True",
        "[\"'self'\", 'data:', 'https://media.example.org']",
        "not served by the app",
    ]
