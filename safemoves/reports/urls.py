from django.urls import path

from safemoves.reports import views

app_name = "reports"

urlpatterns = [
    path("landlord/", views.landlord_view, name="landlord"),
    path("landlord/<slug:table>.<slug:fmt>", views.landlord_export_view, name="landlord_export"),
    path("scheme/", views.scheme_view, name="scheme"),
    path("scheme/board-pack.pdf", views.board_pack_view, name="board_pack"),
    path("scheme/<slug:table>.<slug:fmt>", views.scheme_export_view, name="scheme_export"),
    path("core/lettings.<slug:fmt>", views.core_export_view, name="core_export"),
]
