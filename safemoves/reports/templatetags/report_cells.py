from __future__ import annotations

from django import template

from safemoves.reports.tables import Cell, format_cell

register = template.Library()


@register.filter
def report_cell(cell: Cell) -> str:
    """A table cell as the chart and the downloads show it ("<5" stays "<5")."""
    return format_cell(cell)
