"""The organisation admins' retention settings page: defaults shown, changes saved and
audited, bad input refused with an error naming the field, coordinators refused (403),
other organisations hidden (404), and a POST refused changes nothing."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from mentorat.audit.models import AuditEntry
from mentorat.organizations.models import Role
from mentorat.privacy.retention.models import RetentionPolicy
from mentorat.privacy.retention.periods import DEFAULT_PERIODS
from mentorat.privacy.retention.selectors import periods_for
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

VALID = {"participants_years": "5", "applications_months": "6", "audit_months": "24"}


def _url(cast) -> str:
    return reverse("privacy:retention", kwargs={"slug": cast.org_a.slug})


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def test_the_page_shows_the_defaults_of_the_privacy_notice(cast, client_for):
    response = _english(client_for(cast.admin_a)).get(_url(cast))
    assert response.status_code == 200
    page = response.content.decode()
    assert "uses the default periods" in page
    assert 'name="participants_years" value="3"' in page
    assert 'name="applications_months" value="12"' in page
    assert 'name="audit_months" value="12"' in page


def test_an_admin_changes_the_periods_and_it_is_audited(cast, client_for):
    client = _english(client_for(cast.admin_a))
    response = client.post(_url(cast), VALID)
    assert response.status_code == 302
    periods = periods_for(organization=cast.org_a)
    assert (periods.participants_years, periods.applications_months, periods.audit_months) == (
        5,
        6,
        24,
    )
    entry = AuditEntry.objects.get(action="privacy.retention.updated")
    assert entry.organization == cast.org_a
    assert entry.actor == cast.admin_a
    assert entry.data == {
        "before": {"participants_years": 3, "applications_months": 12, "audit_months": 12},
        "after": {"participants_years": 5, "applications_months": 6, "audit_months": 24},
    }
    assert "Retention periods saved." in client.get(_url(cast)).content.decode()
    # Saving the same values again records nothing more.
    client.post(_url(cast), VALID)
    assert AuditEntry.objects.filter(action="privacy.retention.updated").count() == 1


def test_going_back_to_the_defaults(cast, client_for):
    client = _english(client_for(cast.admin_a))
    client.post(_url(cast), VALID)
    response = client.post(_url(cast), {"reset": "1"})
    assert response.status_code == 302
    assert not RetentionPolicy.objects.exists()
    assert periods_for(organization=cast.org_a) == DEFAULT_PERIODS
    assert AuditEntry.objects.filter(action="privacy.retention.updated").count() == 2


PARTICIPANTS = "Participants&#x27; data: enter a number of years between 1 and 10."
APPLICATIONS = "Declined or withdrawn applications: enter a number of months between 1 and 36."
AUDIT = "Audit log entries: enter a number of months between 6 and 60."


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("participants_years", "0", PARTICIPANTS),
        ("participants_years", "11", PARTICIPANTS),
        ("participants_years", "trois", PARTICIPANTS),
        ("applications_months", "", APPLICATIONS),
        ("applications_months", "2.5", APPLICATIONS),
        ("audit_months", "5", AUDIT),
        ("audit_months", "61", AUDIT),
    ],
)
def test_bad_input_is_refused_with_an_error_naming_the_field(
    cast, client_for, field, value, message
):
    response = _english(client_for(cast.admin_a)).post(_url(cast), VALID | {field: value})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert f'id="id_{field}_error"' in page
    assert not RetentionPolicy.objects.exists()
    assert not AuditEntry.objects.filter(action="privacy.retention.updated").exists()


def test_the_error_is_in_the_language_of_the_request(cast, client_for):
    client = client_for(cast.admin_a)
    client.cookies["django_language"] = "fr"
    response = client.post(_url(cast), VALID | {"audit_months": "2"})
    with translation.override("fr"):
        expected = gettext(
            "Audit log entries: enter a number of months between %(low)d and %(high)d."
        )
    assert escape(expected % {"low": 6, "high": 60}) in response.content.decode()


@pytest.mark.parametrize("persona", ["coordinator_a", "mentor"])
def test_coordinators_and_members_cannot_change_the_periods(cast, client_for, persona):
    response = client_for(getattr(cast, persona)).post(_url(cast), VALID)
    assert response.status_code == 403
    assert not RetentionPolicy.objects.exists()


def test_another_organisations_admin_cannot_tell_the_page_exists(cast, client_for):
    MembershipFactory(user=cast.coordinator_b, organization=cast.org_b, role=Role.ADMIN)
    response = client_for(cast.coordinator_b).post(_url(cast), VALID)
    assert response.status_code == 404
    assert not RetentionPolicy.objects.exists()
