"""The daily retention run under time travel: the dry run lists and changes nothing, the
real run warns 30 days before, erases exactly what is due (a person one day before the
limit stays), anonymises old declined or withdrawn applications, removes accounts never
confirmed and deletes old audit entries, each organisation with its own periods."""

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core.management import CommandError

from mentorat.accounts.models import User
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.audit.models import AuditEntry
from mentorat.audit.pseudonyms import pseudonym_for
from mentorat.audit.services import record
from mentorat.notifications.models import EmailDelivery
from mentorat.organizations.models import Role
from mentorat.privacy.retention import services
from mentorat.privacy.retention.models import (
    WARNING_EMAILS,
    AnonymisedApplication,
    RetentionPolicy,
    RetentionWarning,
)
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.mentorships.factories import MentorshipFactory
from tests.privacy_retention.helpers import (
    DUE_ON,
    ENDS_ON,
    SETUP,
    apply,
    edition_ending,
    is_erased,
    participant,
    run,
)

pytestmark = pytest.mark.django_db

WARN_ON = DUE_ON - timedelta(days=30)  # 1 June 2026


def _warnings_to(user: User, mailoutbox) -> list:
    return [m for m in mailoutbox if m.to == [user.email]]


# --- Participants -----------------------------------------------------------------------


def test_dry_run_lists_what_is_due_and_changes_nothing(mailoutbox):
    person = participant(first_name="Zoé", last_name="Secrète", email="zoe@example.org")
    declined = participant(status=ApplicationStatus.DECLINED, ends_on=date(2025, 6, 30))
    with time_machine.travel(SETUP, tick=False):
        unconfirmed = User.objects.create_user(email="never-confirmed@example.org")
        record(action="test.old", actor=person)
    before = (
        User.objects.filter(is_active=True).count(),
        AuditEntry.objects.count(),
        list(Application.objects.values_list("answers", "decision_reason")),
    )

    out = run(DUE_ON + timedelta(days=60), dry_run=True)

    assert "dry run: nothing changed" in out
    assert "warned=1" in out
    assert pseudonym_for(person.pk) in out
    assert "applications_anonymised=1" in out
    assert f"application:{declined.applications.get().pk}" in out
    assert "accounts_removed=1" in out
    assert pseudonym_for(unconfirmed.pk) in out
    assert "audit_entries_deleted=1" in out
    # Nobody is named on the console.
    for secret in ("Zoé", "Secrète", "zoe@example.org", "never-confirmed", "@example.org"):
        assert secret not in out
    # Nothing changed, nothing sent.
    after = (
        User.objects.filter(is_active=True).count(),
        AuditEntry.objects.count(),
        list(Application.objects.values_list("answers", "decision_reason")),
    )
    assert after == before
    assert not RetentionWarning.objects.exists()
    assert not AnonymisedApplication.objects.exists()
    assert mailoutbox == []


