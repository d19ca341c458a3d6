"""Addresses of pages about one object, reversed once per process per URL name (ADR 0030).

``reverse()`` walks the URL resolver on every call (about a hundred Python calls); a case page
reverses some twenty addresses and a list one per row. Here each URL name is reversed once per
process with stand-in ids, cut where they appear, and an address is then the pieces joined with
the real ids. Only ids whose text is already URL-safe go in (UUIDs and non-negative integers);
anything else is reversed by Django as before. Nothing personal or scoped is kept: the pieces
depend only on the URL name, the URLconf and the script prefix.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from uuid import UUID

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

# Stand-ins no fixed part of an address contains; each converter (uuid, int, str, slug) accepts them.
_STAND_INS: dict[type, list[object]] = {
    UUID: [UUID(f"5afe5afe-0000-4000-8000-00000000000{index}") for index in range(4)],
    int: [9_876_543_210 + index for index in range(4)],
}


@lru_cache(maxsize=512)
def _pieces(url_name: str, kinds: tuple[type, ...], urlconf: str, prefix: str) -> tuple[str, ...] | None:
    stand_ins = [_STAND_INS[kind][index] for index, kind in enumerate(kinds)]
    try:
        rest = reverse(url_name, args=stand_ins, urlconf=urlconf)
    except NoReverseMatch:
        return None  # a pattern narrower than its converter (a regex route): leave it to reverse()
    pieces = []
    for stand_in in stand_ins:
        before, found, rest = rest.partition(str(stand_in))
        if not found:
            return None  # the address does not show the id as given: leave it to reverse()
        pieces.append(before)
    pieces.append(rest)
    return tuple(pieces)


def _address(url_name: str, ids: tuple[object, ...], urlconf: str, prefix: str) -> str:
    if len(ids) == 1:  # most addresses: one id, a UUID or an integer
        value = ids[0]
        kind = type(value)
        if kind is UUID or (kind is int and value >= 0):  # type: ignore[operator]  # an int here
            pieces = _pieces(url_name, (kind,), urlconf, prefix)
            if pieces is not None:
                return f"{pieces[0]}{value}{pieces[1]}"
    else:
        kinds = tuple(type(value) for value in ids)
        if (
            len(ids) <= 4
            and all(kind in _STAND_INS for kind in kinds)
            and all(not isinstance(value, int) or value >= 0 for value in ids)
        ):
            pieces = _pieces(url_name, kinds, urlconf, prefix)
            if pieces is not None:
                parts = [pieces[0]]
                for value, piece in zip(ids, pieces[1:], strict=True):
                    parts.append(str(value))
                    parts.append(piece)
                return "".join(parts)
    return reverse(url_name, args=list(ids), urlconf=urlconf)


def object_address(url_name: str, *ids: object) -> str:
    """``reverse(url_name, args=ids)``, the same text, without walking the resolver each time."""
    return _address(url_name, ids, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


def page_addresses() -> Callable[..., str]:
    """``object_address`` for the many addresses of one page (a case page writes some twenty):
    the URLconf and the script prefix, two context-local reads, are read once, not once an
    address. The Jinja2 pages get it as ``address`` (``safemoves.web.jinja.addresses``)."""
    urlconf, prefix = get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()

    def address(url_name: str, *ids: object) -> str:
        return _address(url_name, ids, urlconf, prefix)

    return address


def address_of(url_name: str) -> Callable[[object], str]:
    """``object_address(url_name, id)`` for the many ids of one page (a table's rows): the
    URLconf and the script prefix are read once, not once a row."""
    urlconf, prefix = get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()

    def address(value: object) -> str:
        kind = type(value)
        if kind in _STAND_INS and (kind is not int or value >= 0):  # type: ignore[operator]  # an int here
            pieces = _pieces(url_name, (kind,), urlconf, prefix)
            if pieces is not None:
                return f"{pieces[0]}{value}{pieces[1]}"
        return reverse(url_name, args=[value], urlconf=urlconf)

    return address
