from django.urls import path

from safemoves.tasks import views

app_name = "tasks"

urlpatterns = [
    path("cases/<uuid:case_id>/new/", views.task_new_view, name="new"),
    path("cases/<uuid:case_id>/<uuid:task_id>/edit/", views.task_edit_view, name="edit"),
    path("cases/<uuid:case_id>/<uuid:task_id>/complete/", views.task_complete_view, name="complete"),
    path("cases/<uuid:case_id>/<uuid:task_id>/reopen/", views.task_reopen_view, name="reopen"),
]
