from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safemoves.common.decorators import allowed_if
from safemoves.common.http import StaffRequest
from safemoves.common.prepared import prepared
from safemoves.notifications import policies, selectors, services
from safemoves.notifications.forms import PreferencesForm

PAGE_SIZE = 25


@allowed_if(policies.can_read_notifications)
@require_GET
def notification_list_view(request: StaffRequest) -> HttpResponse:
    page = Paginator(prepared(selectors.notifications(request.membership), "notifications.list"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/list.html", {"page": page, "query": ""})


@allowed_if(policies.can_read_notifications)
@require_POST
def notification_open_view(request: StaffRequest, notification_id: UUID) -> HttpResponse:
    """Mark the notification read and go to what it is about."""
    notification = selectors.get_notification(request.membership, notification_id)
    services.notification_mark_read(membership=request.membership, notification=notification)
    if request.POST.get("stay") == "1" or not url_has_allowed_host_and_scheme(notification.link, allowed_hosts=None):
        messages.success(request, "Marked as read.")
        return redirect("notifications:list")
    return redirect(notification.link)


@allowed_if(policies.can_read_notifications)
@require_POST
def notification_read_all_view(request: StaffRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(membership=request.membership)
    messages.success(request, f"{count} notification{'' if count == 1 else 's'} marked as read.")
    return redirect("notifications:list")


@allowed_if(policies.can_read_notifications)
@require_http_methods(["GET", "POST"])
def preferences_view(request: StaffRequest) -> HttpResponse:
    initial = {"email_kinds": selectors.email_kinds(request.membership)}
    form = PreferencesForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = services.preferences_update(
            membership=request.membership, email_kinds=form.cleaned_data["email_kinds"]
        )
        messages.success(request, "Your e-mail choices are saved." if changed else "Nothing changed.")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
