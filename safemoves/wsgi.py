import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safemoves.settings")

application = get_wsgi_application()

from safemoves.common.gc_tuning import tune_for_serving  # noqa: E402 - needs the apps loaded

tune_for_serving()  # ADR 0038
