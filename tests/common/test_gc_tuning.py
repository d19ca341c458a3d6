"""The serving process's collector settings (ADR 0038), read in a process of its own so that
this test process's collector is left as it is."""

import json
import os
import subprocess
import sys

from safemoves.common.gc_tuning import OLDER_THRESHOLDS, YOUNGEST_THRESHOLD

_PROBE = """
import gc, json, sys
import safemoves.wsgi
views_loaded = "safemoves.cases.views" in sys.modules
print(json.dumps({"threshold": gc.get_threshold(), "frozen": gc.get_freeze_count(), "views": views_loaded}))
"""


def test_the_wsgi_application_serves_with_the_tuned_collector() -> None:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    finished = subprocess.run(
        [sys.executable, "-c", _PROBE], env=environment, capture_output=True, text=True, check=True, timeout=120
    )
    seen = json.loads(finished.stdout.strip().splitlines()[-1])
    assert seen["threshold"] == [YOUNGEST_THRESHOLD, *OLDER_THRESHOLDS]
    assert seen["threshold"] == [10_000, 10, 10]
    # The URLconf's views were imported before the freeze, so they sit in the permanent generation.
    assert seen["views"] is True
    assert seen["frozen"] > 10_000


def test_the_defaults_are_what_the_tuning_replaces() -> None:
    probe = "import gc, json; print(json.dumps(gc.get_threshold()))"
    finished = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60)
    assert json.loads(finished.stdout) != [YOUNGEST_THRESHOLD, *OLDER_THRESHOLDS]
