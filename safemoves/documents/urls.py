from django.urls import path

from safemoves.documents import views

app_name = "documents"

urlpatterns = [
    path("case/<uuid:case_id>/upload/", views.upload_view, name="upload"),
    path("case/<uuid:case_id>/<uuid:document_id>/", views.download_view, name="download"),
]
