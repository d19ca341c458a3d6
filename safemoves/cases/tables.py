"""One row of a case table, built in Python (the Jinja2 global ``case_row``, ADR 0037).

A list page of 25 cases spent a large share of its CPU resolving the row template's fifteen variables,
filters and tags per row; the row is the same HTML (ADR 0030), each value escaped as ``format_html``
would (``common.html.escaped``).
"""

from __future__ import annotations

from datetime import datetime

from django.utils.safestring import SafeString
from django.utils.timezone import localtime

from safemoves.cases.models import Case
from safemoves.common.addresses import object_address
from safemoves.common.dates import format_date
from safemoves.common.html import escaped

_RESTRICTED = SafeString(' <span class="tag tag--restricted">Restricted</span>')
_OVERDUE = SafeString('<strong class="tag tag--overdue">Overdue</strong> ')
_ROW = (
    '<th scope="row"><a href="{}">{}</a>{}</th>\n'
    "      <td>{}</td>\n"
    "      <td>{}</td>\n"
    "      <td>{}</td>\n"
    "      <td>{}</td>"
)


def case_row(case: Case, now: datetime) -> SafeString:
    """The cells of ``case``'s row in cases/_case_table.html."""
    due_at = case.next_due_at
    if due_at:
        due = (_OVERDUE if due_at < now else "") + escaped(format_date(localtime(due_at), "D j M Y H:i"))
    else:
        due = "None"
    return SafeString(
        _ROW.format(
            escaped(object_address("cases:detail", case.pk)),
            escaped(case.reference),
            _RESTRICTED if case.restricted else "",
            escaped(case.lead_name),
            escaped(case.get_status_display()),
            escaped(case.assigned_officer or "Not assigned"),
            due,
        )
    )
