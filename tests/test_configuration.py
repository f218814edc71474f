"""Start-up with bad configuration stops with one clear line, not a traceback."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.pop("DATABASE_URL", None)
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
    ],
)
def test_bad_configuration_gives_one_line(env, needle):
    result = _manage("check", **env)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert needle in lines[0]
    assert "Traceback" not in result.stderr


def test_production_settings_pass_the_deployment_checks():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="a-long-random-production-key-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="notes.example.org",
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
    secret = {"DJANGO_SECRET_KEY": "a-long-random-production-key-" + "x" * 40}
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.REQUIRE_2FA_FOR_ADMINS)",
        **secret,
        **env,
    )
    assert result.stdout.strip().splitlines()[-1] == required, result.stderr
