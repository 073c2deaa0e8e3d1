"""The REST API, version 1 (django-ninja, OpenAPI 3.1), mounted at /api/v1/.

Every operation authenticates an organisation's API key, is rate-limited per key in the
shared cache, acts as the key's creator through `mentorat.permissions`, answers errors as
`application/problem+json` and is wrapped by `conditional` (reads) or `write` (writes)."""

from typing import Any

from ninja import NinjaAPI
from ninja.operation import Operation

from mentorat.api import problems
from mentorat.api.auth import ApiKeyAuth, ApiKeyThrottle
from mentorat.api.endpoints import applications, events, matching, pairs, programs, reports

DESCRIPTION = """\
Programs, applications, matching runs, pairs, report indicators, events and
opportunities of an organisation.

Authenticate with an API key created by an organisation admin (`Authorization: Bearer
mtr_…`). A key acts as the admin who created it, within its organisation and its scopes.
Lists are paginated with an opaque `cursor`; reads carry an `ETag` (send `If-None-Match`
to get 304); writes accept an `Idempotency-Key` header. Errors are
`application/problem+json`, in the language of `Accept-Language` (French or English).
"""


class MentoratApi(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        """The operation's function name (`program_list`), stable and readable."""
        return str(operation.view_func.__name__)

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """ninja's schema, with error answers typed `application/problem+json` as they
        are sent, and the `Idempotency-Key` header documented on writes."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for path in schema["paths"].values():
            for method, operation in path.items():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        response["content"] = {
                            problems.CONTENT_TYPE: content.pop("application/json")
                        }
                    if int(status) == 304:
                        response.pop("content", None)
                        response["description"] = "Not Modified"
                if method == "post":
                    operation.setdefault("parameters", []).append(
                        {
                            "in": "header",
                            "name": "Idempotency-Key",
                            "required": False,
                            "schema": {"type": "string", "maxLength": 255},
                            "description": "Send the same key to repeat a write safely.",
                        }
                    )
        return schema


api = MentoratApi(
    title="Mentorat API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api:v1",
    auth=ApiKeyAuth(),
    throttle=[ApiKeyThrottle()],
    docs_url="/docs",
    openapi_url="/openapi.json",
)
problems.install(api)
for module in (programs, applications, matching, pairs, reports, events):
    api.add_router("", module.router)
