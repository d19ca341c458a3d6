"""The collector's settings for a serving process (ADR 0038).

A staff page allocates tens of thousands of short-lived objects (rows, model instances,
template output); with CPython's default thresholds (700, 10, 10) the cyclic collector runs
about once a page and a full collection, walking every object the process holds (Django, the
URLconf, the templates), every few pages: 5-6 % of a case page's CPU, measured with
``gc.callbacks``. Two settings, both CPython's own:

* what is loaded by the time the process serves (settings, models, URLconf, views) moves to
  the permanent generation (``gc.freeze``), so a full collection no longer walks it;
* the youngest generation is collected after 10,000 net allocations instead of 700: about once
  every ten case pages, each collection still reclaiming every cycle it finds.

Reference counting frees all acyclic garbage at once as before; only cycles wait longer (at
most about 10,000 container objects, a few megabytes, between collections).
"""

from __future__ import annotations

import gc

from django.urls import get_resolver

YOUNGEST_THRESHOLD = 10_000
OLDER_THRESHOLDS = (10, 10)


def tune_for_serving() -> None:
    """Load the URLconf and its views, freeze what is loaded, raise the youngest threshold."""
    get_resolver().url_patterns  # noqa: B018 - imports every view module before the freeze
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNGEST_THRESHOLD, *OLDER_THRESHOLDS)
