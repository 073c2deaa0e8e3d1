"""A person exports their data (GDPR Art. 15 and 20) in the browser: from "My data" they
ask for the export, the email with its link arrives through a real SMTP server, the link
leads (once signed in) to the download, and the ZIP opens with their data inside."""

import io
import json
import re
import zipfile

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from mentorat.privacy.exports.models import ExportRequest, ExportStatus
from tests.browser.axe import assert_accessible
from tests.browser.flows import sign_in
from tests.factories import UserFactory
from tests.notifications.smtp import SmtpSink, use_smtp

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    """Export files go to a folder of the test, never to the project's `private/`."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "mentorat.lib.private_storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }


@pytest.fixture
def smtp(settings, live_server):
    settings.SITE_URL = live_server.url
    with SmtpSink() as sink:
        use_smtp(settings, sink.port)
        yield sink


def test_request_receive_and_download_ones_export(open_page, legal_pages, smtp, tmp_path):
    person = UserFactory(
        email="lea.export@example.org", first_name="Léa", last_name="Martin", language="en"
    )
    page: Page = open_page(locale="en-US")
    sign_in(page, person.email)

    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="My data").click()
    expect(page).to_have_url(re.compile(rf"{reverse('privacy:my_data')}$"))
    assert_accessible(page)
    expect(page.get_by_role("link", name="Read the privacy notice")).to_be_visible()
    page.get_by_role("button", name="Export my data").click()
    expect(page.get_by_role("status")).to_contain_text("Your export is being prepared")
    expect(page.locator("main table")).to_contain_text("Ready to download")
    assert_accessible(page)

    assert smtp.received() == {person.email: 1}
    (message,) = smtp.messages
    assert "Your data export is ready" in message
    link = re.search(r"(http://\S+/account/data/exports/[0-9a-f-]+/)", message)
    assert link is not None

    # The link asks whoever opens it to sign in as the person.
    stranger: Page = open_page(locale="en-US")
    stranger.goto(link.group(1))
    expect(stranger).to_have_url(re.compile(r"/accounts/login/"))

    page.goto(link.group(1))
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name=re.compile("Download the ZIP file")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".zip")
    assert "lea" not in download.suggested_filename
    path = tmp_path / "export.zip"
    download.save_as(path)

    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
        data = json.loads(archive.read("data.json"))
        summary = archive.read("summary.html").decode()
        assert "tables/accounts.user.csv" in archive.namelist()
    (user_row,) = data["tables"]["accounts.User"]["rows"]
    assert user_row["email"] == person.email
    assert "Léa" in summary
    export = ExportRequest.objects.get()
    assert export.status == ExportStatus.READY
    assert export.download_count == 1


def test_an_admin_produces_the_export_of_a_postal_request(open_page, cast, smtp, tmp_path):
    cast.admin_a.language = "en"
    cast.admin_a.save()
    page: Page = open_page(locale="en-US")
    sign_in(page, cast.admin_a.email, totp=True)
    page.goto(reverse("privacy:org_exports", kwargs={"slug": cast.org_a.slug}))
    assert_accessible(page)
    page.get_by_label("Name or email address").fill(cast.mentee.email)
    page.get_by_role("button", name="Search").click()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Produce the export")).click()
    expect(page.locator("main table")).to_contain_text("Ready to download")
    assert_accessible(page)
    # The person is told; so is the admin, who then downloads it.
    assert smtp.received() == {cast.mentee.email: 1, cast.admin_a.email: 1}
    page.locator("main table a").first.click()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name=re.compile("Download the ZIP file")).click()
    path = tmp_path / "export.zip"
    download_info.value.save_as(path)
    with zipfile.ZipFile(path) as archive:
        data = json.loads(archive.read("data.json"))
    (user_row,) = data["tables"]["accounts.User"]["rows"]
    assert user_row["email"] == cast.mentee.email
    assert (tmp_path / "private" / "exports").is_dir()
