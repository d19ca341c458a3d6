"""Django's ``date`` formatting, compiled once per format string (ADR 0033).

``{{ value|date:"j M Y H:i" }}`` cost about 50 microseconds a value: Django parses the
format string, dispatches each letter by name and translates each day and month name afresh.
A case table of 25 rows, or a case page's history, spent more on its dates than on its query.

:func:`format_date` gives the same text as ``django.utils.formats.date_format(value, fmt)`` for
the format letters this product uses (``D l j d F M m n N Y y H G i s``, and escaped letters),
from a formatter compiled once per format string, with the day and month names read once per
language from Django's own translated tables. Any other letter, a named format
(``"DATE_FORMAT"``), a time letter on a plain date, or anything that is not a date goes to
Django's own function. ``tests/common/test_dates.py`` compares the two on generated dates for
every format string in the templates.

The ``date`` template filter is replaced by one that calls it (``safemoves.common.templatetags
.dates``, a template builtin loaded after Django's).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.utils import formats, translation
from django.utils.dateformat import re_escaped, re_formatchars
from django.utils.dates import MONTHS, MONTHS_3, MONTHS_AP, WEEKDAYS, WEEKDAYS_ABBR

__all__ = ["format_date", "formatter"]

_Names = dict[str, tuple[str, ...]]
_Piece = Callable[[Any, _Names], str]

# Django's dateformat letters this module writes; any other letter leaves the format to Django.
_DATE_LETTERS: dict[str, _Piece] = {
    "D": lambda value, names: names["weekdays_abbr"][value.weekday()],
    "l": lambda value, names: names["weekdays"][value.weekday()],
    "j": lambda value, names: str(value.day),
    "d": lambda value, names: f"{value.day:02d}",
    "F": lambda value, names: names["months"][value.month - 1],
    "M": lambda value, names: names["months_3"][value.month - 1],
    "N": lambda value, names: names["months_ap"][value.month - 1],
    "m": lambda value, names: f"{value.month:02d}",
    "n": lambda value, names: str(value.month),
    "Y": lambda value, names: f"{value.year:04d}",
    "y": lambda value, names: f"{value.year % 100:02d}",
}
_TIME_LETTERS: dict[str, _Piece] = {
    "H": lambda value, names: f"{value.hour:02d}",
    "G": lambda value, names: str(value.hour),
    "i": lambda value, names: f"{value.minute:02d}",
    "s": lambda value, names: f"{value.second:02d}",
}


class _Compiled:
    __slots__ = ("has_time", "pieces")

    def __init__(self, pieces: list[str | _Piece], has_time: bool) -> None:
        self.pieces = pieces
        self.has_time = has_time


_MISSING: Any = object()
_compiled: dict[str, _Compiled | None] = {}
_names: dict[str | None, _Names] = {}
_MAX_FORMATS = 256


def _compile(fmt: str) -> _Compiled | None:
    """The pieces of ``fmt``, split and unescaped with Django's own expressions."""
    pieces: list[str | _Piece] = []
    has_time = False
    for index, part in enumerate(re_formatchars.split(fmt)):
        if index % 2:
            letter = _DATE_LETTERS.get(part) or _TIME_LETTERS.get(part)
            if letter is None:
                return None
            has_time = has_time or part in _TIME_LETTERS
            pieces.append(letter)
        elif part:
            pieces.append(re_escaped.sub(r"\1", part))
    return _Compiled(pieces, has_time)


def _names_for(language: str | None) -> _Names:
    names = _names.get(language)
    if names is None:
        names = {
            "weekdays": tuple(str(WEEKDAYS[day]) for day in range(7)),
            "weekdays_abbr": tuple(str(WEEKDAYS_ABBR[day]) for day in range(7)),
            "months": tuple(str(MONTHS[month]) for month in range(1, 13)),
            "months_3": tuple(str(MONTHS_3[month]).title() for month in range(1, 13)),
            "months_ap": tuple(str(MONTHS_AP[month]) for month in range(1, 13)),
        }
        _names[language] = names
    return names


def _compiled_for(fmt: str) -> _Compiled | None:
    compiled: _Compiled | None = _compiled.get(fmt, _MISSING)
    if compiled is _MISSING:
        # A named format ("DATE_FORMAT") is all capitals and underscores: a letter "D", "A" ...
        # would not stand for itself there, so such a format goes to Django.
        compiled = None if fmt.replace("_", "").isupper() and "_" in fmt else _compile(fmt)
        if len(_compiled) < _MAX_FORMATS:
            _compiled[fmt] = compiled
    return compiled


def _written(value: Any, fmt: str, compiled: _Compiled, names: _Names) -> str:
    """``value`` in the compiled format, or through Django where the format cannot write it."""
    if not isinstance(value, datetime.date) or (compiled.has_time and not isinstance(value, datetime.datetime)):
        return formats.date_format(value, fmt)
    return "".join(piece if isinstance(piece, str) else piece(value, names) for piece in compiled.pieces)


def format_date(value: Any, fmt: str | None = None) -> str:
    """``django.utils.formats.date_format(value, fmt)``, from a formatter compiled once."""
    if not fmt or not isinstance(value, datetime.date):
        return formats.date_format(value, fmt)
    compiled = _compiled_for(fmt)
    if compiled is None:
        return formats.date_format(value, fmt)
    return _written(value, fmt, compiled, _names_for(translation.get_language()))


def formatter(fmt: str) -> Callable[[Any], str]:
    """``format_date(value, fmt)`` for the many values of one page (a table's rows): the format
    compiled and the language's day and month names looked up once, not once a value."""
    compiled = _compiled_for(fmt) if fmt else None
    if compiled is None:
        return lambda value: format_date(value, fmt)
    names = _names_for(translation.get_language())
    return lambda value: _written(value, fmt, compiled, names)
