from django.urls import include, path

from safemoves.api.urls import api_v1_patterns
from safemoves.web import readiness as health

urlpatterns = [
    # /healthz (the process is up) is web:health; /readyz checks what a request needs.
    path("readyz", health.readyz_view, name="readyz"),
    path("jobs/", include("safemoves.jobs.urls")),
    path("", include("safemoves.web.urls")),
    path("account/", include("safemoves.accounts.urls")),
    path("staff/", include("safemoves.organisations.urls")),
    path("audit/", include("safemoves.audit.urls")),
    path("homes/", include("safemoves.properties.urls")),
    path("cases/", include("safemoves.cases.urls")),
    path("risk/", include("safemoves.risk.urls")),
    path("safety/", include("safemoves.safety.urls")),
    path("emergency/", include("safemoves.emergency.urls")),
    path("reciprocal/", include("safemoves.reciprocal.urls")),
    path("documents/", include("safemoves.documents.urls")),
    path("letters/", include("safemoves.letters.urls")),
    path("tasks/", include("safemoves.tasks.urls")),
    path("notifications/", include("safemoves.notifications.urls")),
    path("reports/", include("safemoves.reports.urls")),
    path("", include("safemoves.intake.urls")),
    path("staff/", include("safemoves.api.urls")),
    path("api/v1/", include((api_v1_patterns, "api"))),
]

handler404 = "safemoves.web.errors.not_found"
handler500 = "safemoves.web.errors.server_error"
