"""The compiled date formatter writes exactly what Django's ``date`` filter writes (ADR 0033)."""

from __future__ import annotations

import datetime
import re
import zoneinfo
from pathlib import Path

import pytest
from django.template import Context, Template, engines
from django.template.defaultfilters import date as django_date
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from safemoves.common import dates
from safemoves.common.templatetags.dates import date as our_date

LONDON = zoneinfo.ZoneInfo("Europe/London")
ROOT = Path(__file__).resolve().parents[2] / "safemoves"


def _formats_in_templates() -> set[str]:
    found: set[str] = set()
    for path in ROOT.rglob("*.html"):
        found.update(re.findall(r'\|date:"([^"]*)"', path.read_text(encoding="utf-8")))
    return found


FORMATS = sorted(
    _formats_in_templates()
    | {"D j M Y H:i", "d/m/Y", "n/j/y G:i:s", "N j, Y", r"\D\a\y j", "jS F Y", "DATE_FORMAT", "", "r"}
)
moments = st.datetimes(
    min_value=datetime.datetime(1900, 1, 1),  # noqa: DTZ001 - Hypothesis takes naive bounds with timezones=
    max_value=datetime.datetime(2200, 12, 31),  # noqa: DTZ001
    timezones=st.just(LONDON),
)


def test_every_format_in_the_templates_is_compiled() -> None:
    used = _formats_in_templates()
    assert len(used) >= 10  # the search found the templates' formats
    assert all(dates._compile(fmt) is not None for fmt in used), used


@settings(max_examples=150, deadline=None)
@given(moment=moments, fmt=st.sampled_from(FORMATS))
def test_a_datetime_reads_as_django_writes_it(moment: datetime.datetime, fmt: str) -> None:
    assert our_date(moment, fmt) == django_date(moment, fmt)


@settings(max_examples=80, deadline=None)
@given(day=st.dates(min_value=datetime.date(1900, 1, 1)), fmt=st.sampled_from(FORMATS))
def test_a_date_reads_as_django_writes_it(day: datetime.date, fmt: str) -> None:
    try:
        expected = django_date(day, fmt)
    except TypeError:  # a time letter on a plain date: Django refuses, and so do we
        with pytest.raises(TypeError):
            our_date(day, fmt)
        return
    assert our_date(day, fmt) == expected


@pytest.mark.parametrize("value", [None, "", "not a date", 12, datetime.time(9, 30)])
def test_what_is_not_a_date_goes_where_django_sends_it(value: object) -> None:
    assert our_date(value, "j M Y H:i") == django_date(value, "j M Y H:i")  # type: ignore[arg-type]


def test_another_language_gets_its_own_names() -> None:
    moment = datetime.datetime(2026, 3, 2, 9, 5, tzinfo=LONDON)
    with translation.override("fr"):
        assert our_date(moment, "l j F Y") == django_date(moment, "l j F Y") == "lundi 2 mars 2026"
    assert our_date(moment, "l j F Y") == "Monday 2 March 2026"


def test_templates_use_it_and_convert_to_local_time_first() -> None:
    engine = engines["django"].engine  # type: ignore[attr-defined]
    assert engine.template_builtins[-1].filters["date"] is our_date
    summer = datetime.datetime(2026, 7, 1, 23, 30, tzinfo=datetime.UTC)  # 00:30 the next day in London
    shown = Template('{{ when|date:"D j M Y H:i" }}').render(Context({"when": summer}))
    assert shown == "Thu 2 Jul 2026 00:30"
