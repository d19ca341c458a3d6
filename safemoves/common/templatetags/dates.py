"""The ``date`` filter, as Django's, through the compiled formatter (``safemoves.common.dates``).

Loaded as a template builtin after Django's own (settings ``TEMPLATES``), so every
``|date:"..."`` in every template uses it; the text is Django's, letter for letter (ADR 0033).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import dateformat

from safemoves.common.dates import format_date

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def date(value: Any, arg: str | None = None) -> str:
    """Django's ``date`` filter (django/template/defaultfilters.py), the same steps and fallbacks."""
    if value in (None, ""):
        return ""
    try:
        return format_date(value, arg)
    except AttributeError:
        try:
            return dateformat.format(value, arg)  # type: ignore[arg-type]  # as Django's filter passes it
        except AttributeError:
            return ""
