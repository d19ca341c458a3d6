from django.urls import path

from safemoves.intake import views

app_name = "intake"

urlpatterns = [
    # Public pages. The contact page's address and title say nothing about abuse.
    path("refer/<str:token>/", views.agency_referral_view, name="agency_referral"),
    path("get-in-touch/<slug:org_slug>/", views.contact_view, name="contact"),
    # Staff.
    path("referral-links/", views.links_view, name="links"),
    path("referral-links/<int:link_id>/deactivate/", views.link_deactivate_view, name="link_deactivate"),
]