def test_warned_30_days_before_once_then_erased_on_the_day_and_not_a_day_before(mailoutbox):
    first = participant(language="en")
    # Their last edition ended one day later: due one day later.
    second = participant(ends_on=ENDS_ON + timedelta(days=1))

    assert "warned=0" in run(WARN_ON - timedelta(days=1))
    assert mailoutbox == []

    out = run(WARN_ON)
    assert "warned=1" in out
    assert pseudonym_for(first.pk) in out
    [email] = _warnings_to(first, mailoutbox)
    assert "July 1, 2026" in email.subject  # in their language (English)
    assert "/accounts/login/" in email.body  # a link to sign in
    assert not _warnings_to(second, mailoutbox)

    # The same day again, and the day after: nothing twice.
    run(WARN_ON)
    run(WARN_ON + timedelta(days=1))
    assert len(_warnings_to(first, mailoutbox)) == 1
    assert len(_warnings_to(second, mailoutbox)) == 1
    # The second in theirs (French): the date at least, whatever the catalogue holds.
    assert "2 juillet 2026" in _warnings_to(second, mailoutbox)[0].subject
    assert RetentionWarning.objects.count() == 2

    # The day before the limit, both stay.
    out = run(DUE_ON - timedelta(days=1))
    assert "people_erased=0" in out
    assert "waiting=2" in out
    assert not is_erased(first)
    assert not is_erased(second)

    # On the day: the first goes, the second (one day before their limit) stays.
    out = run(DUE_ON)
    assert "people_erased=1" in out
    assert pseudonym_for(first.pk) in out
    assert is_erased(first)
    assert not is_erased(second)
    application = first.applications.get()
    assert application.status == ApplicationStatus.ACCEPTED  # still counted
    assert application.answers == {}
    assert application.decision_reason == ""

    # A day later, the second; and a run again erases nobody more, warns nobody.
    run(DUE_ON + timedelta(days=1))
    assert is_erased(second)
    out = run(DUE_ON + timedelta(days=2))
    assert "people_erased=0" in out
    assert "warned=0" in out
    assert len(mailoutbox) == 2
    assert AuditEntry.objects.filter(
        action="privacy.person.erased", data__reason="retention"
    ).exists()


def test_a_person_found_late_is_warned_and_erased_30_days_after_the_warning(mailoutbox):
    person = participant()
    late = DUE_ON + timedelta(days=100)
    run(late)
    assert len(_warnings_to(person, mailoutbox)) == 1
    warning = RetentionWarning.objects.get(user=person)
    assert warning.erase_on == late + timedelta(days=30)
    run(late + timedelta(days=29))
    assert not is_erased(person)
    run(late + timedelta(days=30))
    assert is_erased(person)


def test_signing_in_after_the_warning_keeps_the_account(mailoutbox):
    person = participant()
    run(WARN_ON)
    with time_machine.travel(datetime(2026, 6, 10, 9, tzinfo=UTC), tick=False):
        User.objects.filter(pk=person.pk).update(last_login=datetime.now(UTC))
    run(DUE_ON)
    run(DUE_ON + timedelta(days=200))
    assert not is_erased(person)
    # Three years after that sign-in, the same again.
    new_due = date(2029, 6, 11)
    run(new_due - timedelta(days=30))
    assert len(_warnings_to(person, mailoutbox)) == 2
    run(new_due - timedelta(days=1))
    assert not is_erased(person)
    run(new_due)
    assert is_erased(person)


def test_a_new_application_resets_the_clock():
    person = participant()
    apply(person, edition_ending(date(2026, 12, 31)))
    run(DUE_ON + timedelta(days=60))
    assert not RetentionWarning.objects.exists()
    assert not is_erased(person)


def test_a_warning_recorded_by_a_run_that_died_is_sent_by_the_next_run(mailoutbox):
    person = participant()
    # A run recorded the warning, then died before queueing its email.
    RetentionWarning.objects.create(user=person, due_on=DUE_ON, erase_on=DUE_ON)
    run(WARN_ON + timedelta(days=1))
    assert len(_warnings_to(person, mailoutbox)) == 1
    assert EmailDelivery.objects.filter(purpose=WARNING_EMAILS, status="sent").count() == 1
    run(WARN_ON + timedelta(days=2))
    assert len(_warnings_to(person, mailoutbox)) == 1


def test_people_in_an_active_pair_and_staff_are_never_erased(mailoutbox):
    with time_machine.travel(SETUP, tick=False):
        edition = edition_ending(ENDS_ON)
        pair = MentorshipFactory(edition=edition, started_on=ENDS_ON - timedelta(days=200))
        coordinator = UserFactory()
        apply(coordinator, edition_ending(ENDS_ON))
        MembershipFactory(user=coordinator, role=Role.COORDINATOR)
    run(DUE_ON + timedelta(days=40))
    run(DUE_ON + timedelta(days=80))
    assert mailoutbox == []
    assert not any(is_erased(u) for u in (pair.mentor, pair.mentee, coordinator))


