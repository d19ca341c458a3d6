"""Production settings plus one bench-only page; used only by ``python -m bench web``."""

from safemoves.settings import *  # noqa: F403

ROOT_URLCONF = "bench.web_urls"
