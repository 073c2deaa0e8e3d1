"""Refusals of people outside an organisation go to the platform's security log, under a
pseudonym and rate-limited — never to the organisation's audit log, whose admins would
otherwise read the email of anyone (minors included) who followed a link to it."""

import importlib
from datetime import timedelta

import pytest
import time_machine
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from mentorat.audit.models import AuditEntry, SecurityEvent
from mentorat.audit.pseudonyms import identify, pseudonym_for
from mentorat.audit.services import purge_security_events
from tests.mentorships.permission_cases import pair_of_a
from tests.programs.factories import ProgramFactory

OUTSIDERS = ["outsider", "coordinator_b"]


@pytest.fixture(autouse=True)
def _fresh_rate_limits(db):
    # Counts live in the cache, which outlives a test's database transaction.
    cache.clear()
    yield
    cache.clear()


def org_a_urls(cast) -> dict[str, str]:
    program = ProgramFactory(organization=cast.org_a, slug="programme-a", name="Programme A")
    return {
        "access.organization.denied": reverse(
            "organizations:detail", kwargs={"slug": cast.org_a.slug}
        ),
        "access.program.denied": reverse("programs:manage", kwargs={"slug": program.slug}),
        "access.mentorship.denied": reverse(
            "mentorships:workspace", kwargs={"pk": pair_of_a(cast).pk}
        ),
    }


def fields_of(event: SecurityEvent) -> str:
    return " ".join(str(getattr(event, f.attname)) for f in SecurityEvent._meta.fields)


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsider_requests_leave_nothing_in_the_organisation_log(cast, client_for, persona):
    urls = org_a_urls(cast)
    before = set(AuditEntry.objects.filter(organization=cast.org_a).values_list("pk", flat=True))
    person = cast.persona(persona)
    client = client_for(person)
    for url in urls.values():
        assert client.get(url).status_code == 404
    after = set(AuditEntry.objects.filter(organization=cast.org_a).values_list("pk", flat=True))
    assert after == before
    assert not AuditEntry.objects.filter(actor=person, organization__isnull=False).exists()

    page = client_for(cast.admin_a).get(
        reverse("audit:organization_log", kwargs={"slug": cast.org_a.slug})
    )
    assert page.status_code == 200
    assert person.email not in page.content.decode()


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_each_refusal_is_a_pseudonymous_security_event(cast, client_for, persona):
    urls = org_a_urls(cast)
    person = cast.persona(persona)
    client = client_for(person)
    for url in urls.values():
        client.get(url)
    events = {event.kind: event for event in SecurityEvent.objects.all()}
    assert set(events) == set(urls)
    for kind, event in events.items():
        assert event.user_pseudonym == pseudonym_for(person.pk)
        assert event.path == urls[kind]
        assert event.method == "GET"
        assert person.email not in fields_of(event)
        assert person.email.split("@")[0] not in fields_of(event)
    assert events["access.program.denied"].target_type == "programs.program"
    # The same account always gets the same pseudonym; another account another one.
    assert pseudonym_for(person.pk) != pseudonym_for(cast.mentee.pk)
    assert identify(pseudonym_for(person.pk)) == person


def test_members_and_anonymous_visitors_write_no_security_event(cast, client_for):
    urls = org_a_urls(cast)
    client_for(cast.coordinator_a).get(urls["access.program.denied"])
    client_for(cast.mentor).get(urls["access.mentorship.denied"])
    client_for(None).get(urls["access.organization.denied"])
    assert not SecurityEvent.objects.exists()


def test_refusals_over_the_rate_limit_add_no_row(cast, client_for, settings):
    settings.SECURITY_EVENT_RATE_LIMIT = 3
    url = org_a_urls(cast)["access.organization.denied"]
    client = client_for(cast.outsider)
    for _ in range(10):
        assert client.get(url).status_code == 404  # still refused, only not recorded
    assert SecurityEvent.objects.count() == 3
    # Another account has its own allowance.
    client_for(cast.coordinator_b).get(url)
    assert SecurityEvent.objects.count() == 4
    assert not AuditEntry.objects.filter(organization=cast.org_a, action__startswith="access.")


