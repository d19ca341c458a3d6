"""`submit` and `act`: the two ways a view turns a POST into a service call and its outcome into messages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.test import RequestFactory

from safemoves.common.forms import Submitted, act, submit


def _request() -> HttpRequest:
    request = RequestFactory().post("/")
    request.session = {}  # type: ignore[assignment]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def _said(request: HttpRequest) -> list[tuple[str, str]]:
    return [(message.level_tag, message.message) for message in get_messages(request)]


def test_act_says_the_success_and_returns_the_result() -> None:
    request = _request()
    assert act(request, lambda: 7, "Done.") == Submitted(7)
    assert _said(request) == [("success", "Done.")]


def test_act_builds_the_success_from_the_result_after_the_call() -> None:
    request = _request()
    state = {"role": "officer"}

    def change() -> str:
        state["role"] = "manager"
        return "changed"

    assert act(request, change, lambda result: f"{result}: now {state['role']}.") == Submitted("changed")
    assert _said(request) == [("success", "changed: now manager.")]


def test_act_says_each_refusal_and_no_success() -> None:
    request = _request()

    def refuse() -> None:
        raise ValidationError(["The offer is already answered.", "The home is let."])

    assert act(request, refuse, "Done.") is None
    assert _said(request) == [("error", "The offer is already answered."), ("error", "The home is let.")]


class _NameForm(forms.Form):
    name = forms.CharField()


def test_submit_puts_the_services_refusal_on_the_field_it_names() -> None:
    def refuse(data: dict[str, Any]) -> None:
        raise ValidationError({"name": "That name is taken.", "other": "Whole-form problem."})

    form = _NameForm({"name": "Ash"})
    assert submit(form, refuse) is None
    assert form.errors == {"name": ["That name is taken."], "__all__": ["Whole-form problem."]}


def test_submit_does_not_call_the_service_for_an_invalid_form() -> None:
    called: list[dict[str, Any]] = []
    form = _NameForm({})
    assert submit(form, called.append) is None
    assert called == []
    assert form.errors == {"name": ["This field is required."]}
