"""Bar charts drawn on the server as SVG: no script, no inline style (the CSP forbids both).

Each bar carries its value in ``data-value`` and the same text as the table cell beside it;
colours come from classes in ``reports/reports.css`` and presentation attributes.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from safemoves.reports.tables import Table

WIDTH = 640
LABEL_WIDTH = 250
VALUE_WIDTH = 60
BAR_HEIGHT = 20
ROW_HEIGHT = 30


def bar_chart(table: Table) -> SafeString:
    """A horizontal bar chart of the table's chart column; empty when the table has none."""
    bars = table.chart_bars()
    if not bars:
        return mark_safe("")
    values = [value for _, value, _ in bars if value is not None]
    low = min([0.0, *values])
    high = max([0.0, *values])
    span = (high - low) or 1.0
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    zero_x = LABEL_WIDTH + plot * (0.0 - low) / span
    height = ROW_HEIGHT * len(bars) + 10
    title_id = f"chart-{table.key}-title"
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="{title_id}" data-table="{escape(table.key)}">',
        f'<title id="{title_id}">{escape(table.title)}: chart of the table beside it</title>',
    ]
    for index, (label, value, shown) in enumerate(bars):
        y = 5 + index * ROW_HEIGHT
        parts.append(
            f'<text class="chart__label" x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end">'
            f"{escape(label[:38])}</text>"
        )
        if value is None:
            parts.append(f'<text class="chart__value" x="{zero_x + 4:.1f}" y="{y + 15}">{escape(shown)}</text>')
            continue
        x0 = zero_x if value >= 0 else zero_x - plot * (-value) / span
        width = plot * abs(value) / span
        parts.append(
            f'<rect class="chart__bar{" chart__bar--negative" if value < 0 else ""}" x="{x0:.1f}" y="{y}" '
            f'width="{width:.1f}" height="{BAR_HEIGHT}" data-label="{escape(label)}" '
            f'data-value="{escape(shown)}"></rect>'
        )
        parts.append(
            f'<text class="chart__value" x="{max(x0 + width, zero_x) + 4:.1f}" y="{y + 15}">{escape(shown)}</text>'
        )
    parts.append(
        f'<line class="chart__axis" x1="{zero_x:.1f}" y1="0" x2="{zero_x:.1f}" y2="{height}" stroke="#0b0c0c"></line>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped above