def test_rate_limit_holds_for_the_whole_window_on_the_database_cache(cast, client_for, settings):
    """The database cache's `incr` resets a key's expiry to the default timeout; the
    window must not restart early because of it."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "security_log_test_cache",
            "TIMEOUT": 1,
        }
    }
    call_command("createcachetable", verbosity=0)
    settings.SECURITY_EVENT_RATE_LIMIT = 2
    settings.SECURITY_EVENT_RATE_WINDOW = 3600
    url = org_a_urls(cast)["access.organization.denied"]
    client = client_for(cast.outsider)
    start = timezone.now().replace(minute=0, second=0, microsecond=0)
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        for _ in range(3):
            client.get(url)
    for minute in (25, 50):  # long after the cache's 1-second default timeout
        with time_machine.travel(start + timedelta(minutes=minute), tick=False):
            assert client.get(url).status_code == 404
    assert SecurityEvent.objects.count() == 2
    with time_machine.travel(start + timedelta(hours=1, minutes=10), tick=False):
        assert client.get(url).status_code == 404  # a new window
    assert SecurityEvent.objects.count() == 3


def test_platform_admin_reads_security_events_in_the_admin(cast, client_for):
    urls = org_a_urls(cast)
    client_for(cast.outsider).get(urls["access.program.denied"])
    event = SecurityEvent.objects.get()
    admin = client_for(cast.platform_admin)

    listing = admin.get(reverse("admin:audit_securityevent_changelist"))
    assert listing.status_code == 200
    content = listing.content.decode()
    assert event.user_pseudonym in content
    assert cast.outsider.email not in content
    # Searching for an account's email finds its events without the log storing it.
    found = admin.get(reverse("admin:audit_securityevent_changelist"), {"q": cast.outsider.email})
    assert event.user_pseudonym in found.content.decode()
    not_found = admin.get(reverse("admin:audit_securityevent_changelist"), {"q": cast.mentee.email})
    assert event.user_pseudonym not in not_found.content.decode()

    # Read-only: viewing works, changing, adding and deleting do not.
    change_url = reverse("admin:audit_securityevent_change", args=[event.pk])
    assert admin.get(change_url).status_code == 200
    admin.post(change_url, {"kind": "tampered"})
    event.refresh_from_db()
    assert event.kind == "access.program.denied"
    assert admin.get(reverse("admin:audit_securityevent_add")).status_code == 403
    delete_url = reverse("admin:audit_securityevent_delete", args=[event.pk])
    assert admin.post(delete_url, {"post": "yes"}).status_code == 403
    assert SecurityEvent.objects.filter(pk=event.pk).exists()


def test_organisation_admins_do_not_see_security_events(cast, client_for):
    client_for(cast.outsider).get(org_a_urls(cast)["access.program.denied"])
    pseudonym = SecurityEvent.objects.get().user_pseudonym
    response = client_for(cast.admin_a).get(reverse("admin:audit_securityevent_changelist"))
    # Not staff: the admin site sends them to its own sign-in page.
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    page = client_for(cast.admin_a).get(
        reverse("audit:organization_log", kwargs={"slug": cast.org_a.slug})
    )
    assert page.status_code == 200
    assert pseudonym not in page.content.decode()


def test_old_refusal_entries_are_not_shown_in_the_organisation_log(cast, client_for):
    """Rows written before the fix (or by an old process during a deployment)."""
    AuditEntry.objects.create(
        action="access.program.denied",
        actor=cast.outsider,
        actor_label=cast.outsider.email,
        organization=cast.org_a,
    )
    AuditEntry.objects.create(
        action="programs.program.updated",
        actor=cast.coordinator_a,
        actor_label=cast.coordinator_a.email,
        organization=cast.org_a,
    )
    page = client_for(cast.admin_a).get(
        reverse("audit:organization_log", kwargs={"slug": cast.org_a.slug})
    )
    content = page.content.decode()
    assert cast.outsider.email not in content
    assert cast.coordinator_a.email in content  # a member's own action stays visible


def test_data_migration_moves_refusals_out_of_organisation_logs(cast, settings):
    settings.SECURITY_EVENT_RATE_LIMIT = 2
    migration = importlib.import_module("mentorat.audit.migrations.0003_move_access_denials")
    kept = AuditEntry.objects.create(
        action="programs.program.updated",
        actor=cast.coordinator_a,
        actor_label=cast.coordinator_a.email,
        organization=cast.org_a,
    )
    at = timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(days=1)
    for minute, (person, action) in enumerate(
        [
            (cast.outsider, "access.organization.denied"),
            (cast.outsider, "access.program.denied"),
            (cast.outsider, "access.program.denied"),  # over the limit of its hour
            (cast.coordinator_b, "access.mentorship.denied"),
            (None, "access.program.denied"),  # account since deleted
        ]
    ):
        entry = AuditEntry.objects.create(
            action=action,
            actor=person,
            actor_label=person.email if person else "gone@example.org",
            organization=cast.org_a,
            target_type="programs.program",
            target_id="7",
        )
        AuditEntry.objects.filter(pk=entry.pk).update(created_at=at + timedelta(minutes=minute))

    migration.move_access_denials(apps, schema_editor=None)

    assert list(AuditEntry.objects.filter(organization__isnull=False)) == [kept]
    events = SecurityEvent.objects.order_by("created_at")
    assert [(e.user_pseudonym, e.kind) for e in events] == [
        (pseudonym_for(cast.outsider.pk), "access.organization.denied"),
        (pseudonym_for(cast.outsider.pk), "access.program.denied"),
        (pseudonym_for(cast.coordinator_b.pk), "access.mentorship.denied"),
    ]
    assert events[0].created_at == at
    assert events[0].target_id == "7"


def test_security_events_are_purged_after_the_retention_period(cast):
    old = SecurityEvent.objects.create(user_pseudonym="a" * 32, kind="access.program.denied")
    SecurityEvent.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=181))
    recent = SecurityEvent.objects.create(user_pseudonym="b" * 32, kind="access.program.denied")
    assert purge_security_events() == 1
    assert list(SecurityEvent.objects.all()) == [recent]


def test_security_pseudonym_command_links_email_and_pseudonym(cast, capsys):
    pseudonym = pseudonym_for(cast.outsider.pk)
    call_command("security_pseudonym", cast.outsider.email)
    assert pseudonym in capsys.readouterr().out
    call_command("security_pseudonym", pseudonym)
    assert cast.outsider.email in capsys.readouterr().out


def test_pseudonyms_under_a_retired_key_are_still_found(cast, settings):
    old = pseudonym_for(cast.outsider.pk)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-key-" + "x" * 50
    assert pseudonym_for(cast.outsider.pk) != old
    assert identify(old) == cast.outsider
