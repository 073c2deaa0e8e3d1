"""Typed readers for settings taken from environment variables."""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_required(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set.")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# Keys published in this repository (the demo default, the .env.example value): a site
# signed with one of them has forgeable sessions, password-reset and invitation links.
PUBLISHED_SECRET_KEYS = frozenset(
    {
        "demo-only-insecure-secret-key-change-me-in-production",
        "change-me-to-a-long-random-string-of-50-characters-or-more",
    }
)
SECRET_KEY_MIN_LENGTH = 50


def env_secret_key(name: str) -> str:
    """A production secret key: set, not a published placeholder, at least 50 characters."""
    value = env_required(name)
    how = (
        "Generate one with: python -c 'from django.core.management.utils import "
        "get_random_secret_key; print(get_random_secret_key())'"
    )
    if value in PUBLISHED_SECRET_KEYS or "change-me" in value.lower():
        raise ImproperlyConfigured(
            f"{name} is a placeholder published with Mentorat: with DEBUG off it must be "
            f"a secret of your own. {how}"
        )
    if len(value) < SECRET_KEY_MIN_LENGTH or len(set(value)) < 5:
        raise ImproperlyConfigured(
            f"{name} is too weak: it needs at least {SECRET_KEY_MIN_LENGTH} random "
            f"characters (it has {len(value)}, {len(set(value))} different). {how}"
        )
    return value
