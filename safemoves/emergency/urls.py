from django.urls import path

from safemoves.emergency import views

app_name = "emergency"

urlpatterns = [
    path("cases/<uuid:case_id>/offers/new/", views.offer_new_view, name="offer_new"),
    path("cases/<uuid:case_id>/offers/<uuid:offer_id>/", views.offer_edit_view, name="offer_edit"),
]
