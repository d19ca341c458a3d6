"""The Celery application: ``celery -A safemoves.jobs.queue worker`` (or ``safemoves worker``).

Its configuration is Django's settings under the ``CELERY_`` prefix (ADR 0025). Without a broker
(``CELERY_BROKER_URL``/``REDIS_URL`` unset) every task runs in-process, at once.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safemoves.settings")

app = Celery("safemoves")
app.config_from_object("django.conf:settings", namespace="CELERY")