# --- Organisations' periods -------------------------------------------------------------


def test_an_organisation_keeping_participants_longer_postpones_the_erasure(mailoutbox):
    organization = OrganizationFactory()
    person = participant(organization=organization)
    RetentionPolicy.objects.create(organization=organization, participants_years=5)
    run(DUE_ON + timedelta(days=40))
    assert mailoutbox == []
    assert not is_erased(person)
    run(date(2028, 6, 1))  # five years after, minus 30 days
    assert len(_warnings_to(person, mailoutbox)) == 1


def test_the_longest_period_among_the_organisations_holding_the_data_wins(mailoutbox):
    short, default = OrganizationFactory(), OrganizationFactory()
    RetentionPolicy.objects.create(organization=short, participants_years=1)
    person = participant(organization=short)
    with time_machine.travel(SETUP, tick=False):
        # Also applied to a program of an organisation with the default three years.
        apply(person, edition_ending(ENDS_ON - timedelta(days=10), default))
    only_short = participant(organization=short)
    run(date(2024, 7, 1))  # one year after
    assert len(_warnings_to(only_short, mailoutbox)) == 1
    assert not _warnings_to(person, mailoutbox)
    run(date(2024, 8, 1))
    assert is_erased(only_short)
    assert not is_erased(person)
    run(WARN_ON)
    assert len(_warnings_to(person, mailoutbox)) == 1


# --- Applications, unconfirmed accounts, audit entries -----------------------------------


def test_old_declined_or_withdrawn_applications_are_anonymised_once_and_still_counted():
    organization = OrganizationFactory()
    RetentionPolicy.objects.create(organization=organization, applications_months=6)
    with time_machine.travel(datetime(2026, 1, 10, 9, tzinfo=UTC), tick=False):
        person = UserFactory()
        edition = edition_ending(date(2026, 12, 31), organization)
        declined = apply(person, edition, status=ApplicationStatus.DECLINED)
        withdrawn = apply(UserFactory(), edition, status=ApplicationStatus.WITHDRAWN)
        accepted = apply(UserFactory(), edition)
        elsewhere = apply(
            UserFactory(), edition_ending(date(2026, 12, 31)), status=ApplicationStatus.DECLINED
        )

    # Six months after the decision is not more than six months: the day after is.
    assert "applications_anonymised=0" in run(date(2026, 7, 10))
    out = run(date(2026, 7, 11))
    assert "applications_anonymised=2" in out
    for application in (declined, withdrawn):
        application.refresh_from_db()
        assert application.answers == {}
        assert application.decision_reason == ""
        assert application.status in (ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN)
    for application in (accepted, elsewhere):  # accepted; another organisation's (12 months)
        application.refresh_from_db()
        assert application.decision_reason == "Raison confidentielle"
    assert not is_erased(person)  # the person stays; only the application is anonymised
    assert Application.objects.count() == 4
    assert "applications_anonymised=0" in run(date(2026, 7, 12))
    assert "applications_anonymised=0" in run(date(2027, 1, 10))
    assert "applications_anonymised=1" in run(date(2027, 1, 11))  # the other organisation's
    entries = AuditEntry.objects.filter(
        action="privacy.retention.application_anonymised", organization=organization
    )
    assert sorted(e.data["application"] for e in entries) == [declined.pk, withdrawn.pk]


def test_accounts_never_confirmed_are_removed_after_30_days_with_nothing_else():
    with time_machine.travel(SETUP, tick=False):
        never = User.objects.create_user(email="never@example.org")
        unverified = User.objects.create_user(email="unverified@example.org")
        EmailAddress.objects.create(user=unverified, email=unverified.email, verified=False)
        confirmed = UserFactory()  # a confirmed address
        applicant = User.objects.create_user(email="imported@example.org")  # holds data
        apply(applicant, edition_ending(date(2026, 12, 31)))
    with time_machine.travel(SETUP + timedelta(days=1), tick=False):
        recent = User.objects.create_user(email="recent@example.org")

    assert "accounts_removed=0" in run(SETUP.date() + timedelta(days=30))
    out = run(SETUP.date() + timedelta(days=31))
    assert "accounts_removed=2" in out
    assert is_erased(never)
    assert is_erased(unverified)
    assert not any(is_erased(u) for u in (confirmed, applicant, recent))
    run(SETUP.date() + timedelta(days=32))
    assert is_erased(recent)
    assert "accounts_removed=0" in run(SETUP.date() + timedelta(days=33))


