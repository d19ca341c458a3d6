"""Backups that restore (ADR 0025): one file of the whole database, plus a manifest.

* SQLite: the online backup API (a consistent copy while the service runs).
* PostgreSQL: ``pg_dump --format=custom``; restore with ``pg_restore --clean --single-transaction``.

The field-encryption keyring and the audit HMAC key are NOT in the backup, on purpose: a stolen
backup alone reveals nothing. Without the keyring that was current when the backup was taken,
a restored database cannot be read. Keep the keyring in a separate, access-controlled store.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.db import connection
from django.utils import timezone

from safemoves.common.scoping import scopes_disabled

KEYRING_WARNING = (
    "THE ENCRYPTION KEYRING IS NOT IN THIS BACKUP. Personal data in the database is encrypted with "
    "the keys in SAFEMOVES_KEYRING_FILE ({keyring}); back that file up separately (and the "
    "AUDIT_HMAC_KEY), to a different place: without them a restored database cannot be read."
)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest_path(backup: Path) -> Path:
    return backup.with_name(backup.name + ".manifest.json")


def table_fingerprints() -> dict[str, dict[str, Any]]:
    """Rows and a SHA-256 of every table's content in primary-key order, for the restore drill."""
    result: dict[str, dict[str, Any]] = {}
    # Every organisation's rows: on PostgreSQL row-level security shows them only inside the
    # explicit cross-organisation mechanism (ADR 0020).
    with scopes_disabled(), connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted} ORDER BY 1")  # noqa: S608 - names from the catalogue
            digest = hashlib.sha256()
            rows = 0
            for row in cursor.fetchall():
                digest.update(repr(tuple(_plain(value) for value in row)).encode())
                rows += 1
            result[table] = {"rows": rows, "sha256": digest.hexdigest()}
    return result


def _plain(value: object) -> object:
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def _pg_env() -> tuple[list[str], dict[str, str]]:
    settings = connection.settings_dict
    args = ["--dbname", settings["NAME"]]
    if settings.get("HOST"):
        args += ["--host", str(settings["HOST"])]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["--username", str(settings["USER"])]
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    return args, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise RuntimeError(f"{name} is not installed: install the PostgreSQL client tools of the server's version.")
    return found


def backup_database(target: Path) -> dict[str, Any]:
    """Write the whole database to ``target`` and its manifest beside it; return the manifest."""
    target.parent.mkdir(parents=True, exist_ok=True)
    vendor = connection.vendor
    if vendor == "sqlite":
        connection.ensure_connection()
        if target.exists():
            target.unlink()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
    elif vendor == "postgresql":
        args, env = _pg_env()
        subprocess.run(  # noqa: S603 - fixed tool, arguments from settings
            [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target), *args],
            env=env,
            check=True,
        )
    else:
        raise RuntimeError(f"No backup for the {vendor} database.")
    os.chmod(target, 0o600)
    manifest = {
        "format": 1,
        "vendor": vendor,
        "created_at": timezone.now().isoformat(),
        "file": target.name,
        "sha256": _sha256(target),
        "keyring_included": False,
    }
    manifest_path(target).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def restore_database(source: Path) -> dict[str, Any]:
    """Replace the whole database with the backup in ``source``, after checking its manifest."""
    manifest_file = manifest_path(source)
    if not manifest_file.exists():
        raise RuntimeError(f"{manifest_file} is missing: only a backup made by `safemoves backup` can be restored.")
    manifest: dict[str, Any] = json.loads(manifest_file.read_text(encoding="utf-8"))
    if manifest["vendor"] != connection.vendor:
        raise RuntimeError(f"The backup is of a {manifest['vendor']} database; this one is {connection.vendor}.")
    if _sha256(source) != manifest["sha256"]:
        raise RuntimeError(f"{source} does not match its manifest's checksum: it is damaged or not the same file.")
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        origin = sqlite3.connect(source)
        try:
            origin.backup(connection.connection)
        finally:
            origin.close()
    else:
        args, env = _pg_env()
        connection.close()  # hold no lock on a table pg_restore drops
        subprocess.run(  # noqa: S603 - fixed tool, arguments from settings
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                *args,
                str(source),
            ],
            env=env,
            check=True,
        )
    return manifest
