"""Times with a time zone read by psycopg's compiled loader (ADR 0039), with the values and the
time zone Django's own loader gives."""

from __future__ import annotations

import datetime

import psycopg
import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import BaseTzLoader
from psycopg.pq import Format

from safemoves.common.db.postgresql.base import _COMPILED_TIMESTAMPTZ, UTCTimestamptzLoader

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the loader is PostgreSQL's"),
]

TIMESTAMPTZ = 1184
# Text as PostgreSQL writes timestamptz, in UTC and (for the conversion) in other offsets.
SAMPLES = [
    "2026-12-01 16:15:05.123456+00",
    "2026-12-01 16:15:05+00",
    "2000-02-29 00:00:00.000001+00",
    "1970-01-01 00:00:00+00",
    "2026-03-29 01:30:00+01",
    "2026-10-25 01:30:00+05:30",
    "1999-12-31 23:59:59.999999-08",
]


def test_the_connection_reads_timestamptz_with_the_compiled_loader() -> None:
    connection.ensure_connection()
    loader = connection.connection.adapters.get_loader(TIMESTAMPTZ, Format.TEXT)
    assert loader is UTCTimestamptzLoader
    assert _COMPILED_TIMESTAMPTZ is not None
    assert _COMPILED_TIMESTAMPTZ.__module__.startswith(("psycopg_binary", "psycopg_c"))


@pytest.mark.parametrize("text", SAMPLES)
def test_a_value_is_the_instant_djangos_loader_reads_in_utc(text: str) -> None:
    connection.ensure_connection()
    raw = connection.connection

    class DjangoUTC(BaseTzLoader):  # type: ignore[misc]  # Django's loader, unannotated
        timezone = datetime.UTC

    ours = UTCTimestamptzLoader(TIMESTAMPTZ, raw).load(text.encode())
    expected = datetime.datetime.fromisoformat(text.replace(" ", "T")).astimezone(datetime.UTC)
    assert ours == expected
    assert ours.tzinfo is datetime.UTC
    if text.endswith("+00"):  # what Django's loader is given on a UTC connection
        theirs = DjangoUTC(TIMESTAMPTZ, raw).load(text.encode())
        assert (ours, ours.tzinfo) == (theirs, theirs.tzinfo)


def test_a_query_gives_aware_utc_datetimes_and_microseconds() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s::timestamptz, '2026-06-01 12:00:00.5+02'::timestamptz",
            [datetime.datetime(2026, 12, 1, 16, 15, 5, 123456, tzinfo=datetime.UTC)],
        )
        first, second = cursor.fetchone()
    assert first == datetime.datetime(2026, 12, 1, 16, 15, 5, 123456, tzinfo=datetime.UTC)
    assert second == datetime.datetime(2026, 6, 1, 10, 0, 0, 500000, tzinfo=datetime.UTC)
    assert first.tzinfo is datetime.UTC
    assert second.tzinfo is datetime.UTC


def test_an_infinite_time_is_refused_as_djangos_loader_refuses_it() -> None:
    connection.ensure_connection()
    with pytest.raises(psycopg.DataError, match=r"timestamp too large \(after year 10K\): 'infinity'"):
        UTCTimestamptzLoader(TIMESTAMPTZ, connection.connection).load(b"infinity")
