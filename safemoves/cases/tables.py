"""The rows of a case table, built in Python (the Jinja2 global ``case_rows``, ADR 0037).

A list page of 25 cases spent a large share of its CPU resolving the row template's fifteen variables,
filters and tags per row; the row is the same HTML (ADR 0030), each value escaped as ``format_html``
would (``common.html.escaped``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, tzinfo
from typing import Any

from django.utils.safestring import SafeString
from django.utils.timezone import get_current_timezone

from safemoves.cases.models import Case
from safemoves.common.addresses import address_of
from safemoves.common.dates import formatter
from safemoves.common.html import escaped

DUE_FORMAT = "D j M Y H:i"

_RESTRICTED = SafeString(' <span class="tag tag--restricted">Restricted</span>')
_OVERDUE = SafeString('<strong class="tag tag--overdue">Overdue</strong> ')
_ROW = (
    '<th scope="row"><a href="{}">{}</a>{}</th>\n'
    "      <td>{}</td>\n"
    "      <td>{}</td>\n"
    "      <td>{}</td>\n"
    "      <td>{}</td>"
)


def case_rows(cases: Iterable[Case], now: datetime) -> list[SafeString]:
    """The cells of each case's row in cases/_case_table.html.

    What every row shares (the address of a case page, the time zone, the due format in the
    current language) is looked up once per table, not once a row.
    """
    address = address_of("cases:detail")
    zone = get_current_timezone()
    due_text = formatter(DUE_FORMAT)
    return [_row(case, now, address, zone, due_text) for case in cases]


def _row(
    case: Case, now: datetime, address: Callable[[object], str], zone: tzinfo, due_text: Callable[[Any], str]
) -> SafeString:
    due_at = case.next_due_at
    due = "None"  # as the template wrote an empty clock
    if due_at:
        due = (_OVERDUE if due_at < now else "") + escaped(due_text(due_at.astimezone(zone)))
    return SafeString(
        _ROW.format(
            escaped(address(case.pk)),
            escaped(case.reference),
            _RESTRICTED if case.restricted else "",
            escaped(case.lead_name),
            escaped(case.get_status_display()),
            escaped(case.assigned_officer or "Not assigned"),
            due,
        )
    )
