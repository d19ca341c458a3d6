"""Blind index: find a record by name or reference without storing it in clear.

Each search term (the whole normalised text and each of its words) is hashed with
HMAC-SHA256 under a key that is derived (HKDF) from the keyring's index key *and the
organisation id*, so the same name gives unrelated tokens in two organisations and no token
is ever comparable across organisations. See ADR 0006 for what the tokens still reveal.

Usage in a service::

    tokens = search_tokens(case.organisation_id, full_name)          # when writing
    token = query_token(request_org_id, query_text)                  # when searching

Store the tokens in a row per (organisation, token, record) and look records up by
``token``; a multi-word query can also require every word token to be present.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from safemoves.common.crypto import blind_token, normalise_for_search, search_terms

if TYPE_CHECKING:
    from safemoves.common.crypto import Keyring

__all__ = [
    "normalise_for_search",
    "query_token",
    "search_terms",
    "search_tokens",
    "word_tokens",
]


def _keyring(keyring: Keyring | None) -> Keyring:
    if keyring is not None:
        return keyring
    from safemoves.common.keyring import get_keyring  # noqa: PLC0415 - Django settings only when needed

    return get_keyring()


def search_tokens(org_id: str | int, text: str, *, purpose: str = "search", keyring: Keyring | None = None) -> set[str]:
    """Tokens to store for ``text`` (each word and the whole normalised string).

    ``purpose`` separates token spaces (e.g. ``"name"``, ``"reference"``) so a phone number
    token can never be matched against a name token.
    """
    return _keyring(keyring).search_tokens(str(org_id), text, purpose=purpose)


def query_token(org_id: str | int, text: str, *, purpose: str = "search", keyring: Keyring | None = None) -> str | None:
    """The single token to look up for a query (its whole normalised text), or ``None``.

    A query of one word matches records containing that word; a query of several words
    matches records whose whole normalised text is exactly the query.
    """
    normalised = normalise_for_search(text)
    if not normalised:
        return None
    return blind_token(_keyring(keyring).index_key, str(org_id), normalised, purpose=purpose)


def word_tokens(org_id: str | int, text: str, *, purpose: str = "search", keyring: Keyring | None = None) -> set[str]:
    """One token per word of a query, for an "every word present" search."""
    index_key = _keyring(keyring).index_key
    words = {w for w in normalise_for_search(text).split(" ") if w}
    return {blind_token(index_key, str(org_id), w, purpose=purpose) for w in words}