def test_audit_entries_are_deleted_after_their_organisations_period():
    short, default = OrganizationFactory(), OrganizationFactory()
    RetentionPolicy.objects.create(organization=short, audit_months=6)
    with time_machine.travel(datetime(2026, 1, 10, 9, tzinfo=UTC), tick=False):
        record(action="test.short", organization=short)
        record(action="test.default", organization=default)
        record(action="test.platform")

    run(date(2026, 7, 10))
    assert AuditEntry.objects.filter(action="test.short").exists()
    run(date(2026, 7, 11))
    assert not AuditEntry.objects.filter(action="test.short").exists()
    assert AuditEntry.objects.filter(action="test.default").exists()
    assert AuditEntry.objects.filter(action="test.platform").exists()
    summary = AuditEntry.objects.get(action="privacy.retention.audit_entries_deleted")
    assert summary.organization == short
    assert summary.data["count"] == 1

    run(date(2027, 1, 11))
    assert not AuditEntry.objects.filter(action__in=["test.default", "test.platform"]).exists()


def test_an_item_that_fails_is_left_as_it_was_and_done_by_the_next_run(monkeypatch, caplog):
    with time_machine.travel(SETUP, tick=False):
        edition = edition_ending(date(2022, 12, 31))
        broken = apply(UserFactory(email="broken@example.org"), edition, status="declined")
        fine = apply(UserFactory(), edition, status="declined")
    real_erase_rows = services.erase_rows

    def erase_rows(*, model_label, rows, person):
        if person.pk == broken.user_id:
            raise ValueError(f"cannot erase {person.email}")
        return real_erase_rows(model_label=model_label, rows=rows, person=person)

    monkeypatch.setattr(services, "erase_rows", erase_rows)
    with pytest.raises(CommandError, match="1 item"):
        run(date(2024, 1, 10))
    assert AnonymisedApplication.objects.filter(application=fine).exists()
    assert not AnonymisedApplication.objects.filter(application=broken).exists()
    broken.refresh_from_db()
    assert broken.decision_reason == "Raison confidentielle"  # rolled back, whole
    assert f"application:{broken.pk}" in caplog.text
    assert "broken@example.org" not in caplog.text  # the error's message is not logged

    monkeypatch.setattr(services, "erase_rows", real_erase_rows)
    assert "applications_anonymised=1" in run(date(2024, 1, 11))
    assert AnonymisedApplication.objects.filter(application=broken).exists()


def test_nobody_is_erased_before_their_warning_email_went_out(monkeypatch, mailoutbox):
    person = participant()
    # The worker is down: the warning is recorded, its email waits in the queue.
    queue_nothing = SimpleNamespace(enqueue=lambda **kwargs: None)
    monkeypatch.setattr(services.tasks, "send_retention_warning", queue_nothing)
    run(WARN_ON)
    assert RetentionWarning.objects.filter(user=person).exists()
    run(DUE_ON + timedelta(days=10))
    assert not is_erased(person)
    assert mailoutbox == []
    # The worker is back: the next run queues the email again, and the person has their
    # 30 days from then.
    monkeypatch.undo()
    back = DUE_ON + timedelta(days=11)
    out = run(back)
    assert len(_warnings_to(person, mailoutbox)) == 1
    assert "waiting=1" in out
    run(back + timedelta(days=29))
    assert not is_erased(person)
    run(back + timedelta(days=30))
    assert is_erased(person)
