"""Errors as `application/problem+json` (RFC 9457), with the pages' translated messages
(the language comes from `Accept-Language`, like the pages)."""

from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from mentorat.applications.imports.parsing import FileProblem
from mentorat.applications.imports.services import ImportRejected
from mentorat.lib.errors import DomainError

CONTENT_TYPE = "application/problem+json"


class Problem(Schema):
    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: dict[str, list[str]] = {}


def problem(
    api: NinjaAPI,
    request: HttpRequest,
    *,
    status: int,
    title: str,
    detail: str,
    errors: dict[str, list[str]] | None = None,
) -> HttpResponse:
    body = Problem(title=title, status=status, detail=detail, errors=errors or {})
    response = api.create_response(request, body.model_dump(), status=status)
    response["Content-Type"] = CONTENT_TYPE
    return response


def _not_found() -> tuple[str, str]:
    return _("Page not found"), _(
        "This page does not exist or is not available to you. The link may be out of "
        "date, or the page may have been removed."
    )


def _denied() -> tuple[str, str]:
    return _("Access denied"), _(
        "You do not have the rights to see this page or do this action. If you think you "
        "should, ask the coordinator of your program."
    )


def _location(loc: Any) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "header")]
    return ".".join(parts) or "request"


def on_domain_error(request: HttpRequest, exc: DomainError, *, api: NinjaAPI) -> HttpResponse:
    errors = dict(exc.field_errors)
    if isinstance(exc, ImportRejected):
        for row in exc.report.error_rows:
            errors[f"rows.{row.line - 2}"] = list(row.errors)
    if isinstance(exc, FileProblem):
        errors["rows"] = list(exc.messages)
    return problem(
        api,
        request,
        status=422,
        title=_("The request could not be carried out"),
        detail=exc.message,
        errors=errors,
    )


def on_not_found(request: HttpRequest, exc: Exception, *, api: NinjaAPI) -> HttpResponse:
    title, detail = _not_found()
    return problem(api, request, status=404, title=title, detail=detail)


def on_denied(request: HttpRequest, exc: Exception, *, api: NinjaAPI) -> HttpResponse:
    title, detail = _denied()
    return problem(api, request, status=403, title=title, detail=detail)


def on_unauthenticated(request: HttpRequest, exc: Exception, *, api: NinjaAPI) -> HttpResponse:
    response = problem(
        api,
        request,
        status=401,
        title=_("API key missing or not valid"),
        detail=_(
            "Send a valid API key in the Authorization header (Bearer). Keys expire "
            "and can be revoked by the organisation's admins."
        ),
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


def on_throttled(request: HttpRequest, exc: Throttled, *, api: NinjaAPI) -> HttpResponse:
    response = problem(
        api,
        request,
        status=429,
        title=_("Too many requests"),
        detail=_("This API key sent too many requests. Wait a moment, then try again."),
    )
    if exc.wait is not None:
        response["Retry-After"] = str(max(1, int(exc.wait + 0.999)))
    return response


def on_invalid(request: HttpRequest, exc: ValidationError, *, api: NinjaAPI) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        if isinstance(error, dict):
            where = _location(error.get("loc", ()))
            errors.setdefault(where, []).append(str(error.get("msg", "")))
    return problem(
        api,
        request,
        status=422,
        title=_("The request could not be carried out"),
        detail=_("Some values are missing or not valid: see the errors by field."),
        errors=errors,
    )


def on_http_error(request: HttpRequest, exc: HttpError, *, api: NinjaAPI) -> HttpResponse:
    # The one HttpError ninja raises itself: a body that is not JSON.
    return problem(
        api,
        request,
        status=exc.status_code,
        title=_("The request could not be read"),
        detail=_("The request body is not valid JSON."),
    )


HANDLERS: tuple[tuple[type[Exception], Any], ...] = (
    (DomainError, on_domain_error),
    (Http404, on_not_found),
    (PermissionDenied, on_denied),
    (AuthenticationError, on_unauthenticated),
    (Throttled, on_throttled),
    (ValidationError, on_invalid),
    (HttpError, on_http_error),
)


def install(api: NinjaAPI) -> None:
    """Register the handlers on `api`."""
    for exc_class, handler in HANDLERS:
        api.add_exception_handler(exc_class, partial(handler, api=api))
