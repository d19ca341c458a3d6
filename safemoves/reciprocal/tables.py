"""One row of the scheme pool's table, built in Python (the Jinja2 global ``pool_row``, ADR 0037).

The pool page spent more than half its CPU in its row template: nine variables, four filters and
a URL per row, each through the template engine's lookups, localisation and escaping. This is
the same HTML (ADR 0030), each value escaped as the template escaped it (``common.html.escaped``);
numbers are written as the template wrote them (no thousands separator is configured).
"""

from __future__ import annotations

from django.utils.safestring import SafeString
from django.utils.text import capfirst

from safemoves.common.addresses import object_address
from safemoves.common.html import escaped
from safemoves.reciprocal.profile import ProfileView

_ROW = (
    "<tr>\n"
    '    <td><a href="{}">{}</a>{}</td>\n'
    "    <td>{} adult{}{}</td>\n"
    "    <td>{}</td>\n"
    "    <td>{}</td>\n"
    "    <td>{}</td>\n"
    "    <td>{}</td>\n"
    "    <td>{}</td>\n"
    "    <td>{}</td>\n"
    "  </tr>"
)


def _joined(labels: list[str]) -> str:
    return ", ".join(escaped(label) for label in labels)


def pool_row(profile: ProfileView) -> SafeString:
    """``profile``'s row, as reciprocal/pool.html wrote it."""
    children = f", children {_joined(profile.children_labels)}" if profile.children_age_bands else ""
    return SafeString(
        _ROW.format(
            escaped(object_address("reciprocal:pool_request", profile.request_id)),
            escaped(profile.reference),
            " (ours)" if profile.is_own else "",
            escaped(profile.adults),
            "" if profile.adults == 1 else "s",
            children,
            escaped(profile.bedrooms_needed),
            escaped(profile.access_label),
            _joined(profile.safe_area_labels),
            "Yes" if profile.urgent else "No",
            escaped(profile.days_waiting),
            escaped(capfirst(profile.status)),
        )
    )
