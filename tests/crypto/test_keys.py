"""Key rotation, retirement and the ``keys`` command against a real database."""

from __future__ import annotations

import io
import json
import logging
import uuid
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from safemoves.common import crypto
from safemoves.common import keyring as keyring_module
from safemoves.common.crypto import KeyringError, UnknownKeyError, key_id_of
from safemoves.common.fields import Sealed, sealed_aad
from safemoves.common.keyring import get_keyring, reload_keyring
from safemoves.common.keys import (
    KeyInUseError,
    Outcome,
    key_usage,
    reseal_value,
    retire_key,
    rotate_keys,
)
from tests.testapp.models import SecretNote

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("keyring_file")]

LABEL = "testapp.SecretNote"


def _make_notes(count: int) -> list[SecretNote]:
    return [
        SecretNote.objects.create(
            org_ref=f"o{i}",
            name=f"CANARY-NAME-{i}",
            address=f"CANARY-ADDR-{i}" if i % 2 else None,
            born="1980-01-01" if i % 3 else None,
        )
        for i in range(count)
    ]


def _tokens(pk: uuid.UUID, field: str) -> str:
    return str(SecretNote.objects.values_list(field, flat=True).get(pk=pk))


def _raw_dump() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM testapp_secretnote")
        return repr(cursor.fetchall())


def test_rotate_then_retire_and_every_row_still_decrypts() -> None:
    notes = _make_notes(7)
    values = sum(1 + (i % 2) + bool(i % 3) for i in range(7))

    report = rotate_keys(batch_size=3, settle_seconds=0)

    assert report.new_key_id == "k2"
    assert report.models[LABEL].rows == 7
    assert report.models[LABEL].resealed == values
    assert report.remaining_on_old_keys == 0
    assert dict(key_usage()[LABEL]) == {"k2": values, "(empty)": 21 - values}

    retire_key("k1")

    assert set(reload_keyring().keys) == {"k2"}
    for i, note in enumerate(notes):
        loaded = SecretNote.objects.get(pk=note.pk)
        assert loaded.name == f"CANARY-NAME-{i}"
        assert loaded.address == (f"CANARY-ADDR-{i}" if i % 2 else None)
    assert "CANARY" not in _raw_dump()


def test_rotation_is_rerunnable_and_resumable() -> None:
    _make_notes(4)
    rotate_keys(settle_seconds=0)

    resumed = rotate_keys(settle_seconds=0, new_key=False)

    assert resumed.new_key_id == "k2"
    assert resumed.models[LABEL].resealed == 0
    assert resumed.models[LABEL].already_current == 4 + 2 + 2
    assert resumed.passes == 1

    again = rotate_keys(settle_seconds=0)
    assert again.new_key_id == "k3"
    assert again.models[LABEL].resealed == 8


def test_rows_written_after_activation_are_already_current() -> None:
    _make_notes(2)
    crypto.add_key_and_activate(keyring_module.keyring_path())
    reload_keyring()
    SecretNote.objects.create(org_ref="new", name="CANARY-LATE")

    report = rotate_keys(settle_seconds=0, new_key=False)

    assert report.models[LABEL].already_current == 1
    assert report.models[LABEL].resealed == 2 + 1 + 1


def test_concurrent_edit_during_rotation_is_not_overwritten() -> None:
    (note,) = _make_notes(1)
    stale = _tokens(note.pk, "name")
    crypto.add_key_and_activate(keyring_module.keyring_path())
    keyring = reload_keyring()

    # A caseworker edits the name after the walk read the row but before it wrote.
    editing = SecretNote.objects.get(pk=note.pk)
    editing.name = "CANARY-EDITED"
    editing.save()

    name_field = SecretNote._meta.get_field("name")
    outcome = reseal_value(SecretNote, name_field, note.pk, stale, keyring=keyring)

    assert outcome is Outcome.CHANGED_CONCURRENTLY
    assert SecretNote.objects.get(pk=note.pk).name == "CANARY-EDITED"
    assert key_id_of(_tokens(note.pk, "name")) == "k2"


