"""Envelope encryption of personal fields and the keyring that holds the keys.

Pure Python (no Django import) so it can be tested and reasoned about alone.

Every value is sealed under its own random 256-bit data key (AES-256-GCM); the data key is
wrapped (AES key wrap, RFC 3394) under the active key-encryption key (KEK) of the keyring.
The associated data passed by the caller (``"<model label>|<field>|<primary key>"``) is
authenticated together with the token's version and KEK id, so a token copied to another row,
another field or relabelled with another key id does not decrypt.

Token format (ASCII, safe in a text column)::

    sm1.<kek id>.<b64url wrapped data key>.<b64url nonce>.<b64url ciphertext+tag>

The plaintext is UTF-8 padded (ISO/IEC 7816-4) to a multiple of 16 bytes inside the
ciphertext, so the stored length reveals the plaintext length only to within 16 bytes.

Nothing in this module puts plaintext or key material into an exception message.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import fcntl
import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
import threading
import time
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.keywrap import InvalidUnwrap, aes_key_unwrap, aes_key_wrap

TOKEN_VERSION = "sm1"  # noqa: S105 - format tag, not a secret
KEYRING_FORMAT_VERSION = 1
KEY_BYTES = 32
NONCE_BYTES = 12
PAD_BLOCK = 16
BLIND_TOKEN_BYTES = 16
KEY_ID_PATTERN = re.compile(r"\A[A-Za-z0-9_-]{1,32}\Z")
DEFAULT_RELOAD_INTERVAL_SECONDS = 1.0


class CryptoError(Exception):
    """Base class of every error raised by this module."""


class DecryptionError(CryptoError):
    """A token is malformed, was tampered with, belongs to another row/field or key."""


class UnknownKeyError(DecryptionError):
    """The token names a key id that the keyring does not hold (retired or not yet loaded)."""

    def __init__(self, key_id: str, where: str = "") -> None:
        prefix = f"{where}: " if where else ""
        super().__init__(f"{prefix}keyring holds no key with id {key_id!r}")
        self.key_id = key_id


class KeyringError(CryptoError):
    """The keyring file is missing, unreadable, malformed or an operation on it is refused."""


# --- encoding helpers -----------------------------------------------------------------------


def _b64e(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64d(text: str) -> bytes:
    padded = text + "=" * (-len(text) % 4)
    try:
        return base64.b64decode(padded.encode("ascii"), altchars=b"-_", validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise DecryptionError("token is not valid base64url") from None


def _pad(data: bytes) -> bytes:
    padded = data + b"\x80"
    return padded + b"\x00" * (-len(padded) % PAD_BLOCK)


def _unpad(data: bytes) -> bytes:
    end = data.rfind(b"\x80")
    if end < 0 or data[end + 1 :].strip(b"\x00"):
        raise DecryptionError("token padding is invalid")
    return data[:end]


def _full_aad(key_id: str, aad: bytes) -> bytes:
    # The version and key id are authenticated too: relabelling a token fails.
    return f"{TOKEN_VERSION}|{key_id}|".encode("ascii") + aad


def _validate_key_id(key_id: str) -> str:
    if not KEY_ID_PATTERN.match(key_id):
        raise KeyringError(f"invalid key id {key_id!r} (letters, digits, '-' or '_', max 32)")
    return key_id


def _decode_key(name: str, encoded: object) -> bytes:
    if not isinstance(encoded, str):
        raise KeyringError(f"key {name!r} must be a base64 string")
    try:
        raw = base64.b64decode(encoded.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise KeyringError(f"key {name!r} is not valid base64") from None
    if len(raw) != KEY_BYTES:
        raise KeyringError(f"key {name!r} must decode to {KEY_BYTES} bytes")
    return raw


def _encode_key(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def key_id_of(token: str) -> str:
    """Return the KEK id a token was sealed under (no key needed, nothing decrypted)."""
    parts = token.split(".")
    if len(parts) != 5 or parts[0] != TOKEN_VERSION or not KEY_ID_PATTERN.match(parts[1]):
        raise DecryptionError("value is not a SafeMoves sealed token")
    return parts[1]


def looks_sealed(value: str) -> bool:
    """True if ``value`` has the shape of a sealed token (says nothing about authenticity)."""
    try:
        key_id_of(value)
    except DecryptionError:
        return False
    return True


# --- blind index ----------------------------------------------------------------------------

_APOSTROPHES = frozenset("'\u2019\u02bc\u2018`\u00b4")


def normalise_for_search(text: str) -> str:
    """Fold ``text`` so spelling variants of one name compare equal.

    NFKD, accents stripped, casefolded; apostrophes dropped (``O'Brien`` -> ``obrien``), any
    other punctuation or symbol becomes a space (``Smith-Jones`` -> ``smith jones``),
    whitespace collapsed.
    """
    folded = unicodedata.normalize("NFKD", text.casefold())
    out: list[str] = []
    for char in folded:
        category = unicodedata.category(char)
        if category[0] == "M" or char in _APOSTROPHES:
            continue
        if category[0] in "PSZC":
            out.append(" ")
        else:
            out.append(char)
    return " ".join("".join(out).split())


def search_terms(text: str) -> set[str]:
    """The normalised whole string and each of its words (before keyed hashing)."""
    normalised = normalise_for_search(text)
    if not normalised:
        return set()
    return {normalised, *normalised.split(" ")}


@lru_cache(maxsize=4096)
def _org_index_key(index_key: bytes, org_id: str, purpose: str) -> bytes:
    info = f"safemoves blind index v1|{purpose}|{org_id}".encode()
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=info).derive(index_key)


def blind_token(index_key: bytes, org_id: str, term: str, *, purpose: str = "search") -> str:
    """Keyed HMAC-SHA256 of one already-normalised term, under the organisation's own key."""
    digest = hmac.new(_org_index_key(index_key, org_id, purpose), term.encode(), hashlib.sha256)
    return _b64e(digest.digest()[:BLIND_TOKEN_BYTES])


# --- keyring --------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class Keyring:
    """Key-encryption keys by id (one active) and the blind-index root key."""

    keys: Mapping[str, bytes]
    active_id: str
    index_key: bytes
    retired_ids: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        for key_id, raw in self.keys.items():
            _validate_key_id(key_id)
            if len(raw) != KEY_BYTES:
                raise KeyringError(f"key {key_id!r} must be {KEY_BYTES} bytes")
        if self.active_id not in self.keys:
            raise KeyringError(f"active key {self.active_id!r} is not in the keyring")
        if len(self.index_key) != KEY_BYTES:
            raise KeyringError(f"index key must be {KEY_BYTES} bytes")
        if self.index_key in self.keys.values():
            raise KeyringError("the index key must differ from every key-encryption key")
        if self.retired_ids & set(self.keys):
            raise KeyringError("a retired key id is still present in the keyring")

    def __repr__(self) -> str:  # never show key material
        return f"Keyring(active={self.active_id!r}, keys={sorted(self.keys)!r})"

    # -- serialisation --

    @classmethod
    def from_json(cls, text: str) -> Keyring:
        try:
            data: Any = json.loads(text)
        except json.JSONDecodeError:
            raise KeyringError("keyring file is not valid JSON") from None
        if not isinstance(data, dict):
            raise KeyringError("keyring file must hold a JSON object")
        if data.get("version") != KEYRING_FORMAT_VERSION:
            raise KeyringError(f"unsupported keyring version {data.get('version')!r}")
        keys = data.get("keys")
        active = data.get("active")
        retired = data.get("retired", [])
        if not isinstance(keys, dict) or not keys:
            raise KeyringError("keyring 'keys' must be a non-empty object")
        if not isinstance(active, str):
            raise KeyringError("keyring 'active' must be a key id")
        if not isinstance(retired, list) or not all(isinstance(r, str) for r in retired):
            raise KeyringError("keyring 'retired' must be a list of key ids")
        decoded = {_validate_key_id(str(k)): _decode_key(str(k), v) for k, v in keys.items()}
        return cls(
            keys=decoded,
            active_id=active,
            index_key=_decode_key("index_key", data.get("index_key")),
            retired_ids=frozenset(retired),
        )

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": KEYRING_FORMAT_VERSION,
                "active": self.active_id,
                "keys": {k: _encode_key(v) for k, v in sorted(self.keys.items())},
                "index_key": _encode_key(self.index_key),
                "retired": sorted(self.retired_ids),
            },
            indent=2,
        )

    @classmethod
    def generate(cls, key_id: str = "k1") -> Keyring:
        return cls(
            keys={key_id: secrets.token_bytes(KEY_BYTES)},
            active_id=key_id,
            index_key=secrets.token_bytes(KEY_BYTES),
        )

    def with_new_active_key(self) -> Keyring:
        new_id = self.next_key_id()
        return Keyring(
            keys={**self.keys, new_id: secrets.token_bytes(KEY_BYTES)},
            active_id=new_id,
            index_key=self.index_key,
            retired_ids=self.retired_ids,
        )

    def without_key(self, key_id: str) -> Keyring:
        if key_id == self.active_id:
            raise KeyringError(f"refusing to retire the active key {key_id!r}; rotate first")
        if key_id not in self.keys:
            raise KeyringError(f"keyring holds no key with id {key_id!r}")
        return Keyring(
            keys={k: v for k, v in self.keys.items() if k != key_id},
            active_id=self.active_id,
            index_key=self.index_key,
            retired_ids=self.retired_ids | {key_id},
        )

    def next_key_id(self) -> str:
        # Ids are never reused, even after retirement: a reused id would point old tokens
        # at the wrong key.
        used = set(self.keys) | self.retired_ids
        numbers = [int(k[1:]) for k in used if re.fullmatch(r"k\d+", k)]
        return f"k{max(numbers, default=0) + 1}"

    # -- envelope encryption --

    def _wrapper(self, key_id: str) -> bytes:
        try:
            return self.keys[key_id]
        except KeyError:
            raise UnknownKeyError(key_id) from None

    def seal(self, plaintext: str, aad: bytes) -> str:
        """Encrypt ``plaintext`` under a fresh data key wrapped by the active KEK."""
        if not isinstance(plaintext, str):
            raise TypeError("seal() takes text; convert other values to text first")
        key_id = self.active_id
        data_key = AESGCM.generate_key(bit_length=256)
        nonce = os.urandom(NONCE_BYTES)
        ciphertext = AESGCM(data_key).encrypt(nonce, _pad(plaintext.encode("utf-8")), _full_aad(key_id, aad))
        wrapped = aes_key_wrap(self._wrapper(key_id), data_key)
        return ".".join((TOKEN_VERSION, key_id, _b64e(wrapped), _b64e(nonce), _b64e(ciphertext)))

    def open(self, token: str, aad: bytes) -> str:
        """Decrypt a token; raise :class:`DecryptionError` unless it authenticates for ``aad``."""
        key_id = key_id_of(token)
        _, _, wrapped_b64, nonce_b64, ciphertext_b64 = token.split(".")
        kek = self._wrapper(key_id)
        try:
            data_key = aes_key_unwrap(kek, _b64d(wrapped_b64))
        except InvalidUnwrap:
            raise DecryptionError("data key does not unwrap under the named key") from None
        nonce = _b64d(nonce_b64)
        if len(nonce) != NONCE_BYTES or len(data_key) != KEY_BYTES:
            raise DecryptionError("token is malformed")
        try:
            padded = AESGCM(data_key).decrypt(nonce, _b64d(ciphertext_b64), _full_aad(key_id, aad))
        except InvalidTag:
            raise DecryptionError("token does not authenticate (tampered, or bound to another row or field)") from None
        try:
            return _unpad(padded).decode("utf-8")
        except UnicodeDecodeError:
            raise DecryptionError("decrypted value is not UTF-8") from None

    # -- blind index --

    def search_tokens(self, org_id: str, text: str, *, purpose: str = "search") -> set[str]:
        """Blind-index tokens of ``text`` for one organisation (see ``blind_index``)."""
        return {blind_token(self.index_key, org_id, term, purpose=purpose) for term in search_terms(text)}


