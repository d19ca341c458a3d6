"""``{% jinja "risk/_panel.html" panel=panel %}``: a template of the Jinja2 engine inside a page of
Django's (ADR 0037).

The case page's panels are Jinja2 templates; the few Django pages that show a panel too (a case's
risk and safety pages, its access log) render it through here, so each panel has one source. The
included template sees the variables passed and the request's (``case`` among them when passed).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template import engines
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def jinja(context: template.Context, name: str, **values: Any) -> SafeString:
    request = context.get("request")
    variables: dict[str, Any] = {str(key): value for key, value in context.flatten().items()}
    variables.update(values)
    # The Jinja2 engine escapes what it renders; its output is HTML.
    return mark_safe(engines["jinja2"].get_template(name).render(variables, request))  # noqa: S308
