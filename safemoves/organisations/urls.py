from django.urls import path

from safemoves.organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.staff_list_view, name="staff"),
    path("invite/", views.invite_view, name="invite"),
    path("<int:membership_id>/deactivate/", views.deactivate_view, name="deactivate"),
    path("<int:membership_id>/reactivate/", views.reactivate_view, name="reactivate"),
    path("<int:membership_id>/role/", views.change_role_view, name="change_role"),
    path("<int:membership_id>/reset-second-factor/", views.reset_second_factor_view, name="reset_second_factor"),
    path("invitations/<int:invitation_id>/revoke/", views.revoke_invitation_view, name="revoke_invitation"),
]
