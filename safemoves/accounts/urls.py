from django.urls import path

from safemoves.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.login_view, name="login"),
    path("sign-in/code/", views.verify_view, name="verify"),
    path("sign-in/set-up-code/", views.enrol_view, name="enrol"),
    path("sign-in/recovery-code/", views.recover_view, name="recover"),
    path("recovery-codes/", views.recovery_codes_view, name="recovery_codes"),
    path("sign-out/", views.logout_view, name="logout"),
    path("invitation/<str:token>/", views.accept_invitation_view, name="accept_invitation"),
]
