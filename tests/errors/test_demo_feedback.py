"""The demo as a first visitor meets it: emails in Mentorat's name, the personas' check-ins
waiting for them, and a login for every organisation's contact."""

import pytest
from django.core import mail
from django.urls import reverse

from mentorat.demo.loader import DEMO_PASSWORD, load_demo
from mentorat.mentorships.models import CheckIn
from mentorat.organizations.models import Membership, Organization, Role

pytestmark = pytest.mark.django_db

STAFF = (Role.ADMIN, Role.COORDINATOR)


@pytest.fixture
def logins():
    return load_demo()


def test_every_organisation_has_a_staff_login(logins):
    printed = {login.email for login in logins}
    for organization in Organization.objects.all():
        contacts = set(
            Membership.objects.filter(organization=organization, role__in=STAFF).values_list(
                "user__email", flat=True
            )
        )
        assert contacts & printed, organization.name


def test_the_personas_have_check_ins_to_answer(logins):
    for email in ("mentor@banque.demo", "mentoree@universite.demo"):
        assert CheckIn.objects.filter(respondent__email=email, answered_at__isnull=True).exists()


def test_account_emails_say_mentorat_not_the_host(client, logins):
    client.cookies["django_language"] = "en"
    client.post(reverse("account_reset_password"), {"email": "mentor@banque.demo"})
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Mentorat" in body
    assert "Hello from testserver" not in body
    assert "Hello from Mentorat" in body
    assert DEMO_PASSWORD not in body
