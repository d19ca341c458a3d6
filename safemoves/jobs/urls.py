from django.urls import path

from safemoves.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list_view, name="list"),
    path("<uuid:job_id>/", views.job_detail_view, name="detail"),
    path("<uuid:job_id>/download/", views.job_download_view, name="download"),
]
