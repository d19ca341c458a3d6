"""The envelope encryption and keyring file, without Django."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safemoves.common import crypto
from safemoves.common.crypto import (
    DecryptionError,
    Keyring,
    KeyringError,
    KeyringFile,
    UnknownKeyError,
    aad_for,
    key_id_of,
)

AAD = aad_for("cases.Case", "full_name", "6f1c6f0e-0000-4000-8000-000000000001")
CANARY = "CANARY-Zoë-O'Brien-77 Acacia Road"

KEYRING = Keyring.generate()


def test_round_trip_and_token_shape() -> None:
    token = KEYRING.seal(CANARY, AAD)

    assert KEYRING.open(token, AAD) == CANARY
    parts = token.split(".")
    assert len(parts) == 5
    assert parts[0] == "sm1"
    assert parts[1] == "k1"
    assert key_id_of(token) == "k1"
    assert "CANARY" not in token
    assert token.isascii()


def test_each_seal_is_fresh() -> None:
    assert KEYRING.seal(CANARY, AAD) != KEYRING.seal(CANARY, AAD)


def test_length_is_padded_to_sixteen_bytes() -> None:
    short = {len(KEYRING.seal("x" * n, AAD)) for n in range(16)}
    assert len(short) == 1
    assert len(KEYRING.seal("x" * 16, AAD)) > short.pop()


@given(st.text())
def test_round_trip_of_any_unicode(text: str) -> None:
    assert KEYRING.open(KEYRING.seal(text, AAD), AAD) == text


def test_token_from_another_row_does_not_open() -> None:
    token = KEYRING.seal(CANARY, aad_for("cases.Case", "full_name", "row-a"))
    with pytest.raises(DecryptionError):
        KEYRING.open(token, aad_for("cases.Case", "full_name", "row-b"))


def test_token_from_another_field_or_table_does_not_open() -> None:
    token = KEYRING.seal(CANARY, aad_for("cases.Case", "full_name", "row-a"))
    with pytest.raises(DecryptionError):
        KEYRING.open(token, aad_for("cases.Case", "address", "row-a"))
    with pytest.raises(DecryptionError):
        KEYRING.open(token, aad_for("cases.Perpetrator", "full_name", "row-a"))


@pytest.mark.parametrize("part", [2, 3, 4])
def test_tampered_token_does_not_open(part: int) -> None:
    parts = KEYRING.seal(CANARY, AAD).split(".")
    flipped = "A" if parts[part][0] != "A" else "B"
    parts[part] = flipped + parts[part][1:]
    with pytest.raises(DecryptionError):
        KEYRING.open(".".join(parts), AAD)


@pytest.mark.parametrize("bad", ["", "plain text", "sm1.k1.x.y", "sm2.k1.a.b.c", "sm1.k1.!!.b.c", "sm1.k.1.a.b.c"])
def test_malformed_tokens_are_rejected(bad: str) -> None:
    with pytest.raises(DecryptionError):
        KEYRING.open(bad, AAD)


def test_relabelled_key_id_does_not_open() -> None:
    two = KEYRING.with_new_active_key()
    token = two.seal(CANARY, AAD)
    with pytest.raises(DecryptionError):
        two.open(token.replace(".k2.", ".k1.", 1), AAD)


def test_wrong_keyring_does_not_open() -> None:
    token = KEYRING.seal(CANARY, AAD)
    with pytest.raises(DecryptionError) as raised:
        Keyring.generate().open(token, AAD)
    assert "CANARY" not in str(raised.value)


def test_unknown_key_id_is_reported_as_such() -> None:
    token = KEYRING.with_new_active_key().seal(CANARY, AAD)
    with pytest.raises(UnknownKeyError) as raised:
        KEYRING.open(token, AAD)
    assert raised.value.key_id == "k2"


def test_errors_and_repr_never_show_plaintext_or_keys() -> None:
    encoded_keys = [crypto._encode_key(k) for k in KEYRING.keys.values()]
    messages = [repr(KEYRING)]
    for aad in (AAD, b"other"):
        try:
            KEYRING.open(KEYRING.seal(CANARY, AAD)[:-4] + "AAAA", aad)
        except DecryptionError as exc:
            messages.append(str(exc))
    assert len(messages) == 3
    for message in messages:
        assert "CANARY" not in message
        for key in encoded_keys:
            assert key not in message


def test_seal_refuses_non_text() -> None:
    with pytest.raises(TypeError):
        KEYRING.seal(b"bytes", AAD)  # type: ignore[arg-type]


# --- keyring file ---------------------------------------------------------------------------


def test_generated_file_is_private_and_matches_the_format(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "keyring.json"
    crypto.generate_keyring_file(path)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = json.loads(path.read_text())
    assert data["version"] == 1
    assert data["active"] == "k1"
    assert set(data["keys"]) == {"k1"}
    assert len(crypto._decode_key("index_key", data["index_key"])) == 32
    assert list(tmp_path.joinpath("keys").glob(".keyring-*")) == []


def test_generate_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "keyring.json"
    crypto.generate_keyring_file(path)
    before = path.read_text()
    with pytest.raises(KeyringError):
        crypto.generate_keyring_file(path)
    assert path.read_text() == before


def test_add_activate_and_retire(tmp_path: Path) -> None:
    path = tmp_path / "keyring.json"
    crypto.generate_keyring_file(path)
    old = crypto.load_keyring(path)
    token = old.seal(CANARY, AAD)

    assert crypto.add_key_and_activate(path) == "k2"
    rotated = crypto.load_keyring(path)
    assert rotated.active_id == "k2"
    assert rotated.index_key == old.index_key
    assert rotated.open(token, AAD) == CANARY
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

    with pytest.raises(KeyringError, match="active"):
        crypto.retire_key(path, "k2")
    crypto.retire_key(path, "k1")
    retired = crypto.load_keyring(path)
    assert set(retired.keys) == {"k2"}
    with pytest.raises(UnknownKeyError):
        retired.open(token, AAD)
    # A retired id is never handed out again.
    assert crypto.add_key_and_activate(path) == "k3"


def test_loose_permissions_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "keyring.json"
    crypto.generate_keyring_file(path)
    os.chmod(path, 0o644)
    with pytest.raises(KeyringError, match="chmod 600"):
        crypto.load_keyring(path)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.update(version=2),
        lambda d: d.update(active="k9"),
        lambda d: d.update(keys={}),
        lambda d: d["keys"].update(k1="c2hvcnQ="),
        lambda d: d.update(index_key=d["keys"]["k1"]),
        lambda d: d["keys"].update({"bad.id": d["keys"]["k1"]}),
    ],
)
def test_malformed_keyring_is_refused(tmp_path: Path, mutate: object) -> None:
    data = json.loads(Keyring.generate().to_json())
    mutate(data)  # type: ignore[operator]
    with pytest.raises(KeyringError):
        Keyring.from_json(json.dumps(data))


def test_keyring_file_reloads_when_the_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "keyring.json"
    crypto.generate_keyring_file(path)
    lazy = KeyringFile(path, reload_interval=3600)
    eager = KeyringFile(path, reload_interval=0)
    assert lazy.get().active_id == eager.get().active_id == "k1"

    crypto.add_key_and_activate(path)

    assert eager.get().active_id == "k2"
    assert lazy.get().active_id == "k1"  # not re-checked within the interval
    assert lazy.reload().active_id == "k2"
