from django.urls import include, path

urlpatterns = [
    path("", include("safemoves.web.urls")),
    path("account/", include("safemoves.accounts.urls")),
    path("staff/", include("safemoves.organisations.urls")),
    path("audit/", include("safemoves.audit.urls")),
    path("homes/", include("safemoves.properties.urls")),
    path("cases/", include("safemoves.cases.urls")),
    path("risk/", include("safemoves.risk.urls")),
    path("safety/", include("safemoves.safety.urls")),
    path("reciprocal/", include("safemoves.reciprocal.urls")),
    path("reports/", include("safemoves.reports.urls")),
    path("", include("safemoves.intake.urls")),
]

handler404 = "safemoves.web.errors.not_found"
handler500 = "safemoves.web.errors.server_error"
