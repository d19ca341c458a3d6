from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from safemoves.common.decorators import allowed_if
from safemoves.common.forms import act, submit
from safemoves.common.http import StaffRequest
from safemoves.organisations import policies, selectors, services
from safemoves.organisations.forms import InviteForm, RoleForm


@allowed_if(policies.can_manage_staff)
@require_http_methods(["GET"])
def staff_list_view(request: StaffRequest) -> HttpResponse:
    organisation = request.membership.organisation
    return render(
        request,
        "organisations/staff_list.html",
        {
            "members": selectors.staff_list(organisation=organisation),
            "invitations": selectors.open_invitations(organisation=organisation),
            "role_form": RoleForm(),
        },
    )


@allowed_if(policies.can_manage_staff)
@require_http_methods(["GET", "POST"])
def invite_view(request: StaffRequest) -> HttpResponse:
    form = InviteForm(request.POST if request.method == "POST" else None)
    link = None
    if request.method == "POST" and submit(
        form,
        lambda data: services.invitation_create(
            organisation=request.membership.organisation,
            invited_by=request.user,
            base_url=request.build_absolute_uri("/"),
            **data,
        ),
    ):
        messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
        return redirect("organisations:staff")
    return render(request, "organisations/invite.html", {"form": form, "link": link})


@allowed_if(policies.can_manage_staff)
@require_POST
def deactivate_view(request: StaffRequest, membership_id: int) -> HttpResponse:
    member = selectors.get_member(organisation=request.membership.organisation, membership_id=membership_id)
    act(
        request,
        lambda: services.member_deactivate(membership=member, actor=request.user),
        lambda done: " ".join([f"{member.user.full_name} can no longer sign in; their sessions have ended.", *done]),
    )
    return redirect("organisations:staff")


@allowed_if(policies.can_manage_staff)
@require_POST
def reactivate_view(request: StaffRequest, membership_id: int) -> HttpResponse:
    member = selectors.get_member(organisation=request.membership.organisation, membership_id=membership_id)
    act(
        request,
        lambda: services.member_reactivate(membership=member, actor=request.user),
        f"{member.user.full_name} can sign in again.",
    )
    return redirect("organisations:staff")


@allowed_if(policies.can_manage_staff)
@require_POST
def change_role_view(request: StaffRequest, membership_id: int) -> HttpResponse:
    member = selectors.get_member(organisation=request.membership.organisation, membership_id=membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a role from the list.")
        return redirect("organisations:staff")
    act(
        request,
        lambda: services.member_change_role(membership=member, actor=request.user, role=form.cleaned_data["role"]),
        lambda done: " ".join([f"{member.user.full_name} is now: {member.get_role_display()}.", *done]),
    )
    return redirect("organisations:staff")


@allowed_if(policies.can_manage_staff)
@require_POST
def revoke_invitation_view(request: StaffRequest, invitation_id: int) -> HttpResponse:
    invitation = get_object_or_404(
        selectors.open_invitations(organisation=request.membership.organisation), pk=invitation_id
    )
    act(
        request,
        lambda: services.invitation_revoke(invitation=invitation, actor=request.user),
        f"The invitation to {invitation.email} was withdrawn.",
    )
    return redirect("organisations:staff")


@allowed_if(policies.can_manage_staff)
@require_http_methods(["GET", "POST"])
def reset_second_factor_view(request: StaffRequest, membership_id: int) -> HttpResponse:
    """Asks to confirm first (a page, so it works without JavaScript), then resets."""
    member = selectors.get_member(organisation=request.membership.organisation, membership_id=membership_id)
    if request.method == "POST":
        act(
            request,
            lambda: services.member_reset_second_factor(membership=member, actor=request.user),
            f"{member.user.full_name}'s second factor is reset: they set up a new authenticator at next sign-in.",
        )
        return redirect("organisations:staff")
    return render(request, "organisations/reset_second_factor.html", {"member": member})
