"""The API object: token authentication, per-token scope and rate limit, problem details.

Every operation is declared with :func:`guarded`, which (before the operation runs) finds the
token, opens its organisation's scope, counts the request against the token's rate limit,
refuses a token of another purpose with the same 404 as a missing record, and runs writes
through ``Idempotency-Key`` handling. Handlers then call one service or selector each.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from ninja import Field, NinjaAPI, Schema
from ninja.decorators import decorate_view
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer
from pydantic import AfterValidator, StringConstraints

from safemoves.api import idempotency
from safemoves.api.models import ApiToken
from safemoves.api.problems import PROBLEM_CONTENT_TYPE, field_errors, problem, pydantic_field
from safemoves.api.tokens import note_use, token_for_request, within_rate_limit
from safemoves.common.editing import EditConflict
from safemoves.common.scoping import organisation_scope
from safemoves.organisations.models import Membership

# Every response an operation may give besides its success, documented as problem details.
READ_PROBLEMS = frozenset({400, 401, 404, 422, 429})
WRITE_PROBLEMS = frozenset({400, 401, 404, 409, 422, 429})


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain a null character")
    return value


NoNul = AfterValidator(_no_nul)
# Strings of bounded length with no NUL character (PostgreSQL cannot store one).
Str10 = Annotated[str, StringConstraints(max_length=10), NoNul]
Str12 = Annotated[str, StringConstraints(max_length=12), NoNul]
Str40 = Annotated[str, StringConstraints(max_length=40), NoNul]
Str200 = Annotated[str, StringConstraints(max_length=200), NoNul]
Str254 = Annotated[str, StringConstraints(max_length=254), NoNul]
Str2000 = Annotated[str, StringConstraints(max_length=2000), NoNul]
Str5000 = Annotated[str, StringConstraints(max_length=5000), NoNul]
Required10 = Annotated[str, StringConstraints(min_length=1, max_length=10), NoNul]
Required200 = Annotated[str, StringConstraints(min_length=1, max_length=200), NoNul]
Required500 = Annotated[str, StringConstraints(min_length=1, max_length=500), NoNul]
Required5000 = Annotated[str, StringConstraints(min_length=1, max_length=5000), NoNul]

IdempotencyKey = Annotated[str, StringConstraints(pattern=idempotency.KEY_PATTERN)]


class WriteHeaders(Schema):
    """Every write names its key: a repeat with the same key and body is answered, not redone."""

    idempotency_key: IdempotencyKey = Field(alias="Idempotency-Key")


class Page(Schema):
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


def acting_member(request: HttpRequest) -> Membership:
    """The member of staff a housing-system or staff token acts as."""
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    if token.membership is None:  # pragma: no cover - a database constraint forbids it
        raise PermissionDenied
    return token.membership


class TokenAuth(HttpBearer):
    """Bearer tokens issued on the API tokens page; the token found is ``request.auth``."""

    def __call__(self, request: HttpRequest) -> ApiToken | None:
        return token_for_request(request)

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:  # pragma: no cover - __call__ above
        return token_for_request(request)


class SafeMovesAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        # Problem responses are application/problem+json (RFC 9457), not application/json.
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        response["content"] = {PROBLEM_CONTENT_TYPE: content["application/json"]}
        return schema


api = SafeMovesAPI(
    title="SafeMoves API",
    version="1.0.0",
    description=(
        "Referrals in from agencies, void homes in from landlords' housing systems, status out. "
        "Send the token issued on the API tokens page as `Authorization: Bearer <token>`, and an "
        "`Idempotency-Key` header with every write. Errors are RFC 9457 problem details."
    ),
    urls_namespace="api",
    auth=TokenAuth(),
    docs_url=None,
)


def guarded(purpose: str, *, write: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare who may call an operation (one token purpose) and whether it writes."""

    def wrap_run(run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(run)
        def guarded_run(request: HttpRequest, **kwargs: Any) -> HttpResponseBase:
            token = token_for_request(request)
            if token is None:
                return run(request, **kwargs)  # the operation's authentication answers 401
            with organisation_scope(token.organisation_id):
                allowed, retry_after = within_rate_limit(token)
                if not allowed:
                    return problem(
                        429,
                        f"This token may make {token.rate_per_minute} requests a minute; wait and try again.",
                        headers={"Retry-After": str(retry_after)},
                    )
                note_use(token)
                if token.purpose != purpose:
                    return problem(404, "Not found.")
                if write:
                    return idempotency.run_once(request, token, run, kwargs)
                return run(request, **kwargs)

        return guarded_run

    return decorate_view(wrap_run)


@api.exception_handler(NinjaValidationError)
def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [(pydantic_field(error.get("loc", ())), str(error.get("msg", "is not valid"))) for error in exc.errors]
    return problem(422, "Some fields are not valid; each is named below.", errors=errors)


@api.exception_handler(DjangoValidationError)
def _refused(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    return problem(422, "Some fields are not valid; each is named below.", errors=field_errors(exc))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem(404, "Not found.")


@api.exception_handler(PermissionDenied)
def _denied(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem(404, "Not found.")  # a refusal never confirms that something exists


@api.exception_handler(EditConflict)
def _conflict(request: HttpRequest, exc: EditConflict) -> HttpResponse:
    return problem(409, "The record changed since the version you sent; read it again and retry.")


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem(
        401,
        "Send a valid, unexpired API token as 'Authorization: Bearer <token>'.",
        headers={"WWW-Authenticate": "Bearer"},
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem(exc.status_code, str(exc))


@api.exception_handler(json.JSONDecodeError)
def _bad_json(request: HttpRequest, exc: json.JSONDecodeError) -> HttpResponse:
    return problem(400, "The body is not valid JSON.", errors=[("body", f"{exc.msg} at position {exc.pos}")])


@api.exception_handler(UnicodeDecodeError)
def _bad_encoding(request: HttpRequest, exc: UnicodeDecodeError) -> HttpResponse:
    return problem(400, "The body is not UTF-8 encoded JSON.", errors=[("body", "is not UTF-8")])
