from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest

from safemoves.accounts.middleware import forget_sign_in
from safemoves.accounts.models import StaffSession


@receiver(user_logged_in)
def remember_session(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if request.session.session_key:
        StaffSession.objects.update_or_create(session_key=request.session.session_key, defaults={"user": user})


@receiver(user_logged_out)
def forget_session(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if request.session.session_key:
        forget_sign_in(request.session.session_key)
        StaffSession.objects.filter(session_key=request.session.session_key).delete()
