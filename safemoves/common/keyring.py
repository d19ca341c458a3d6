"""The process-wide keyring, read from ``settings.SAFEMOVES_KEYRING_FILE``.

``SAFEMOVES_KEYRING_AUTOCREATE`` (demo and tests) creates a fresh keyring when the file is
missing; otherwise a missing keyring is an ``ImproperlyConfigured`` error at first use.
The file is re-checked at most once a second, so a rotation reaches running processes
without a restart.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from safemoves.common.crypto import (
    Keyring,
    KeyringError,
    KeyringFile,
    UnknownKeyError,
    generate_keyring_file,
)

__all__ = ["get_keyring", "keyring_file", "keyring_path", "open_token", "reload_keyring"]

# Keyed by the configured path text: tests point each test at its own file.
_files: dict[str, KeyringFile] = {}
_files_lock = threading.Lock()


def _configured_path() -> str:
    path: str | os.PathLike[str] | None = getattr(settings, "SAFEMOVES_KEYRING_FILE", None)
    if not path:
        raise ImproperlyConfigured("SAFEMOVES_KEYRING_FILE is not set")
    return os.fspath(path)


def keyring_path() -> Path:
    return Path(_configured_path())


def keyring_file() -> KeyringFile:
    key = _configured_path()
    cached = _files.get(key)  # fast path: no lock, no Path object (this runs on every field)
    if cached is not None:
        return cached
    with _files_lock:
        cached = _files.get(key)
        if cached is not None:
            return cached
        path = Path(key)
        if not path.exists():
            if not getattr(settings, "SAFEMOVES_KEYRING_AUTOCREATE", False):
                raise ImproperlyConfigured(
                    f"keyring file {key!r} does not exist and "
                    "SAFEMOVES_KEYRING_AUTOCREATE is off; restore it from the key backup"
                )
            try:
                generate_keyring_file(path)
            except KeyringError:
                if not path.exists():  # lost a creation race to another process: fine
                    raise
        try:
            loaded = KeyringFile(path)
            loaded.get()
        except KeyringError as exc:
            raise ImproperlyConfigured(str(exc)) from None
        _files[key] = loaded
        return loaded


def get_keyring() -> Keyring:
    return keyring_file().get()


def reload_keyring() -> Keyring:
    return keyring_file().reload()


def open_token(token: str, aad: bytes) -> str:
    """Decrypt, re-reading the keyring once if the token names a key we have not loaded yet.

    During a rotation another process may already write under the new key before this
    process's once-a-second check has seen it.
    """
    try:
        return get_keyring().open(token, aad)
    except UnknownKeyError:
        return reload_keyring().open(token, aad)
