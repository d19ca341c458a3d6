"""Errors as RFC 9457 problem details (``application/problem+json``), each wrong field named."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import orjson
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from ninja import Schema

PROBLEM_CONTENT_TYPE = "application/problem+json"
TITLES = {
    400: "The request could not be read",
    401: "A valid API token is needed",
    404: "Not found",
    409: "Conflict",
    413: "The request is too large",
    422: "Some fields are not valid",
    429: "Too many requests",
}


class FieldProblem(Schema):
    field: str
    message: str


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldProblem] = []


def problem(
    status: int,
    detail: str,
    *,
    errors: Iterable[tuple[str, str]] = (),
    headers: Mapping[str, str] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "errors": [{"field": field, "message": message} for field, message in errors],
    }
    response = HttpResponse(orjson.dumps(body), status=status, content_type=PROBLEM_CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def field_errors(exc: DjangoValidationError) -> list[tuple[str, str]]:
    """A service's ValidationError as (field, message) pairs; "" names the request as a whole."""
    if hasattr(exc, "error_dict"):
        return [
            ("" if field == "__all__" else field, message)
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [("", message) for message in exc.messages]


_LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file"}


def pydantic_field(loc: Iterable[Any]) -> str:
    """``["body", "payload", "children_ages", 1]`` → ``children_ages.1``; a header keeps its name."""
    parts = [str(part) for part in loc]
    if parts and parts[0] in _LOCATIONS:
        parts = parts[1:]
    if parts and parts[0] == "payload":
        parts = parts[1:]
    return ".".join(parts) or "body"
