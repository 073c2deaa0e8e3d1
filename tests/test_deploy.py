"""Production settings: `check --deploy` must be clean, and unsafe defaults refused."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "REDIS_URL", "TRUSTED_PROXY_COUNT"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
        ALLOWED_HOSTS="mentorat.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DEBUG="0", ALLOWED_HOSTS="mentorat.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_bad_boolean_setting_is_named():
    result = _manage("check", DEBUG="perhaps")
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


@pytest.mark.parametrize(
    ("secret_key", "message"),
    [
        # The .env.example value and the demo default: published, so anyone could sign.
        ("change-me-to-a-long-random-string-of-50-characters-or-more", "placeholder"),
        ("demo-only-insecure-secret-key-change-me-in-production", "placeholder"),
        ("short-but-random-Zq8v1", "at least 50"),
        ("a" * 60, "at least 50"),  # long but not random
    ],
)
def test_production_refuses_a_placeholder_or_weak_secret_key(secret_key, message):
    result = _manage(
        "check",
        "--deploy",
        DEBUG="0",
        SECRET_KEY=secret_key,
        ALLOWED_HOSTS="mentorat.example.org",
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr
    assert "get_random_secret_key" in result.stderr


def test_env_example_secret_key_does_not_start_production():
    example = (ROOT / ".env.example").read_text()
    value = next(
        line.split("=", 1)[1] for line in example.splitlines() if line.startswith("SECRET_KEY=")
    )
    result = _manage("check", DEBUG="0", SECRET_KEY=value, ALLOWED_HOSTS="mentorat.example.org")
    assert result.returncode != 0
    assert "placeholder" in result.stderr


def _cache_backend(**env: str) -> str:
    result = _manage(
        "shell", "-c", "from django.conf import settings; print(settings.CACHES['default'])", **env
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_cache_is_shared_by_default_and_redis_when_configured():
    assert "DatabaseCache" in _cache_backend(REDIS_URL="")
    redis = _cache_backend(REDIS_URL="redis://127.0.0.1:6379/3")
    assert "RedisCache" in redis
    assert "redis://127.0.0.1:6379/3" in redis


def test_trusted_proxy_count_cannot_be_negative():
    result = _manage("check", TRUSTED_PROXY_COUNT="-1")
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT must be 0 or more" in result.stderr
