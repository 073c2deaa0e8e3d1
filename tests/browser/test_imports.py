"""A coordinator imports a list of pupils in a real browser: a file with errors is
explained row by row, the corrected file is imported. Every page passes axe."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from mentorat.applications.models import Application
from tests.browser.axe import assert_accessible
from tests.browser.flows import sign_in
from tests.imports.files import csv_bytes, people
from tests.programs.factories import EditionFactory, ProgramFactory

pytestmark = pytest.mark.browser


def test_a_coordinator_corrects_a_file_and_imports_it(page: Page, cast):
    program = ProgramFactory(organization=cast.org_a, slug="programme-a", name="Programme A")
    EditionFactory(program=program, name="Rentrée 2026")
    sign_in(page, cast.coordinator_a.email, totp=True)

    page.goto(reverse("programs:manage", kwargs={"slug": program.slug}))
    page.get_by_role("link", name="Importer des participant·es (CSV, Excel)", exact=True).click()
    expect(page.locator("h1")).to_have_text("Importer des participant·es")
    assert_accessible(page)

    broken = people(3)
    broken[1][0] = "jean.dupont@"
    page.locator("input[name=file]").set_input_files(
        {"name": "eleves.csv", "mimeType": "text/csv", "buffer": csv_bytes(broken)}
    )
    page.locator("main form button[type=submit]").click()
    expect(page.locator("table.import-errors")).to_contain_text("jean.dupont@")
    expect(page.locator("form[action$='/confirm/']")).to_have_count(0)
    assert_accessible(page)

    page.locator("main .actions a.button").click()  # upload a corrected file
    page.locator("input[name=file]").set_input_files(
        {"name": "eleves.csv", "mimeType": "text/csv", "buffer": csv_bytes(people(3))}
    )
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#summary")).to_contain_text("3")
    assert_accessible(page)
    page.locator("main .actions form:not(:has(.secondary)) button").click()
    expect(page.locator("main .message-success")).to_be_visible()
    assert_accessible(page)
    assert Application.objects.filter(edition__program=program).count() == 3
