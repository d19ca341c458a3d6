from django.urls import path

from safemoves.properties import views

app_name = "properties"

urlpatterns = [
    path("", views.home_list_view, name="list"),
    path("new/", views.home_create_view, name="create"),
    path("import/", views.homes_import_view, name="import"),
    path("import/template.csv", views.import_template_view, name="import_template"),
    path("<uuid:home_id>/", views.home_detail_view, name="detail"),
    path("<uuid:home_id>/edit/", views.home_edit_view, name="edit"),
    path("<uuid:home_id>/withdraw/", views.home_withdraw_view, name="withdraw"),
]