def test_edit_by_a_process_still_on_the_old_key_is_resealed_not_lost() -> None:
    (note,) = _make_notes(1)
    old_keyring = get_keyring()
    stale = _tokens(note.pk, "name")
    crypto.add_key_and_activate(keyring_module.keyring_path())
    keyring = reload_keyring()
    name_field = SecretNote._meta.get_field("name")
    aad = sealed_aad(name_field, note.pk)
    SecretNote.objects.filter(pk=note.pk).update(name=Sealed(old_keyring.seal("CANARY-EDITED-OLD-KEY", aad)))

    outcome = reseal_value(SecretNote, name_field, note.pk, stale, keyring=keyring)

    assert outcome is Outcome.RESEALED
    assert SecretNote.objects.get(pk=note.pk).name == "CANARY-EDITED-OLD-KEY"
    assert key_id_of(_tokens(note.pk, "name")) == "k2"


def test_deleted_row_during_rotation_is_skipped() -> None:
    (note,) = _make_notes(1)
    stale = _tokens(note.pk, "name")
    pk = note.pk
    note.delete()
    name_field = SecretNote._meta.get_field("name")
    keyring = get_keyring()
    assert reseal_value(SecretNote, name_field, pk, stale, keyring=keyring) is Outcome.GONE


def test_retire_refuses_a_key_still_in_use() -> None:
    _make_notes(3)
    crypto.add_key_and_activate(keyring_module.keyring_path())
    reload_keyring()

    with pytest.raises(KeyInUseError, match=r"testapp\.SecretNote: 6") as raised:
        retire_key("k1")
    assert raised.value.usage == {LABEL: 6}
    assert "k1" in reload_keyring().keys


def test_retire_refuses_the_active_key() -> None:
    with pytest.raises(KeyringError, match="active"):
        retire_key("k1")


def test_a_process_that_has_not_reloaded_yet_still_reads_new_tokens(
    keyring_file: Path,
) -> None:
    (note,) = _make_notes(1)
    cached = keyring_module.keyring_file()
    cached.reload_interval = 3600  # this "web process" will not re-check the file by itself
    assert get_keyring().active_id == "k1"
    # Another process rotates and re-seals the row under the new key.
    crypto.add_key_and_activate(keyring_file)
    new_keyring = crypto.load_keyring(keyring_file)
    name_field = SecretNote._meta.get_field("name")
    aad = sealed_aad(name_field, note.pk)
    SecretNote.objects.filter(pk=note.pk).update(name=Sealed(new_keyring.seal("CANARY-NAME-0", aad)))
    assert get_keyring().active_id == "k1"

    assert SecretNote.objects.get(pk=note.pk).name == "CANARY-NAME-0"
    assert get_keyring().active_id == "k2"


def test_unknown_key_after_retirement_is_reported_without_plaintext(
    caplog: pytest.LogCaptureFixture,
) -> None:
    (note,) = _make_notes(1)
    token = _tokens(note.pk, "name")
    rotate_keys(settle_seconds=0)
    retire_key("k1")
    SecretNote.objects.filter(pk=note.pk).update(name=Sealed(token))
    with caplog.at_level(logging.DEBUG), pytest.raises(UnknownKeyError):
        _ = SecretNote.objects.get(pk=note.pk).name
    assert "CANARY" not in caplog.text


def test_keys_command_rotate_status_retire() -> None:
    _make_notes(3)
    key_material = set(json.loads(keyring_module.keyring_path().read_text())["keys"].values())
    out = io.StringIO()

    call_command("keys", "status", stdout=out)
    call_command("keys", "rotate", "--settle-seconds", "0", "--batch-size", "2", stdout=out)
    call_command("keys", "retire", "k1", stdout=out)
    call_command("keys", "status", stdout=out)

    text = out.getvalue()
    assert "Active key: k1" in text
    assert f"{LABEL}: (empty)=3 k1=6" in text
    assert "Active key is now k2." in text
    assert f"{LABEL}: 3 rows, 6 values re-sealed, 0 already on k2" in text
    assert "Key k1 retired." in text
    assert f"{LABEL}: (empty)=3 k2=6" in text
    assert "Retired: k1" in text
    assert "CANARY" not in text
    index_key = json.loads(keyring_module.keyring_path().read_text())["index_key"]
    for secret in [*key_material, index_key]:
        assert secret not in text


def test_keys_command_refuses_to_retire_a_key_in_use() -> None:
    _make_notes(1)
    crypto.add_key_and_activate(keyring_module.keyring_path())
    with pytest.raises(CommandError, match="still protects stored values"):
        call_command("keys", "retire", "k1", stdout=io.StringIO())
