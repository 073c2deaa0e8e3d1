"""An organisation signs up, waits, is approved (then invites and publishes) or refused
(then corrects its details and is examined again)."""

import pytest
from django.test import TestCase
from django.urls import reverse

from mentorat.audit.models import AuditEntry
from mentorat.lib.errors import DomainError
from mentorat.organizations.models import ApprovalStatus, Organization, Role
from mentorat.organizations.services import invite_member
from mentorat.programs.services import update_program
from tests.factories import UserFactory, with_totp
from tests.programs.factories import ProgramFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

NEXALIS = {
    "name": "Nexalis Lyon",
    "kind": "company",
    "siret": "732 829 320 00074",
    "uai": "",
    "address": "12 rue de la République",
    "city": "Lyon",
    "region": "",
    "website": "",
    "description": "",
}


def _sign_up(client, **changes):
    return client.post(reverse("organizations:signup"), NEXALIS | changes)


def _publish(program, user):
    update_program(
        program=program,
        name=program.name,
        summary="",
        description="",
        is_published=True,
        shared_with=[],
        actor=user,
    )


def test_sign_up_then_approval_allows_invitations_and_publication(client_for, cast, mailoutbox):
    founder = with_totp(UserFactory(email="rh@nexalis.example"))
    response = _sign_up(client_for(founder))
    organization = Organization.objects.get(name="Nexalis Lyon")
    assert response.status_code == 302
    assert (organization.approval_status, organization.siret) == ("pending", "73282932000074")
    assert founder.memberships.filter(organization=organization, role=Role.ADMIN).exists()
    assert AuditEntry.objects.filter(action="organizations.organization.signed_up").exists()
    page = client_for(founder).get(reverse("organizations:detail", args=[organization.slug]))
    assert "Waiting for the platform" in page.content.decode()

    # Until approved: drafts yes, invitations and publication no.
    program = ProgramFactory(organization=organization, is_published=False)
    with pytest.raises(DomainError, match="waiting for the platform's approval"):
        invite_member(
            organization=organization, email="a@example.org", role=Role.MENTOR, invited_by=founder
        )
    with pytest.raises(DomainError, match="waiting for the platform's approval"):
        _publish(program, founder)
    refused = client_for(founder).post(
        reverse("organizations:invite", args=[organization.slug]),
        {"email": "a@example.org", "role": Role.MENTOR},
    )
    assert "waiting for the platform" in refused.content.decode()

    # The platform admin sees it waiting and approves it.
    admin = client_for(cast.platform_admin)
    home = admin.get(reverse("web:home")).content.decode()
    assert reverse("organizations:review", args=[organization.slug]) in home
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = admin.post(
            reverse("organizations:review", args=[organization.slug]), {"decision": "approve"}
        )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.approval_status == ApprovalStatus.APPROVED
    assert organization.decided_by == cast.platform_admin
    [email] = mailoutbox
    assert email.to == ["rh@nexalis.example"]
    assert "validée" in email.subject  # in the recipient's language (French)
    invite_member(
        organization=organization, email="a@example.org", role=Role.MENTOR, invited_by=founder
    )
    _publish(program, founder)


def test_identifiers_are_checked_per_kind(client_for):
    client = client_for(UserFactory())
    response = _sign_up(client, siret="73282932000075")
    assert "check digit is wrong" in response.content.decode()
    response = _sign_up(client, kind="vocational_school", siret="", uai="")
    assert "UAI: enter 7 digits" in response.content.decode()
    assert not Organization.objects.exists()
    assert _sign_up(client, kind="vocational_school", siret="", uai="0750655e").status_code == 302
    assert Organization.objects.get().uai == "0750655E"


def test_refusal_needs_a_reason_is_emailed_and_a_correction_resubmits(client_for, cast, mailoutbox):
    founder = with_totp(UserFactory())
    _sign_up(client_for(founder))
    organization = Organization.objects.get(name="Nexalis Lyon")
    url = reverse("organizations:review", args=[organization.slug])
    admin = client_for(cast.platform_admin)
    assert "say why" in admin.post(url, {"decision": "refuse"}).content.decode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        admin.post(url, {"decision": "refuse", "reason": "SIRET d'une autre société"})
    organization.refresh_from_db()
    assert organization.approval_status == ApprovalStatus.REFUSED
    assert "SIRET d'une autre société" in mailoutbox[0].body
    assert (
        "not waiting for a decision any more"
        in admin.post(url, {"decision": "approve"}).content.decode()
    )

    client_for(founder).post(
        reverse("organizations:edit", args=[organization.slug]),
        NEXALIS | {"siret": "35600000049837"},
    )
    organization.refresh_from_db()
    assert (organization.approval_status, organization.siret) == ("pending", "35600000049837")
    assert AuditEntry.objects.filter(action="organizations.organization.resubmitted").exists()
