"""Coordinators record and revoke mentors' safeguarding checks: the edition's list with
each mentor's status, the form (the document is never stored), tenancy for a partner's
coordinator, the audit trail, and bad input answered with the field's name."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentorat.audit.models import AuditEntry
from mentorat.safeguarding.models import CheckKind, SafeguardingCheck
from tests.factories import UserFactory
from tests.programs.factories import EditionFactory, ProgramFactory
from tests.safeguarding.permission_cases import accepted_mentor, check_of


@pytest.fixture
def scene(cast):
    """A program of A shared with its partner C, with two mentors of A and one of C."""
    program = ProgramFactory(organization=cast.org_a, slug="honorabilite")
    EditionFactory(program=program)
    program.shared_with.add(cast.org_c)
    ours = [
        accepted_mentor(program, UserFactory(first_name=name, last_name="A"), cast.org_a)
        for name in ("Alice", "Bruno")
    ]
    theirs = accepted_mentor(program, UserFactory(first_name="Chloé", last_name="C"), cast.org_c)
    return program, ours, theirs


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def _urls(program, mentor=None):
    edition = program.editions.get()
    listing = reverse("safeguarding:mentors", args=[program.slug, edition.pk])
    record = (
        reverse("safeguarding:record", args=[program.slug, edition.pk, mentor.pk])
        if mentor
        else None
    )
    return listing, record


def _form(**values):
    today = timezone.localdate()
    return {
        "kind": CheckKind.CRIMINAL_RECORD,
        "checked_on": (today - timedelta(days=3)).isoformat(),
        "valid_until": (today + timedelta(days=360)).isoformat(),
        "document_not_kept": "on",
    } | values


def test_coordinator_records_a_check_and_the_list_shows_it(cast, client_for, scene):
    program, (alice, _bruno), _chloe = scene
    client = _english(client_for(cast.coordinator_a))
    listing, record = _urls(program, alice)
    page = client.get(listing).content.decode()
    for name in ("Alice A", "Bruno A", "Chloé C"):
        assert name in page
    assert page.count("Not recorded") == 3
    assert "0 of 3 mentors with a valid check today." in page

    form = client.get(record).content.decode()
    assert "never stores the document itself" in form
    assert 'type="file"' not in form
    response = client.post(record, _form())
    assert response.status_code == 302
    check = SafeguardingCheck.objects.get()
    assert (check.mentor, check.organization, check.recorded_by) == (
        alice.user,
        cast.org_a,
        cast.coordinator_a,
    )
    entry = AuditEntry.objects.get(action="safeguarding.check.recorded")
    assert entry.organization == cast.org_a
    assert entry.data["mentor"] == alice.user_id
    assert "Alice" not in entry.target_label  # the label names no one

    page = client.get(listing).content.decode()
    assert "1 of 3 mentors with a valid check today." in page
    assert "Criminal record extract" in page


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"kind": CheckKind.OTHER, "kind_detail": ""}, "kind_detail", "say which check was made"),
        (
            {"checked_on": (timezone.localdate() + timedelta(days=2)).isoformat()},
            "checked_on",
            "cannot be in the future",
        ),
        ({"valid_until": "2000-01-01"}, "valid_until", "must come after the date of the check"),
        ({"document_not_kept": ""}, "document_not_kept", "This field is required"),
        ({"checked_on": "pas une date"}, "checked_on", "Enter a valid date"),
        ({"kind": "casier"}, "kind", "Select a valid choice"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    cast, client_for, scene, values, field, message
):
    program, (alice, _bruno), _chloe = scene
    _listing, record = _urls(program, alice)
    response = _english(client_for(cast.coordinator_a)).post(record, _form(**values))
    assert response.status_code == 200
    assert message in response.content.decode()
    errors = response.context["form"].errors
    assert field in errors or "__all__" in errors
    assert not SafeguardingCheck.objects.exists()
    assert not AuditEntry.objects.filter(action="safeguarding.check.recorded").exists()


def test_partner_coordinator_sees_and_records_only_their_own_mentors(cast, client_for, scene):
    program, (alice, _bruno), chloe = scene
    client = _english(client_for(cast.partner_coordinator))
    listing, record_alice = _urls(program, alice)
    page = client.get(listing).content.decode()
    assert "Chloé C" in page
    assert "Alice A" not in page
    assert client.get(record_alice).status_code == 404
    assert client.post(record_alice, _form()).status_code == 404
    _listing, record_chloe = _urls(program, chloe)
    assert client.post(record_chloe, _form()).status_code == 302
    check = SafeguardingCheck.objects.get()
    assert check.organization == cast.org_c  # in the partner's name
    # A's check of A's mentor is not the partner's to revoke.
    ours = check_of(alice, cast.org_a)
    revoke = reverse("safeguarding:revoke", args=[program.slug, ours.pk])
    assert client.post(revoke).status_code == 404
    ours.refresh_from_db()
    assert ours.revoked_at is None


def test_another_organisation_cannot_tell_the_pages_exist(cast, client_for, scene):
    program, (alice, _bruno), _chloe = scene
    listing, record = _urls(program, alice)
    check = check_of(alice, cast.org_a)
    client = client_for(cast.coordinator_b)
    assert client.get(listing).status_code == 404
    assert client.post(record, _form()).status_code == 404
    assert (
        client.post(reverse("safeguarding:revoke", args=[program.slug, check.pk])).status_code
        == 404
    )
    assert SafeguardingCheck.objects.count() == 1


def test_revoking_a_check_is_audited_and_the_mentor_is_no_longer_checked(cast, client_for, scene):
    program, (alice, _bruno), _chloe = scene
    check = check_of(alice, cast.org_a)
    client = _english(client_for(cast.coordinator_a))
    listing, _record = _urls(program)
    revoke = reverse("safeguarding:revoke", args=[program.slug, check.pk])
    response = client.post(revoke, {"edition": program.editions.get().pk})
    assert response.status_code == 302
    assert response["Location"] == listing
    check.refresh_from_db()
    assert check.revoked_at is not None
    assert check.revoked_by == cast.coordinator_a
    assert AuditEntry.objects.filter(action="safeguarding.check.revoked").count() == 1
    page = client.get(listing).content.decode()
    assert "last one revoked on" in page
    # Twice: a message, nothing more.
    again = client.post(revoke, {"edition": program.editions.get().pk}, follow=True)
    assert "already been revoked" in again.content.decode()
    assert AuditEntry.objects.filter(action="safeguarding.check.revoked").count() == 1


def test_the_list_reads_a_fixed_number_of_queries(cast, client_for, scene):
    program, (alice, _bruno), _chloe = scene
    client = client_for(cast.coordinator_a)
    listing, _record = _urls(program)
    client.get(listing)
    with CaptureQueriesContext(connection) as few:
        client.get(listing)
    for k in range(6):
        mentor = accepted_mentor(program, UserFactory(), cast.org_a)
        check_of(mentor, cast.org_a)
        if k % 2:
            check_of(mentor, cast.org_c)
    check_of(alice, cast.org_a)
    with CaptureQueriesContext(connection) as many:
        client.get(listing)
    assert len(many) == len(few)


def test_a_check_is_revoked_only_by_the_organisation_that_recorded_it(cast, client_for, scene):
    program, _ours, chloe = scene
    check = check_of(chloe, cast.org_a)  # A checked the partner's mentor
    listing, _record = _urls(program)
    revoke = reverse("safeguarding:revoke", args=[program.slug, check.pk])
    partner_page = _english(client_for(cast.partner_coordinator)).get(listing).content.decode()
    assert "Valid" in partner_page  # it counts for the partner's mentor…
    assert revoke not in partner_page  # …but is not the partner's to revoke
    assert revoke in _english(client_for(cast.coordinator_a)).get(listing).content.decode()
