"""Partner coordinators import their own organisation's people into a program shared with
them, as submitted applications, and never see or touch other organisations' people or
imports. Staff of the owner see everything; other organisations get 404."""

import pytest
from django.urls import reverse

from mentorat.applications.imports.models import ImportBatch
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.organizations.models import Membership
from tests.applications.factories import ApplicationFactory
from tests.imports.files import HEADER, csv_bytes, people, person
from tests.imports.test_import_flow import confirm_url, preview_url, upload, upload_url


@pytest.fixture
def shared(cast, program):
    program.shared_with.add(cast.org_b)
    return program


@pytest.fixture
def partner(cast, english, shared):
    return english(cast.coordinator_b)


def test_a_partner_imports_their_own_people_as_submitted_applications(cast, shared, partner):
    page = partner.get(upload_url(shared)).content.decode()
    assert f'<option value="{cast.org_b.pk}" selected>Lycée B</option>' in page
    assert "Université A</option>" not in page
    assert "their applications arrive as submitted" in page

    response = upload(partner, shared, csv_bytes(people(2)), organization=cast.org_b)
    batch = ImportBatch.objects.get()
    assert response["Location"] == preview_url(batch)
    partner.post(confirm_url(batch), {"sha256": batch.sha256})
    applications = Application.objects.filter(edition__program=shared)
    assert applications.count() == 2
    assert {a.organization_id for a in applications} == {cast.org_b.pk}
    assert {a.status for a in applications} == {ApplicationStatus.SUBMITTED}


def test_a_partner_cannot_choose_another_organisation_even_by_forging_the_form(
    cast, shared, partner
):
    response = upload(partner, shared, csv_bytes(people(1)), organization=cast.org_a)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_partner_cannot_decide_nor_name_another_organisation_in_the_file(cast, shared, partner):
    rows = [
        [*person(1), "accepted", ""],
        [*person(2), "", "Université A"],
        [*person(3), "submitted", "Lycée B"],
    ]
    upload(
        partner,
        shared,
        csv_bytes(rows, header=[*HEADER, "status", "organization"]),
        organization=cast.org_b,
    )
    batch = ImportBatch.objects.get()
    page = partner.get(preview_url(batch)).content.decode()
    assert (
        "Line 2, column status: only the program&#x27;s coordinators can import accepted or "
        "waiting-list applications; leave this column empty." in page
    )
    assert (
        "Line 3, column organization: “Université A” is not an organisation you can import" in page
    )
    assert "<strong>1</strong> row ready" in page
    partner.post(confirm_url(batch), {"sha256": batch.sha256})
    assert not Application.objects.exists()
    assert not Membership.objects.filter(organization=cast.org_b, role="mentee").exists()


def test_a_partner_cannot_take_over_an_application_of_another_organisation(
    cast, shared, partner, edition
):
    theirs = ApplicationFactory(edition=edition, organization=cast.org_a)
    upload(
        partner,
        shared,
        csv_bytes([[theirs.user.email, "Autre", "Nom", "mentee", ""]]),
        organization=cast.org_b,
    )
    batch = ImportBatch.objects.get()
    page = partner.get(preview_url(batch)).content.decode()
    assert (
        "Line 2: this person is already registered in this edition by another organisation" in page
    )
    partner.post(confirm_url(batch), {"sha256": batch.sha256})
    theirs.refresh_from_db()
    assert theirs.organization == cast.org_a


def test_partners_and_owners_see_the_imports_they_should(
    cast, shared, partner, english, client_for
):
    owner = english(cast.coordinator_a)
    upload(owner, shared, csv_bytes(people(1)))
    owners_batch = ImportBatch.objects.get()
    partner = english(cast.coordinator_b)
    upload(partner, shared, csv_bytes(people(1, start=7)), organization=cast.org_b)
    partners_batch = ImportBatch.objects.latest("pk")

    # The partner: their own import only, 404 on the owner's (which holds A's people).
    assert partner.get(preview_url(partners_batch)).status_code == 200
    assert partner.get(preview_url(owners_batch)).status_code == 404
    assert (
        partner.post(confirm_url(owners_batch), {"sha256": owners_batch.sha256}).status_code == 404
    )
    discard = reverse("imports:discard", kwargs={"slug": shared.slug, "pk": owners_batch.pk})
    assert partner.post(discard).status_code == 404
    page = partner.get(upload_url(shared)).content.decode()
    assert preview_url(partners_batch) in page
    assert preview_url(owners_batch) not in page
    assert not Application.objects.exists()

    # The owner's staff run the program: they see both.
    owner = english(cast.coordinator_a)
    assert owner.get(preview_url(partners_batch)).status_code == 200
    page = owner.get(upload_url(shared)).content.decode()
    assert preview_url(partners_batch) in page
    assert preview_url(owners_batch) in page


def test_an_import_of_another_program_is_not_reachable_through_this_one(cast, program, english):
    from tests.programs.factories import EditionFactory, ProgramFactory

    other = ProgramFactory(organization=cast.org_a, slug="autre")
    EditionFactory(program=other)
    coordinator = english(cast.coordinator_a)
    upload(coordinator, other, csv_bytes(people(1)))
    batch = ImportBatch.objects.get()
    url = reverse("imports:preview", kwargs={"slug": program.slug, "pk": batch.pk})
    assert coordinator.get(url).status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [("mentor", 403), ("mentee", 403), ("outsider", 404), ("coordinator_b", 404)],
)
def test_people_who_do_not_run_the_program_cannot_upload(
    cast, program, client_for, persona, status
):
    client = client_for(cast.persona(persona))
    response = upload(client, program, csv_bytes(people(1)))
    assert response.status_code == status
    assert not ImportBatch.objects.exists()


def test_the_owner_importing_a_partners_people_shows_in_the_partners_log(
    cast, shared, english, mailoutbox, django_capture_on_commit_callbacks
):
    from mentorat.audit.models import AuditEntry
    from mentorat.organizations.models import Invitation

    owner = english(cast.coordinator_a)
    rows = [[*person(1, "mentor"), "Lycée B"]]
    upload(owner, shared, csv_bytes(rows, header=[*HEADER, "organisation"]))
    batch = ImportBatch.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        owner.post(confirm_url(batch), {"sha256": batch.sha256})
    application = Application.objects.get()
    assert application.organization == cast.org_b
    invitation = Invitation.objects.get()
    assert (invitation.organization, invitation.role) == (cast.org_b, "mentor")
    entry = AuditEntry.objects.get(action="organizations.invitation.sent")
    assert (entry.organization, entry.actor) == (cast.org_b, cast.coordinator_a)
    (mail,) = mailoutbox
    assert "porté par Université A. En acceptant l'invitation, vous devenez membre de Lycée B" in (
        " ".join(mail.body.split())
    )
