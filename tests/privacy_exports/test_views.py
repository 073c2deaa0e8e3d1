"""The "My data" page, an export's page and its download, and the organisation admins'
page for postal requests."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentorat.audit.models import AuditEntry
from mentorat.organizations.models import Role
from mentorat.privacy.exports.models import ExportRequest, ExportStatus
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory, with_totp
from tests.privacy_exports.people import build_world
from tests.privacy_exports.zips import Zip

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return UserFactory(email="lea@example.org", language="en")


def signed_in(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def ask(client, django_capture_on_commit_callbacks) -> ExportRequest:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:export_request"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    return ExportRequest.objects.get()


def test_my_data_explains_the_rights_and_links_the_notice(client, person):
    page = signed_in(client, person).get(reverse("privacy:my_data"), HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert "Export my data" in text
    assert reverse("legal:page", kwargs={"kind": "privacy"}) in text
    assert reverse("privacy:erasure_request") in text
    assert "You have not asked for an export yet." in text
    # The main menu leads here.
    assert f'href="{reverse("privacy:my_data")}"' in text


def test_asking_building_and_downloading_ones_export(
    client, person, django_capture_on_commit_callbacks
):
    signed_in(client, person)
    export = ask(client, django_capture_on_commit_callbacks)
    assert export.status == ExportStatus.READY
    (message,) = mail.outbox
    detail = reverse("privacy:export_detail", kwargs={"public_id": export.public_id})
    assert detail in message.body

    page = client.get(reverse("privacy:my_data"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Ready to download" in page.content.decode()
    page = client.get(detail, HTTP_ACCEPT_LANGUAGE="en")
    assert "Download the ZIP file" in page.content.decode()

    response = client.post(
        reverse("privacy:export_download", kwargs={"public_id": export.public_id})
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "no-store"
    assert "attachment" in response["Content-Disposition"]
    assert person.email not in response["Content-Disposition"]
    archive = Zip(b"".join(response.streaming_content))
    assert archive.rows("accounts.User")[str(person.pk)]["email"] == person.email
    export.refresh_from_db()
    assert export.download_count == 1
    entry = AuditEntry.objects.get(action="privacy.export.downloaded")
    assert entry.actor == person
    assert entry.data == {"by_person": True}


def test_a_get_never_downloads_nor_counts(client, person, django_capture_on_commit_callbacks):
    signed_in(client, person)
    export = ask(client, django_capture_on_commit_callbacks)
    url = reverse("privacy:export_download", kwargs={"public_id": export.public_id})
    assert client.get(url).status_code == 405
    export.refresh_from_db()
    assert export.download_count == 0


def test_another_persons_export_is_404(client, person, django_capture_on_commit_callbacks):
    signed_in(client, person)
    export = ask(client, django_capture_on_commit_callbacks)
    other = signed_in(client, UserFactory())
    for name, method in (("privacy:export_detail", "get"), ("privacy:export_download", "post")):
        url = reverse(name, kwargs={"public_id": export.public_id})
        assert getattr(other, method)(url).status_code == 404


def test_the_admin_of_another_organisation_cannot_see_an_organisations_export(
    client, django_capture_on_commit_callbacks
):
    world = build_world()
    admin = with_totp(UserFactory())
    MembershipFactory(user=admin, organization=world.organization, role=Role.ADMIN)
    other_admin = with_totp(UserFactory())
    MembershipFactory(user=other_admin, organization=OrganizationFactory(), role=Role.ADMIN)
    signed_in(client, admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("privacy:org_export_create", kwargs={"slug": world.organization.slug}),
            {"person": world.person.pk},
        )
    export = ExportRequest.objects.get()
    assert export.organization == world.organization
    assert export.requested_by == admin
    detail = reverse("privacy:export_detail", kwargs={"public_id": export.public_id})
    assert client.get(detail).status_code == 200
    assert signed_in(client, world.person).get(detail).status_code == 200
    assert signed_in(client, other_admin).get(detail).status_code == 404
    # Nor may they make one for a person of another organisation.
    response = client.post(
        reverse("privacy:org_export_create", kwargs={"slug": world.organization.slug}),
        {"person": world.person.pk},
    )
    assert response.status_code == 404


def test_the_admin_finds_people_by_post_and_only_their_organisations(client):
    world = build_world()
    admin = with_totp(UserFactory())
    MembershipFactory(user=admin, organization=world.organization, role=Role.ADMIN)
    outsider = UserFactory(email="lea-outside@example.org", first_name="Léa")
    MembershipFactory(user=outsider, organization=OrganizationFactory(), role=Role.MENTEE)
    MembershipFactory(user=world.stranger, organization=OrganizationFactory(), role=Role.MENTOR)
    url = reverse("privacy:org_exports", kwargs={"slug": world.organization.slug})
    signed_in(client, admin)

    page = client.post(url, {"query": "léa"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert world.person.email in page
    assert outsider.email not in page
    assert "Produce the export" in page

    # Both words: the factories give random first names, another "Zoé" may be a member.
    page = client.post(url, {"query": "zoé autre"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert world.stranger.email in page
    assert "Also takes part in another organisation" in page
    assert "Produce the export" not in page

    page = client.post(url, {"query": ""}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Name or email address" in page
    assert "errorlist" in page

    # Creating for someone the organisation does not hold: 404, nothing written.
    response = client.post(
        reverse("privacy:org_export_create", kwargs={"slug": world.organization.slug}),
        {"person": outsider.pk},
    )
    assert response.status_code == 404
    assert not ExportRequest.objects.exists()


def test_list_pages_run_a_fixed_number_of_queries(client, django_capture_on_commit_callbacks):
    world = build_world()
    admin = with_totp(UserFactory())
    MembershipFactory(user=admin, organization=world.organization, role=Role.ADMIN)
    url = reverse("privacy:org_exports", kwargs={"slug": world.organization.slug})

    def count(n: int) -> int:
        for person in (world.person, world.partner, world.stranger)[:n]:
            ExportRequest.objects.create(
                person=person, requested_by=admin, organization=world.organization
            )
        ExportRequest.objects.update(status=ExportStatus.FAILED)
        signed_in(client, admin)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert count(1) == count(3)
