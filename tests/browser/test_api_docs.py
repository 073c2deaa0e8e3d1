"""The API's interactive documentation works in a browser under the strict CSP: Swagger UI
loads from the project's static files (no CDN), renders every operation and breaks no
policy."""

import pytest
from playwright.sync_api import Page, expect

from mentorat.api.v1 import api

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_documentation_renders_without_any_outside_request(page: Page, live_server):
    outside: list[str] = []
    violations: list[str] = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith(live_server.url) and not request.url.startswith("data:")
            else None
        ),
    )
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    response = page.goto("/api/v1/docs")
    assert response is not None
    assert response.status == 200
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Mentorat API")
    # Every operation of the schema is listed, the schema fetched from our own server.
    operations = sum(len(methods) for methods in api.get_openapi_schema()["paths"].values())
    assert operations >= 20
    expect(page.locator(".opblock")).to_have_count(operations)
    assert outside == []
    assert violations == []
