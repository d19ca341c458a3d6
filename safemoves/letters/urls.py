from django.urls import path

from safemoves.letters import views

app_name = "letters"

urlpatterns = [
    path("templates/", views.templates_view, name="templates"),
    path("templates/new/", views.template_new_view, name="template_new"),
    path("templates/<int:template_id>/", views.template_edit_view, name="template_edit"),
    path("case/<uuid:case_id>/write/", views.write_view, name="write"),
    path("case/<uuid:case_id>/<uuid:letter_id>.pdf", views.pdf_view, name="pdf"),
]
