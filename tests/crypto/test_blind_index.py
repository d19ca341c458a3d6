"""Blind-index tokens: normalisation and separation between organisations."""

from __future__ import annotations

import pytest

from safemoves.common.blind_index import (
    normalise_for_search,
    query_token,
    search_terms,
    search_tokens,
    word_tokens,
)
from safemoves.common.crypto import Keyring

KEYRING = Keyring.generate()


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("  Zoë   O'Brien ", "zoe obrien"),
        ("ZOE O\u2019BRIEN", "zoe obrien"),
        ("Smith-Jones", "smith jones"),
        ("Straße", "strasse"),
        ("Ångström,\tNiamh", "angstrom niamh"),
        ("DA-2024/0012", "da 2024 0012"),
        ("ﬁona", "fiona"),
        ("!!!", ""),
    ],
)
def test_normalisation(raw: str, normalised: str) -> None:
    assert normalise_for_search(raw) == normalised


def test_terms_are_each_word_and_the_whole() -> None:
    assert search_terms("Zoë  O'Brien") == {"zoe obrien", "zoe", "obrien"}
    assert search_terms("  ") == set()


def test_spelling_variants_give_the_same_tokens() -> None:
    a = search_tokens("7", "Zoë O'Brien", keyring=KEYRING)
    b = search_tokens(7, "  ZOE  obrien ", keyring=KEYRING)
    assert a == b
    assert len(a) == 3


def test_organisations_get_unrelated_tokens() -> None:
    ours = search_tokens("1", "Jane Smith", keyring=KEYRING)
    theirs = search_tokens("2", "Jane Smith", keyring=KEYRING)
    assert ours.isdisjoint(theirs)


def test_purposes_get_unrelated_tokens() -> None:
    names = search_tokens("1", "07700 900123", purpose="name", keyring=KEYRING)
    phones = search_tokens("1", "07700 900123", purpose="phone", keyring=KEYRING)
    assert names.isdisjoint(phones)


def test_another_index_key_gives_unrelated_tokens() -> None:
    other = Keyring.generate()
    assert search_tokens("1", "Jane Smith", keyring=KEYRING).isdisjoint(search_tokens("1", "Jane Smith", keyring=other))


def test_tokens_are_short_opaque_text() -> None:
    for token in search_tokens("1", "Jane Smith", keyring=KEYRING):
        assert len(token) == 22
        assert "jane" not in token.casefold()


def test_query_token_finds_a_word_or_the_whole_name() -> None:
    stored = search_tokens("1", "Jane Smith-Jones", keyring=KEYRING)
    assert query_token("1", "smith", keyring=KEYRING) in stored
    assert query_token("1", "JANE smith jones", keyring=KEYRING) in stored
    assert query_token("1", "jane jones", keyring=KEYRING) not in stored
    assert word_tokens("1", "jones jane", keyring=KEYRING) <= stored
    assert query_token("1", " - ", keyring=KEYRING) is None
    assert query_token("2", "smith", keyring=KEYRING) not in stored
