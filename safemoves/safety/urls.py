from django.urls import path

from safemoves.safety import views

app_name = "safety"

urlpatterns = [
    path("overdue/", views.overdue_view, name="overdue"),
    path("agencies/", views.agency_list_view, name="agencies"),
    path("agencies/new/", views.agency_new_view, name="agency_new"),
    path("cases/<uuid:case_id>/", views.case_safety_view, name="case"),
    path("cases/<uuid:case_id>/actions/first-day/", views.first_day_view, name="first_day"),
    path("cases/<uuid:case_id>/actions/new/", views.action_new_view, name="action_new"),
    path("cases/<uuid:case_id>/actions/<uuid:action_id>/done/", views.action_complete_view, name="action_complete"),
    path("cases/<uuid:case_id>/actions/<uuid:action_id>/cancel/", views.action_cancel_view, name="action_cancel"),
    path("cases/<uuid:case_id>/actions/<uuid:action_id>/owner/", views.action_owner_view, name="action_owner"),
    path("cases/<uuid:case_id>/sanctuary/", views.sanctuary_agreement_view, name="sanctuary"),
    path("cases/<uuid:case_id>/referrals/new/", views.referral_new_view, name="referral_new"),
    path("cases/<uuid:case_id>/referrals/<uuid:referral_id>/", views.referral_update_view, name="referral_update"),
    path("cases/<uuid:case_id>/options/", views.appraisal_view, name="appraisal"),
    path("cases/<uuid:case_id>/options/places/new/", views.place_add_view, name="place_add"),
    path("cases/<uuid:case_id>/options/places/<uuid:place_id>/remove/", views.place_remove_view, name="place_remove"),
]
