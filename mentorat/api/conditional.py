"""What wraps every operation's view: `ETag`/`If-None-Match` on reads, and on writes one
transaction, the `Idempotency-Key` replay and the audit entry.

Applied with ninja's `decorate_view`, around the operation (authentication included)."""

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.translation import gettext as _

from mentorat.api import services
from mentorat.api.auth import key_of
from mentorat.api.problems import CONTENT_TYPE, Problem

View = Callable[..., HttpResponse]
MAX_IDEMPOTENCY_KEY = 255


def _problem(status: int, title: str, detail: str) -> HttpResponse:
    body = Problem(title=title, status=status, detail=detail).model_dump_json()
    return HttpResponse(body, status=status, content_type=CONTENT_TYPE)


def conditional(view: View) -> View:
    """A strong `ETag` (digest of the body) on successful reads, and 304 when the
    client's `If-None-Match` names it. Bodies depend on the key and the language."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        patch_vary_headers(response, ("Authorization", "Accept-Language"))
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            etag = '"' + hashlib.sha256(response.content).hexdigest()[:40] + '"'
            response["ETag"] = etag
            response["Cache-Control"] = "private, no-cache"
            conditional_response = get_conditional_response(request, etag=etag, response=response)
            assert conditional_response is not None
            return conditional_response
        return response

    return wrapper


def write(operation: str) -> Callable[[View], View]:
    """A write: all of it or nothing (an answer of 400 or more rolls everything back),
    recorded in the audit log when it succeeds, and with an `Idempotency-Key` header,
    done once — the same key with the same request gets the stored answer, the same key
    with another request 422, and a concurrent twin 409."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            key = key_of(request)
            if key is None:
                return view(request, *args, **kwargs)  # 401 from the authentication
            idempotency_key = request.headers.get("Idempotency-Key", "")
            if len(idempotency_key) > MAX_IDEMPOTENCY_KEY:
                return _problem(
                    422,
                    _("The request could not be carried out"),
                    _("Idempotency-Key: at most %(n)s characters.") % {"n": MAX_IDEMPOTENCY_KEY},
                )
            fingerprint = services.request_hash(
                method=request.method or "", path=request.get_full_path(), body=request.body
            )
            try:
                with transaction.atomic():
                    if idempotency_key:
                        stored = services.stored_response(key=key, idempotency_key=idempotency_key)
                        if stored is not None:
                            if stored.request_hash != fingerprint:
                                return _problem(
                                    422,
                                    _("The request could not be carried out"),
                                    _(
                                        "This Idempotency-Key was already used with another "
                                        "request: use a new key for a new request."
                                    ),
                                )
                            replay = HttpResponse(
                                bytes(stored.body),
                                status=stored.status_code,
                                content_type=stored.content_type,
                            )
                            replay["Idempotent-Replayed"] = "true"
                            return replay
                    response = view(request, *args, **kwargs)
                    if response.status_code >= 400:
                        transaction.set_rollback(True)
                        return response
                    services.record_write(
                        key=key,
                        operation=operation,
                        status=response.status_code,
                        request=request,
                    )
                    if idempotency_key:
                        services.store_response(
                            key=key,
                            idempotency_key=idempotency_key,
                            fingerprint=fingerprint,
                            status=response.status_code,
                            headers=response,
                            body=response.content,
                        )
                    return response
            except IntegrityError:
                # The same key's twin request committed first: ours is rolled back.
                return _problem(
                    409,
                    _("The request could not be carried out"),
                    _(
                        "Another request with this Idempotency-Key was being carried out: "
                        "send it again to get its answer."
                    ),
                )

        return wrapper

    return decorate
