"""What a landlord can find its own cases by, through the blind index (ADR 0022).

A case is indexed under its tenant's name (purpose ``name``), its postcode, address, the safe
phone number and the names of its perpetrators, each in its own token space so a phone
number can never match a name. Perpetrators also carry one whole-name token
(``perpetrator_match``) used to notice the same person on another of the landlord's cases.
Every token is keyed per organisation (common/blind_index.py): nothing here can be compared
across landlords.

Plain functions of strings, so the data migration that fills the index uses them too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import models

from safemoves.common.blind_index import normalise_for_search, query_token, search_tokens, word_tokens
from safemoves.geo import PostcodeError, normalise_postcode


class SearchField(models.TextChoices):
    POSTCODE = "postcode", "Postcode"
    ADDRESS = "address", "Address"
    PHONE = "phone", "Phone number"
    PERPETRATOR = "perpetrator", "Perpetrator's name"


# Names that say nothing about who the person is: never matched between cases.
UNKNOWN_NAMES = frozenset({"not known", "unknown", "nk", "n k", "not given", "withheld"})
PERPETRATOR_MATCH = "perpetrator_match"


def normalise_phone(text: str) -> str:
    """Digits only, with the UK country code written as a leading 0 (+44 7700 -> 07700)."""
    digits = re.sub(r"\D", "", text)
    if digits.startswith("0044"):
        digits = "0" + digits[4:]
    elif digits.startswith("44") and len(digits) >= 12:
        digits = "0" + digits[2:]
    return digits


def normalise_postcode_text(text: str) -> str:
    try:
        return normalise_postcode(text)
    except PostcodeError:
        return text.strip().upper()


def _normalise(field: str, text: str) -> str:
    if field == SearchField.PHONE:
        return normalise_phone(text)
    if field == SearchField.POSTCODE:
        return normalise_postcode_text(text)
    return text


def index_texts(
    *, lead_name: str, address: str, postcode: str, phones: Iterable[str], perpetrator_names: Iterable[str]
) -> dict[str, list[str]]:
    """The texts a case is indexed under, by token purpose."""
    return {
        "name": [lead_name],
        SearchField.POSTCODE: [postcode] if postcode.strip() else [],
        SearchField.ADDRESS: [address] if address.strip() else [],
        SearchField.PHONE: [phone for phone in phones if normalise_phone(phone)],
        SearchField.PERPETRATOR: [name for name in perpetrator_names if not is_unknown_name(name)],
    }


def case_tokens(organisation_id: int, texts: dict[str, list[str]]) -> set[str]:
    tokens: set[str] = set()
    for purpose, values in texts.items():
        for value in values:
            tokens |= search_tokens(organisation_id, _normalise(purpose, value), purpose=purpose)
    return tokens


def query_tokens(organisation_id: int, field: str, query: str) -> tuple[set[str], set[str]]:
    """(one token per word, the whole-text token) of a query on ``field``."""
    text = _normalise(field, query)
    whole = query_token(organisation_id, text, purpose=field)
    return word_tokens(organisation_id, text, purpose=field), {whole} if whole else set()


def is_unknown_name(name: str) -> bool:
    normalised = normalise_for_search(name)
    return not normalised or normalised in UNKNOWN_NAMES


def perpetrator_match_token(organisation_id: int, name: str) -> str:
    """The whole-name token that finds the same perpetrator on the landlord's other cases ("" if unnamed)."""
    if is_unknown_name(name):
        return ""
    return query_token(organisation_id, name, purpose=PERPETRATOR_MATCH) or ""
