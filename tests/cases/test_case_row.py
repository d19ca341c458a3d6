"""A case table's row is the HTML ``format_html`` makes of the same values, whatever they hold."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy
from hypothesis import given, settings
from hypothesis import strategies as st

from safemoves.accounts.models import User
from safemoves.cases.codes import CaseStatus
from safemoves.cases.models import Case
from safemoves.cases.tables import case_rows
from safemoves.common.addresses import address_of, object_address
from safemoves.common.dates import format_date, formatter
from safemoves.common.html import escaped

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
# Text that needs escaping, and text that does not.
TEXT = st.text(alphabet=st.sampled_from("aZ09 &<>\"'/=é—\n"), max_size=30)


def _with_format_html(case: Case, now: datetime) -> SafeString:
    """The row as it was built before (ADR 0030): the oracle."""
    due_at = case.next_due_at
    if due_at:
        overdue = SafeString('<strong class="tag tag--overdue">Overdue</strong> ') if due_at < now else ""
        due = format_html("{}{}", overdue, format_date(localtime(due_at), "D j M Y H:i"))
    else:
        due = SafeString("None")
    return format_html(
        '<th scope="row"><a href="{}">{}</a>{}</th>\n'
        "      <td>{}</td>\n"
        "      <td>{}</td>\n"
        "      <td>{}</td>\n"
        "      <td>{}</td>",
        object_address("cases:detail", case.pk),
        case.reference,
        SafeString(' <span class="tag tag--restricted">Restricted</span>') if case.restricted else "",
        case.lead_name,
        case.get_status_display(),
        case.assigned_officer or "Not assigned",
        due,
    )


@settings(deadline=None)  # the first example loads the URL resolver
@given(
    reference=TEXT,
    lead_name=TEXT,
    status=st.sampled_from(CaseStatus.values),
    restricted=st.booleans(),
    officer=st.one_of(st.none(), TEXT),
    due_in=st.one_of(st.none(), st.integers(min_value=-10_000, max_value=10_000)),
)
def test_the_row_is_what_format_html_makes(
    reference: str, lead_name: str, status: str, restricted: bool, officer: str | None, due_in: int | None
) -> None:
    case = Case(
        reference=reference,
        status=status,
        restricted=restricted,
        next_due_at=None if due_in is None else NOW + timedelta(minutes=due_in),
    )
    case.lead_name = lead_name
    if officer is not None:
        case.assigned_officer = User(full_name=officer, email="officer@example.org")
    [row] = case_rows([case], NOW)
    assert isinstance(row, SafeString)
    assert row == _with_format_html(case, NOW)


def test_values_are_escaped_as_conditional_escape_escapes_them() -> None:
    examples: list[Any] = ["<b>&\"'", mark_safe("<b>kept</b>"), gettext_lazy("Not assigned"), 42, None]
    assert [escaped(value) for value in examples] == [str(conditional_escape(value)) for value in examples]
    assert escaped("<script>") == "&lt;script&gt;"


def test_each_row_of_a_table_is_its_own_case() -> None:
    cases = [
        Case(pk=uuid.UUID(int=index + 1), reference=f"R-{index}", status=CaseStatus.NEW, next_due_at=NOW)
        for index in range(3)
    ]
    for index, case in enumerate(cases):
        case.lead_name = f"Tenant {index} & <co>"
    assert case_rows(cases, NOW) == [_with_format_html(case, NOW) for case in cases]
    assert case_rows([], NOW) == []


@settings(deadline=None)
@given(
    value=st.one_of(
        st.tuples(st.just("cases:detail"), st.uuids()),
        st.tuples(st.just("letters:template_edit"), st.integers(min_value=0, max_value=10**12)),
        st.tuples(st.just("accounts:accept_invitation"), st.text(alphabet="abZ09-_", min_size=1, max_size=20)),
    )
)
def test_an_address_of_many_is_the_address_of_one(value: tuple[str, object]) -> None:
    name, given_id = value
    assert address_of(name)(given_id) == object_address(name, given_id) == reverse(name, args=[given_id])


@settings(deadline=None)
@given(value=st.one_of(st.none(), st.dates(), st.datetimes(timezones=st.just(UTC))))
def test_a_formatter_of_many_formats_as_format_date(value: object) -> None:
    for fmt in ("D j M Y H:i", "j F Y", "DATE_FORMAT"):
        try:
            expected = format_date(value, fmt)
        except (AttributeError, TypeError) as exc:
            with pytest.raises(type(exc)):
                formatter(fmt)(value)
        else:
            assert formatter(fmt)(value) == expected
