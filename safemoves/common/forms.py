from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form, ModelChoiceField
from django.http import HttpRequest


def add_validation_error(form: Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: each message on its field, or on the
    form as a whole when it names no field of this form."""
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            for problem in problems:
                form.add_error(name if name in form.fields else None, problem)
    else:
        for problem in error.messages:
            form.add_error(None, problem)


def offer_people(form: Form, name: str, people: Any) -> None:
    """Let the form's person field ``name`` choose among ``people`` (users), each by full name."""
    field = form.fields[name]
    if isinstance(field, ModelChoiceField):
        field.queryset = people
        field.label_from_instance = lambda user: user.full_name  # type: ignore[method-assign,assignment]


T = TypeVar("T")


@dataclass(frozen=True)
class Submitted(Generic[T]):
    """A service call that succeeded, with what the service returned."""

    result: T


def submit(form: Form, call: Callable[[dict[str, Any]], T]) -> Submitted[T] | None:
    """The one way a view turns a posted form into a service call and a service's refusal into
    messages: validate the form, call the service with its cleaned data, and put any
    ValidationError the service raises on the form (each message on the field it names).

    When the service succeeded: what it returned, wrapped (always true, whatever the service
    returned); the view then says so and redirects. None when the form or the service refused;
    the view renders the form again, and nothing was written (services validate before they
    write, inside a transaction). Any other exception passes through for the view to handle."""
    if not form.is_valid():
        return None
    try:
        result = call(form.cleaned_data)
    except ValidationError as error:
        add_validation_error(form, error)
        return None
    return Submitted(result)


def say(request: HttpRequest, error: ValidationError) -> None:
    """A service's refusal, as messages on the page the view redirects to: one per problem."""
    for problem in error.messages:
        messages.error(request, problem)


def act(request: HttpRequest, call: Callable[[], T], success: str | Callable[[T], str]) -> Submitted[T] | None:
    """The one way a view runs a service for a button (a POST with no form to show again):
    call the service; on success say `success` (or what it makes of the service's result) and
    return the result, wrapped; on a refusal say each of the service's messages as an error
    and return None. Either way the view then redirects. Nothing was written on a refusal
    (services validate before they write, inside a transaction); any other exception passes
    through."""
    try:
        result = call()
    except ValidationError as error:
        say(request, error)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return Submitted(result)
