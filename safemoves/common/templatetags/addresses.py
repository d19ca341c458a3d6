"""``{% address 'app:name' case.pk %}``: ``{% url %}`` for pages about objects, reversed once
per process per URL name (``safemoves.common.addresses``, ADR 0030)."""

from __future__ import annotations

from django import template

from safemoves.common.addresses import object_address

register = template.Library()


@register.simple_tag
def address(url_name: str, *ids: object) -> str:
    return object_address(url_name, *ids)
