from django.urls import path

from safemoves.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list_view, name="list"),
    path("triage/", views.triage_view, name="triage"),
    path("find/", views.find_cases_view, name="find"),
    path("caseloads/", views.caseloads_view, name="caseloads"),
    path("new/", views.open_case_view, name="open"),
    path("<uuid:case_id>/", views.case_detail_view, name="detail"),
    path("<uuid:case_id>/edit/", views.case_edit_view, name="edit"),
    path("<uuid:case_id>/contact-rules/", views.contact_rules_view, name="contact_rules"),
    path("<uuid:case_id>/household/add/", views.household_add_view, name="household_add"),
    path("<uuid:case_id>/household/<uuid:member_id>/remove/", views.household_remove_view, name="household_remove"),
    path("<uuid:case_id>/perpetrators/add/", views.perpetrator_add_view, name="perpetrator_add"),
    path(
        "<uuid:case_id>/perpetrators/<uuid:perpetrator_id>/edit/",
        views.perpetrator_edit_view,
        name="perpetrator_edit",
    ),
    path(
        "<uuid:case_id>/perpetrators/<uuid:perpetrator_id>/orders/add/",
        views.court_order_add_view,
        name="court_order_add",
    ),
    path("<uuid:case_id>/consent/", views.consent_add_view, name="consent_add"),
    path("<uuid:case_id>/notes/add/", views.note_add_view, name="note_add"),
    path("<uuid:case_id>/contact/", views.contact_view, name="contact"),
    path("<uuid:case_id>/letter/", views.letter_view, name="letter"),
    path("<uuid:case_id>/assign/", views.assign_view, name="assign"),
    path("<uuid:case_id>/restrict/", views.restrict_view, name="restrict"),
    path("<uuid:case_id>/close/", views.close_view, name="close"),
    path("<uuid:case_id>/access-log/", views.access_log_view, name="access_log"),
    path("<uuid:case_id>/export.json", views.export_json_view, name="export_json"),
    path("<uuid:case_id>/export/", views.export_html_view, name="export_html"),
    path("<uuid:case_id>/marac-summary/", views.marac_summary_view, name="marac_summary"),
    path("<uuid:case_id>/marac-summary.pdf", views.marac_summary_pdf_view, name="marac_summary_pdf"),
]