def aad_for(model_label: str, field_name: str, pk: object) -> bytes:
    """Associated data binding a value to its table, field and row."""
    return f"{model_label}|{field_name}|{pk}".encode()


# --- keyring file ---------------------------------------------------------------------------


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """Serialise writers of one keyring file (two rotations at once would lose a key)."""
    lock_path = path.with_name(path.name + ".lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _write_private_temp(directory: Path, text: str) -> Path:
    fd, name = tempfile.mkstemp(dir=directory, prefix=".keyring-", suffix=".tmp")  # mode 0600
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)
        raise
    return Path(name)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _replace_atomically(path: Path, keyring: Keyring) -> None:
    temp = _write_private_temp(path.parent, keyring.to_json() + "\n")
    os.replace(temp, path)
    _fsync_dir(path.parent)


def load_keyring(path: Path) -> Keyring:
    try:
        mode = path.stat().st_mode
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KeyringError(f"keyring file {str(path)!r} does not exist") from None
    except OSError as exc:
        raise KeyringError(f"keyring file {str(path)!r} is unreadable: {exc.strerror}") from None
    if mode & 0o077:
        raise KeyringError(f"keyring file {str(path)!r} is readable by group or others; chmod 600 it")
    return Keyring.from_json(text)


def generate_keyring_file(path: Path) -> Keyring:
    """Create a new keyring file (0600) atomically; refuse to overwrite an existing one."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    keyring = Keyring.generate()
    temp = _write_private_temp(path.parent, keyring.to_json() + "\n")
    try:
        # link() fails if the target exists: two processes creating at once cannot clobber.
        os.link(temp, path)
    except FileExistsError:
        raise KeyringError(f"keyring file {str(path)!r} already exists") from None
    finally:
        os.unlink(temp)
    _fsync_dir(path.parent)
    return keyring


def add_key_and_activate(path: Path) -> str:
    """Add a fresh KEK to the keyring file, make it the active one, return its id."""
    with _file_lock(path):
        keyring = load_keyring(path).with_new_active_key()
        _replace_atomically(path, keyring)
    return keyring.active_id


def retire_key(path: Path, key_id: str) -> None:
    """Remove a KEK from the keyring file (refused for the active key)."""
    with _file_lock(path):
        keyring = load_keyring(path).without_key(key_id)
        _replace_atomically(path, keyring)


class KeyringFile:
    """A keyring file, cached in memory and reloaded when the file changes.

    The file is stat()ed at most once per ``reload_interval`` seconds, so running processes
    pick up a rotation within about a second without a restart.
    """

    def __init__(self, path: Path, *, reload_interval: float = DEFAULT_RELOAD_INTERVAL_SECONDS) -> None:
        self.path = path
        self.reload_interval = reload_interval
        self._lock = threading.Lock()
        self._keyring: Keyring | None = None
        self._signature: tuple[int, int, int, int] | None = None
        self._checked_at = 0.0

    def _stat_signature(self) -> tuple[int, int, int, int]:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            raise KeyringError(f"keyring file {str(self.path)!r} does not exist") from None
        return (st.st_mtime_ns, st.st_ino, st.st_size, st.st_dev)

    def get(self) -> Keyring:
        now = time.monotonic()
        with self._lock:
            if self._keyring is not None and now - self._checked_at < self.reload_interval:
                return self._keyring
            signature = self._stat_signature()
            if self._keyring is None or signature != self._signature:
                self._keyring = load_keyring(self.path)
                self._signature = signature
            self._checked_at = now
            return self._keyring

    def reload(self) -> Keyring:
        """Re-read the file now (after this process changed it, or on an unknown key id)."""
        with self._lock:
            self._checked_at = 0.0
            self._keyring = None
        return self.get()
