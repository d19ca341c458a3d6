"""The Jinja2 environment of the pages rendered through Jinja2 (ADR 0037).

The busiest pages (the case page and its panels, the case lists, triage, caseloads, the scheme
pool) and the frame they sit in render through Jinja2, which compiles a template to Python once;
Django's template engine walks its nodes on every render. The pages read as Django's did and
write the same HTML, byte for byte:

* every ``{{ value }}`` is escaped as Django's templates escape it (``html.escape``, so ``'`` is
  ``&#x27;``), and what has ``__html__`` (a ``SafeString``, a form field) goes out as it says;
* the filters with Django's names are Django's own (``linebreaksbr``, ``yesno``, ``join``,
  ``filesizeformat``, ``pluralize``) or the project's (``date``, through the compiled formatter,
  with the local time Django's ``date`` filter is given);
* a name a template does not have is an error (``StrictUndefined``), never an empty string;
* one masked CSRF token a page (``csrf_once``), as Django's ``{% csrf_token %}`` writes it.
"""

from __future__ import annotations

import html
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.template import defaultfilters
from django.template.backends.utils import csrf_input
from django.templatetags.static import static
from django.urls import get_script_prefix
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString
from django.utils.timezone import is_aware, localtime
from django_htmx.jinja import htmx_script
from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

from safemoves.audit.labels import action_label, field_label
from safemoves.cases.tables import case_rows
from safemoves.common.addresses import object_address, page_addresses
from safemoves.common.templatetags.dates import date as django_date
from safemoves.reciprocal.tables import pool_row


def _finalize(value: Any) -> Markup:
    """What Django's templates write for ``{{ value }}``: escaped unless it is safe already."""
    if hasattr(value, "__html__"):
        return Markup(value.__html__())  # noqa: S704 - the value declares its own HTML safe
    return Markup(html.escape(str(value)))  # noqa: S704 - escaped here


def _date(value: Any, fmt: str | None = None) -> str:
    """Django's ``date`` filter, given the local time as Django's engine gives it."""
    if isinstance(value, datetime) and is_aware(value):
        value = localtime(value)
    return django_date(value, fmt)


def _join(value: Any, separator: str) -> Any:
    """Django's ``join``: each item escaped as Django escapes it (a ``SafeString``)."""
    return defaultfilters.join(value, separator, autoescape=True)


def _field_labels(names: Any) -> str:
    return ", ".join(field_label(name) for name in names or ())


def csrf_once(request: HttpRequest) -> dict[str, Any]:
    """A context processor of the Jinja2 engine: one masked CSRF token for the whole page, as
    Django's engine writes it (the backend's own ``csrf_input`` masks a new one at each use)."""
    return {"csrf_input": SimpleLazyObject(lambda: csrf_input(request))}


def addresses(request: HttpRequest) -> dict[str, Any]:
    """A context processor of the Jinja2 engine: ``address()`` with this page's URLconf and
    script prefix read once (``common.addresses.page_addresses``); a template rendered without
    a request keeps the global ``address``, which reads them at each call."""
    return {"address": page_addresses()}


# Settings whose change changes an asset's address or the htmx script tags (Django resets its
# own static files storage on the first two; the script tag names a debug script under DEBUG).
_ASSET_SETTINGS = frozenset({"STATIC_URL", "STORAGES", "STATIC_ROOT", "DEBUG", "FORCE_SCRIPT_NAME"})


@lru_cache(maxsize=256)
def _asset(path: str, prefix: str) -> str:
    return static(path)


def static_asset(path: str) -> str:
    """Django's ``static(path)``, once per path and script prefix per process: every page's
    frame names the same three assets, and the storage gives one address for each until the
    settings change (a manifest storage reads its manifest once per process too)."""
    return _asset(path, get_script_prefix())


@lru_cache(maxsize=4)
def _htmx_tags(prefix: str) -> SafeString:
    return htmx_script()


def htmx_tags() -> SafeString:
    """django-htmx's ``htmx_script()``, once per script prefix per process (its tags name
    static assets, as :func:`static_asset`)."""
    return _htmx_tags(get_script_prefix())


@receiver(setting_changed)
def _forget_assets(*, setting: str, **kwargs: Any) -> None:
    if setting in _ASSET_SETTINGS:
        _asset.cache_clear()
        _htmx_tags.cache_clear()


def environment(**options: Any) -> Environment:
    options["undefined"] = StrictUndefined
    options["finalize"] = _finalize
    options["keep_trailing_newline"] = True  # as Django's engine keeps it
    env = Environment(**options)  # noqa: S701 - the backend passes autoescape=True (a test holds it)
    env.globals.update(
        {
            "address": object_address,
            "static": static_asset,
            "htmx_script": htmx_tags,
            "case_rows": case_rows,
            "pool_row": pool_row,
        }
    )
    env.filters.update(
        {
            "date": _date,
            "linebreaksbr": defaultfilters.linebreaksbr,
            "linebreaks": defaultfilters.linebreaks_filter,
            "yesno": defaultfilters.yesno,
            "join": _join,
            "pluralize": defaultfilters.pluralize,
            "filesizeformat": defaultfilters.filesizeformat,
            "action_label": action_label,
            "field_labels": _field_labels,
        }
    )
    return env
