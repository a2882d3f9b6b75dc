"""Every failure the API can answer with, as JSON that names the field at fault.

Shapes (see also `ErrorOut` and `DuplicateOut`):
  401 {"detail": "..."} with a `WWW-Authenticate: Bearer` header
  403 {"detail": "..."}                                     (and a PERMISSION_DENIED audit event)
  404 {"detail": "Not found."}
  400 / 422 {"detail": "...",
             "errors": [{"field": "date_of_birth", "message": "...", "code": "..."}]}
  409 the 400 shape plus {"duplicates": [{"id": 7, "record_number": "LDS-000007"}]}
"""

import json
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from mesotrack.audit.models import Action
from mesotrack.audit.services import audit_record
from mesotrack.core.errors import DomainError, PermissionDenied
from mesotrack.patients.services import ProbableDuplicate

NOT_AUTHENTICATED = "Send a valid API token: 'Authorization: Bearer <token>'."
NOT_FOUND = "Not found."
INVALID_INPUT = "Invalid input."
BAD_JSON = "The request body is not valid JSON."

# Pydantic's wording where it is too technical for a clinic's integrator.
_MESSAGES = {
    "missing": "This field is required.",
    "extra_forbidden": "This field is not accepted here.",
    "date_from_datetime_parsing": "Enter a date as YYYY-MM-DD.",
    "date_from_datetime_inexact": "Enter a date as YYYY-MM-DD.",
    "date_parsing": "Enter a date as YYYY-MM-DD.",
    "date_type": "Enter a date as YYYY-MM-DD.",
}


class FieldErrorOut(Schema):
    field: str | None
    message: str
    code: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldErrorOut] = []


class DuplicateRecordOut(Schema):
    id: int
    record_number: str


class DuplicateOut(ErrorOut):
    duplicates: list[DuplicateRecordOut]


def _field_error(field: str | None, message: str, code: str) -> dict[str, Any]:
    return {"field": field, "message": message, "code": code}


def field_name(location: Sequence[Any]) -> str:
    """`("body", "payload", "emergency", 0)` → "emergency.0"; `("query", "limit")` → "limit"."""
    source, *rest = location
    if source == "body":
        rest = rest[1:]
    return ".".join(str(part) for part in rest) or str(source)


def _message(error: dict[str, Any]) -> str:
    context = error.get("ctx") or {}
    if error["type"] == "value_error" and "error" in context:
        return str(context["error"])
    if error["type"] == "string_too_short" and context.get("min_length") == 1:
        return "This field cannot be blank."
    return _MESSAGES.get(error["type"], str(error["msg"]))


def respond(body: dict[str, Any], status: int) -> HttpResponse:
    return HttpResponse(
        json.dumps(body, cls=DjangoJSONEncoder),
        status=status,
        content_type="application/json; charset=utf-8",
    )


def invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        _field_error(field_name(error["loc"]), _message(error), error["type"])
        for error in exc.errors
    ]
    return respond({"detail": INVALID_INPUT, "errors": errors}, 422)


def refused_by_model(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    errors = []
    by_field = exc.error_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: [exc]}
    for field, field_errors in by_field.items():
        name = None if field == NON_FIELD_ERRORS else field
        for error in field_errors:
            for message in error.messages:
                errors.append(_field_error(name, message, error.code or "invalid"))
    return respond({"detail": INVALID_INPUT, "errors": errors}, 400)


def refused_by_rule(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return respond(
        {"detail": exc.message, "errors": [_field_error(exc.field, exc.message, exc.code)]}, 400
    )


def probable_duplicate(request: HttpRequest, exc: ProbableDuplicate) -> HttpResponse:
    body = {
        "detail": exc.message,
        "errors": [_field_error(exc.field, exc.message, exc.code)],
        "duplicates": [{"id": p.pk, "record_number": p.record_number} for p in exc.duplicates],
    }
    return respond(body, 409)


def forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    message = exc.message if isinstance(exc, DomainError) else PermissionDenied().message
    audit_record(
        actor=request.user,
        action=Action.PERMISSION_DENIED,
        detail={"path": request.path, "method": request.method, "reason": message},
    )
    return respond({"detail": message}, 403)


def not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = respond({"detail": NOT_AUTHENTICATED}, 401)
    response["WWW-Authenticate"] = 'Bearer realm="MesoTrack API"'
    return response


def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return respond({"detail": NOT_FOUND}, 404)


def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja's only 400 of its own: a body it could not parse.
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        return respond(
            {"detail": BAD_JSON, "errors": [_field_error("body", BAD_JSON, "json_invalid")]}, 400
        )
    return respond({"detail": str(exc)}, exc.status_code)


# The most specific class wins (ninja walks the exception's MRO).
HANDLERS: list[tuple[type[Exception], Callable[[HttpRequest, Any], HttpResponse]]] = [
    (NinjaValidationError, invalid_input),
    (DjangoValidationError, refused_by_model),
    (DomainError, refused_by_rule),
    (ProbableDuplicate, probable_duplicate),
    (PermissionDenied, forbidden),
    (DjangoPermissionDenied, forbidden),
    (AuthorizationError, forbidden),
    (AuthenticationError, not_authenticated),
    (Http404, not_found),
    (ObjectDoesNotExist, not_found),
    (HttpError, http_error),
]


def install_error_handlers(api: NinjaAPI) -> None:
    for exception_class, handler in HANDLERS:
        api.exception_handler(exception_class)(handler)
