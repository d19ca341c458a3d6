"""Typed readers for settings that come from the environment.

Each helper fails loudly: a missing or malformed value in production is an
``ImproperlyConfigured`` at start-up, never a silent default discovered later.
Secrets may be given directly (``NAME``) or as a path (``NAME_FILE``), so that
container secrets and systemd credentials work without the value ever
appearing in a process listing.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Environment variable {name} is required.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"Environment variable {name} must be a boolean (1/0, true/false), got {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"Environment variable {name} must be an integer, got {raw!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str, *, fallback_file: Path | None = None) -> str:
    """Read a secret from ``NAME``, from the file named by ``NAME_FILE``, or (demo and
    tests only) from ``fallback_file``, created with fresh random content when missing."""
    direct = os.environ.get(name)
    path_value = os.environ.get(f"{name}_FILE")
    if direct and path_value:
        raise ImproperlyConfigured(f"Set only one of {name} and {name}_FILE.")
    if direct:
        return direct
    if path_value:
        try:
            secret = Path(path_value).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={path_value} cannot be read: {exc}") from None
        if not secret:
            raise ImproperlyConfigured(f"{name}_FILE={path_value} is empty.")
        return secret
    if fallback_file is not None:
        return _read_or_create_secret_file(fallback_file)
    raise ImproperlyConfigured(f"Set {name} or {name}_FILE.")


def _read_or_create_secret_file(path: Path) -> str:

    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(50)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secret)
    return secret
