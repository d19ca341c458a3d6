from django.urls import path

from safemoves.web import views

app_name = "web"

urlpatterns = [
    path("", views.home_view, name="home"),
    path("healthz", views.health_view, name="health"),
]
