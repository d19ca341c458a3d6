from django.urls import path

from safemoves.risk import views

app_name = "risk"

urlpatterns = [
    path("settings/", views.risk_settings_view, name="settings"),
    path("cases/<uuid:case_id>/", views.risk_view, name="case"),
    path("cases/<uuid:case_id>/dash/new/", views.assessment_new_view, name="assessment_new"),
    path("cases/<uuid:case_id>/dash/<uuid:assessment_id>/", views.assessment_detail_view, name="assessment_detail"),
    path("cases/<uuid:case_id>/marac/new/", views.marac_new_view, name="marac_new"),
    path("cases/<uuid:case_id>/marac/<uuid:referral_id>/", views.marac_update_view, name="marac_update"),
    path("cases/<uuid:case_id>/marac/<uuid:referral_id>/transfer/", views.marac_transfer_view, name="marac_transfer"),
]
