"""Key rotation and retirement over every encrypted column, with the service running.

``rotate_keys`` adds a new key-encryption key, makes it active (running processes pick it up
within about a second), then walks every model with encrypted fields in primary-key batches
and re-seals each value still under an older key. Each value is written with a
compare-and-swap (``UPDATE ... WHERE pk = %s AND field = <old token>``) so a concurrent edit
is never overwritten: if the swap loses, the writer has already sealed the row under a
current key. The walk is rerunnable and resumable: values on the active key are skipped.

``retire_key`` removes a key from the keyring only when no stored value still uses it.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django_scopes import scopes_disabled

from safemoves.common import crypto
from safemoves.common.crypto import DecryptionError, Keyring, key_id_of
from safemoves.common.fields import (
    EncryptedTextField,
    Sealed,
    all_models_with_encrypted_fields,
    encrypted_fields,
    sealed_aad,
)
from safemoves.common.keyring import keyring_path, reload_keyring

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

__all__ = [
    "KeyInUseError",
    "ModelRotation",
    "Outcome",
    "RotationReport",
    "key_usage",
    "reseal_value",
    "retire_key",
    "rotate_keys",
]

# Longer than the once-a-second keyring check, so every running process has loaded the new
# key before the walk starts writing with it.
DEFAULT_SETTLE_SECONDS = 2.5
MAX_PASSES = 3
EMPTY = "(empty)"
NOT_A_TOKEN = "(not a token)"  # noqa: S105 - a label, not a secret


class Outcome(Enum):
    RESEALED = "resealed"
    CHANGED_CONCURRENTLY = "changed_concurrently"
    GONE = "gone"


class KeyInUseError(Exception):
    def __init__(self, key_id: str, usage: dict[str, int]) -> None:
        counts = ", ".join(f"{label}: {n}" for label, n in sorted(usage.items()))
        super().__init__(f"key {key_id!r} still protects stored values ({counts}); rotate first")
        self.key_id = key_id
        self.usage = usage


@dataclass
class ModelRotation:
    rows: int = 0
    resealed: int = 0
    already_current: int = 0
    changed_concurrently: int = 0
    undecryptable: int = 0


@dataclass
class RotationReport:
    new_key_id: str
    passes: int = 0
    models: dict[str, ModelRotation] = field(default_factory=dict)
    remaining_on_old_keys: int = 0

    @property
    def resealed(self) -> int:
        return sum(m.resealed for m in self.models.values())

    @property
    def undecryptable(self) -> int:
        return sum(m.undecryptable for m in self.models.values())


def _manager(model: type[models.Model]) -> models.Manager[Any]:
    # The base manager is never filtered by a custom default manager.
    return model._base_manager


def _batches(model: type[models.Model], columns: list[str], batch_size: int) -> Iterator[list[tuple[Any, ...]]]:
    """Rows as ``(pk, token, token, ...)`` in primary-key order, one batch at a time."""
    last_pk: Any = None
    while True:
        query = _manager(model).order_by("pk")
        if last_pk is not None:
            query = query.filter(pk__gt=last_pk)
        rows = list(query.values_list("pk", *columns)[:batch_size])
        if not rows:
            return
        yield rows
        last_pk = rows[-1][0]


def _current_token(model: type[models.Model], fld: EncryptedTextField[Any, Any], pk: Any) -> str | None:
    found = list(_manager(model).filter(pk=pk).values_list(fld.attname, flat=True)[:1])
    return found[0] if found else None


def reseal_value(
    model: type[models.Model],
    fld: EncryptedTextField[Any, Any],
    pk: Any,
    old_token: str,
    *,
    keyring: Keyring,
) -> Outcome:
    """Re-seal one stored value under the active key, unless it changed since it was read."""
    aad = sealed_aad(fld, pk)
    new_token = keyring.seal(keyring.open(old_token, aad), aad)
    swapped = (
        _manager(model).filter(pk=pk, **{fld.attname: Sealed(old_token)}).update(**{fld.attname: Sealed(new_token)})
    )
    if swapped:
        return Outcome.RESEALED
    current = _current_token(model, fld, pk)
    if current is None:
        return Outcome.GONE
    if key_id_of(current) == keyring.active_id:
        return Outcome.CHANGED_CONCURRENTLY
    # A writer still on the old key (had not reloaded yet) won the race: try its value.
    return reseal_value(model, fld, pk, current, keyring=keyring)


def _rotate_model(
    model: type[models.Model],
    keyring: Keyring,
    batch_size: int,
    stats: ModelRotation,
    *,
    first_pass: bool,
) -> int:
    """One pass over ``model``; return how many values it re-sealed or saw change."""
    fields = encrypted_fields(model, local_only=True)
    moved = 0
    for rows in _batches(model, [f.attname for f in fields], batch_size):
        with transaction.atomic():
            for pk, *tokens in rows:
                stats.rows += first_pass
                for fld, token in zip(fields, tokens, strict=True):
                    if token is None:
                        continue
                    if key_id_of(token) == keyring.active_id:
                        stats.already_current += first_pass
                        continue
                    try:
                        outcome = reseal_value(model, fld, pk, token, keyring=keyring)
                    except DecryptionError:
                        stats.undecryptable += first_pass
                        continue
                    moved += 1
                    if outcome is Outcome.RESEALED:
                        stats.resealed += 1
                    elif outcome is Outcome.CHANGED_CONCURRENTLY:
                        stats.changed_concurrently += 1
    return moved


def rotate_keys(
    *,
    batch_size: int = 500,
    stdout: SupportsWrite[str] | None = None,
    settle_seconds: float = DEFAULT_SETTLE_SECONDS,
    new_key: bool = True,
) -> RotationReport:
    """Activate a new key and re-seal every stored value under it.

    ``new_key=False`` resumes an interrupted rotation without adding another key.
    """
    if new_key:
        crypto.add_key_and_activate(keyring_path())
    keyring = reload_keyring()
    report = RotationReport(new_key_id=keyring.active_id)
    if stdout is not None:
        stdout.write(f"Active key is now {keyring.active_id}.\n")
    if new_key and settle_seconds > 0:
        time.sleep(settle_seconds)

    models_to_walk = all_models_with_encrypted_fields()
    with scopes_disabled():
        # A further pass runs only if the previous one moved something: it catches values
        # written under an old key by a process that had not yet reloaded the keyring.
        for _ in range(MAX_PASSES):
            report.passes += 1
            first_pass = report.passes == 1
            moved = 0
            for model in models_to_walk:
                stats = report.models.setdefault(model._meta.label, ModelRotation())
                moved += _rotate_model(model, keyring, batch_size, stats, first_pass=first_pass)
                if stdout is not None and first_pass:
                    stdout.write(
                        f"{model._meta.label}: {stats.rows} rows, {stats.resealed} values "
                        f"re-sealed, {stats.already_current} already on {keyring.active_id}, "
                        f"{stats.changed_concurrently} changed concurrently, "
                        f"{stats.undecryptable} undecryptable\n"
                    )
            if not moved:
                break
        usage = key_usage()
    report.remaining_on_old_keys = sum(
        n for per_key in usage.values() for key_id, n in per_key.items() if key_id not in (keyring.active_id, EMPTY)
    )
    if stdout is not None:
        stdout.write(
            f"Done in {report.passes} pass(es): {report.resealed} values re-sealed, "
            f"{report.remaining_on_old_keys} still on older keys.\n"
        )
    return report


def key_usage(*, batch_size: int = 2000) -> dict[str, Counter[str]]:
    """Count stored values per key id for every model (reads token prefixes only)."""
    usage: dict[str, Counter[str]] = {}
    with scopes_disabled():
        for model in all_models_with_encrypted_fields():
            counts: Counter[str] = Counter()
            columns = [f.attname for f in encrypted_fields(model, local_only=True)]
            for rows in _batches(model, columns, batch_size):
                for _pk, *tokens in rows:
                    for token in tokens:
                        if token is None:
                            counts[EMPTY] += 1
                            continue
                        try:
                            counts[key_id_of(token)] += 1
                        except DecryptionError:
                            counts[NOT_A_TOKEN] += 1
            usage[model._meta.label] = counts
    return usage


def retire_key(key_id: str) -> None:
    """Remove ``key_id`` from the keyring once no stored value uses it."""
    keyring = reload_keyring()
    if key_id == keyring.active_id:
        raise crypto.KeyringError(f"refusing to retire the active key {key_id!r}; rotate first")
    if key_id not in keyring.keys:
        raise crypto.KeyringError(f"keyring holds no key with id {key_id!r}")
    in_use = {label: c[key_id] for label, c in key_usage().items() if c[key_id]}
    if in_use:
        raise KeyInUseError(key_id, in_use)
    crypto.retire_key(keyring_path(), key_id)
    reload_keyring()
