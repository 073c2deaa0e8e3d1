"""The home page's "what do I need to do now?" block: each person's pending actions come
first, with counts and one link each; a coordinator's counters open lists filtered to
exactly those rows; a pending guardian consent can be emailed again (rate-limited)."""

import html
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentorat.applications.models import Application, ApplicationStatus
from mentorat.audit.models import AuditEntry
from mentorat.matching.models import PairIntroduction
from mentorat.mentorships.models import MeetingStatus
from mentorat.privacy.erasure.models import ErasureRequest
from mentorat.safeguarding.models import CheckKind, SafeguardingCheck
from tests.applications.factories import ApplicationFactory
from tests.factories import UserFactory
from tests.mentorships.factories import (
    CheckInFactory,
    MeetingFactory,
    MentorshipFactory,
    RunningEditionFactory,
)
from tests.programs.factories import EditionFactory, ProgramFactory

pytestmark = pytest.mark.django_db

TODO_ITEM = re.compile(
    r'<li class="todo-item todo-(?P<kind>\w+)" data-kind="\w+" data-count="(?P<count>\d+)">'
    r'<a href="(?P<url>[^"]+)">(?P<label>[^<]+)</a>'
)


def todo(client) -> list[dict[str, str]]:
    """The to-do lines of the home page, in order, as the person sees them."""
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="home-todo"' in page
    return [
        {key: html.unescape(value) for key, value in m.groupdict().items()}
        for m in TODO_ITEM.finditer(page)
    ]


def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def pair(cast):
    edition = RunningEditionFactory(program__organization=cast.org_a, program__slug="prog-a")
    return MentorshipFactory(edition=edition, mentor=cast.mentor, mentee=cast.mentee)


def test_nothing_to_do_says_so(client_for, cast):
    page = english(client_for(cast.mentor)).get("/").content.decode()
    assert "What you need to do now" in page
    assert "Nothing is waiting for you" in page


def test_mentor_sees_each_pending_action_with_its_count_and_link(client_for, cast, pair):
    now = timezone.now()
    # Two proposals from the mentee, one from the mentor himself (not his to answer).
    for days in (2, 3):
        MeetingFactory(
            mentorship=pair,
            status=MeetingStatus.PROPOSED,
            proposed_by=cast.mentee,
            starts_at=now + timedelta(days=days),
        )
    MeetingFactory(mentorship=pair, status=MeetingStatus.PROPOSED, proposed_by=cast.mentor)
    past = MeetingFactory(mentorship=pair, starts_at=now - timedelta(days=1))
    check_in = CheckInFactory(mentorship=pair, respondent=cast.mentor, role="mentor")
    CheckInFactory(mentorship=pair, respondent=cast.mentee)  # the mentee's, not his
    PairIntroduction.objects.create(mentorship=pair, answer_by=now + timedelta(days=5))

    items = todo(english(client_for(cast.mentor)))

    assert {i["kind"]: (int(i["count"]), i["url"]) for i in items} == {
        "meetings": (2, reverse("mentorships:workspace", args=[pair.pk])),
        "check_ins": (1, reverse("mentorships:check_in", args=[check_in.pk])),
        "introductions": (1, reverse("matching:pair_answer", args=[pair.pk])),
        "session_logs": (1, reverse("mentorships:session_log", args=[pair.pk, past.pk])),
    }
    labels = [i["label"] for i in items]
    assert "2 meeting proposals to answer" in labels
    assert "1 check-in to answer" in labels
    # Each link opens a page the mentor may use.
    for item in items:
        assert client_for(cast.mentor).get(item["url"]).status_code == 200


def test_mentee_sees_proposals_check_ins_and_consent_awaited(client_for, cast, pair):
    MeetingFactory(mentorship=pair, status=MeetingStatus.PROPOSED, proposed_by=cast.mentor)
    CheckInFactory(mentorship=pair, respondent=cast.mentee)
    waiting = ApplicationFactory(
        edition=EditionFactory(program__organization=cast.org_a),
        user=cast.mentee,
        status=ApplicationStatus.AWAITING_GUARDIAN_CONSENT,
        guardian_email="parent@example.org",
        is_minor=True,
    )
    items = {i["kind"]: i for i in todo(english(client_for(cast.mentee)))}
    assert set(items) == {"meetings", "check_ins", "consents"}
    assert items["consents"]["url"] == reverse("applications:my_detail", args=[waiting.pk])
    assert items["meetings"]["label"] == "1 meeting proposal to answer"


def test_answered_or_past_items_leave_the_list(client_for, cast, pair):
    now = timezone.now()
    # A proposal already in the past, an answered check-in, an overdue introduction,
    # a past meeting with its log: nothing to do.
    MeetingFactory(
        mentorship=pair,
        status=MeetingStatus.PROPOSED,
        proposed_by=cast.mentee,
        starts_at=now - timedelta(hours=1),
    )
    CheckInFactory(mentorship=pair, respondent=cast.mentor, answered_at=now)
    PairIntroduction.objects.create(mentorship=pair, answer_by=now - timedelta(days=1))
    assert todo(client_for(cast.mentor)) == []


def applications_in_list(client, url: str) -> int:
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    return len(re.findall(r'href="/programs/[\w-]+/manage/applications/\d+/"', page))


def test_coordinator_counters_open_exactly_those_rows(client_for, cast):
    edition = EditionFactory(program__organization=cast.org_a, program__slug="prog-a")
    for _ in range(3):
        ApplicationFactory(edition=edition)
    for status in (
        ApplicationStatus.INFO_REQUESTED,
        ApplicationStatus.ACCEPTED,
        ApplicationStatus.DECLINED,
    ):
        ApplicationFactory(edition=edition, status=status)
    for n in range(2):
        ApplicationFactory(
            edition=edition,
            status=ApplicationStatus.AWAITING_GUARDIAN_CONSENT,
            guardian_email=f"parent{n}@example.org",
            is_minor=True,
        )
    client = client_for(cast.coordinator_a)
    items = {i["kind"]: i for i in todo(client)}
    assert set(items) == {"applications", "guardian_consents"}
    assert items["applications"]["label"] == "3 applications to review"
    assert items["guardian_consents"]["label"] == "2 guardians' consents awaited"
    for item in items.values():
        assert item["url"].startswith(reverse("applications:list", args=["prog-a"]) + "?status=")
        assert applications_in_list(client, item["url"]) == int(item["count"])
    # The program card's counter says the same and opens the same list.
    home = html.unescape(client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert f'<a href="{items["applications"]["url"]}">3 applications to decide</a>' in home
    # The program's coordinators see whom the consent email went to.
    page = client.get(items["guardian_consents"]["url"]).content.decode()
    assert "parent0@example.org" in page
    assert "parent1@example.org" in page


def test_other_organisations_and_mentors_see_no_coordinator_counters(client_for, cast):
    edition = EditionFactory(program__organization=cast.org_a)
    ApplicationFactory(edition=edition)
    assert todo(client_for(cast.coordinator_b)) == []
    assert todo(client_for(cast.mentor)) == []


def test_a_bad_filter_value_says_which_field_instead_of_failing(client_for, cast):
    edition = EditionFactory(program__organization=cast.org_a, program__slug="prog-a")
    ApplicationFactory(edition=edition)
    url = reverse("applications:list", args=["prog-a"]) + "?status=nonsense"
    response = english(client_for(cast.coordinator_a)).get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_status_error"' in page
    assert "Select a valid choice" in page


def test_safeguarding_checks_missing_with_minors(client_for, cast):
    edition = EditionFactory(program__organization=cast.org_a, program__slug="prog-a")
    assert edition.program.safeguarding_required
    mentors = [
        ApplicationFactory(edition=edition, role="mentor", status=ApplicationStatus.ACCEPTED)
        for _ in range(2)
    ]
    client = client_for(cast.coordinator_a)
    assert todo(client) == []  # no minor in the edition: nothing required
    ApplicationFactory(edition=edition, is_minor=True, status=ApplicationStatus.ACCEPTED)
    [item] = todo(client)
    assert (item["kind"], item["count"]) == ("safeguarding", "2")
    assert item["url"] == reverse("safeguarding:mentors", args=["prog-a", edition.pk])
    SafeguardingCheck.objects.create(
        mentor=mentors[0].user,
        organization=cast.org_a,
        kind=CheckKind.values[0],
        checked_on=timezone.localdate(),
    )
    [item] = todo(client)
    assert item["count"] == "1"
    # A check recorded by another organisation does not count here.
    SafeguardingCheck.objects.create(
        mentor=mentors[1].user,
        organization=cast.org_b,
        kind=CheckKind.values[0],
        checked_on=timezone.localdate(),
    )
    assert todo(client)[0]["count"] == "1"
    # One by a partner the program is shared with does.
    edition.program.shared_with.add(cast.org_c)
    SafeguardingCheck.objects.create(
        mentor=mentors[1].user,
        organization=cast.org_c,
        kind=CheckKind.values[0],
        checked_on=timezone.localdate(),
    )
    assert todo(client) == []


def test_admins_see_pending_erasure_requests(client_for, cast):
    request = ErasureRequest.objects.create(
        person=UserFactory(), deadline=timezone.now() + timedelta(days=30)
    )
    request.organizations.add(cast.org_a)
    [item] = todo(client_for(cast.admin_a))
    assert (item["kind"], item["count"]) == ("erasures", "1")
    assert item["url"] == reverse("privacy:erasure_requests", args=[cast.org_a.slug])
    assert todo(client_for(cast.coordinator_a)) == []


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def test_home_queries_do_not_grow_with_the_data(client_for, cast):
    def add_program(slug: str) -> None:
        edition = EditionFactory(program__organization=cast.org_a, program__slug=slug)
        ApplicationFactory(edition=edition)
        ApplicationFactory(edition=edition, role="mentor", status=ApplicationStatus.ACCEPTED)
        ApplicationFactory(edition=edition, is_minor=True, status=ApplicationStatus.ACCEPTED)
        ApplicationFactory(
            edition=edition,
            status=ApplicationStatus.AWAITING_GUARDIAN_CONSENT,
            guardian_email="p@example.org",
        )

    add_program("first")
    client = client_for(cast.coordinator_a)
    _home_queries(client)  # warm the caches (site, translations)
    before = _home_queries(client)
    for n in range(3):
        add_program(f"more-{n}")
    assert _home_queries(client) == before

    mentor_client = client_for(cast.mentor)
    edition = RunningEditionFactory(program=ProgramFactory(organization=cast.org_a))
    pair = MentorshipFactory(edition=edition, mentor=cast.mentor, mentee=cast.mentee)
    MeetingFactory(mentorship=pair, status=MeetingStatus.PROPOSED, proposed_by=cast.mentee)
    MeetingFactory(mentorship=pair, starts_at=timezone.now() - timedelta(days=1))
    _home_queries(mentor_client)
    before = _home_queries(mentor_client)
    for _ in range(3):
        other = MentorshipFactory(edition=edition, mentor=cast.mentor)
        MeetingFactory(mentorship=other, status=MeetingStatus.PROPOSED, proposed_by=other.mentee)
        MeetingFactory(mentorship=other, starts_at=timezone.now() - timedelta(days=2))
        CheckInFactory(mentorship=other, respondent=cast.mentor, role="mentor")
    assert _home_queries(mentor_client) == before


# Resending the guardian's consent email ------------------------------------------------------


@pytest.fixture
def awaiting(cast) -> Application:
    edition = EditionFactory(program__organization=cast.org_a, program__slug="prog-a")
    return ApplicationFactory(
        edition=edition,
        user=cast.minor,
        status=ApplicationStatus.AWAITING_GUARDIAN_CONSENT,
        guardian_email="parent@example.org",
        is_minor=True,
        submitted_at=timezone.now() - timedelta(hours=2),
    )


def resend_url(application: Application) -> str:
    return reverse(
        "applications:resend_guardian_consent",
        args=[application.edition.program.slug, application.pk],
    )


def test_coordinator_resends_the_consent_email_once_an_hour(
    client_for, cast, awaiting, mailoutbox, django_capture_on_commit_callbacks
):
    client = english(client_for(cast.coordinator_a))
    review = reverse("applications:review", args=["prog-a", awaiting.pk])
    page = client.get(review).content.decode()
    assert "parent@example.org" in page
    assert resend_url(awaiting) in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resend_url(awaiting), follow=True)
    assert "The consent email was sent to the guardian again." in response.content.decode()
    assert [m.to for m in mailoutbox] == [["parent@example.org"]]
    entry = AuditEntry.objects.get(action="applications.guardian_consent.resent")
    assert entry.actor == cast.coordinator_a
    assert entry.organization == cast.org_a
    assert "parent@example.org" not in str(entry.data)

    # A second click within the hour sends nothing and says from when it can.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resend_url(awaiting), follow=True)
    assert "less than an hour ago" in response.content.decode()
    assert len(mailoutbox) == 1
    assert AuditEntry.objects.filter(action="applications.guardian_consent.resent").count() == 1
    assert resend_url(awaiting) in response.content.decode()  # the form, without its button
    assert "Send the consent email to the guardian again" not in response.content.decode()

    # An hour later, it can be sent again.
    AuditEntry.objects.filter(pk=entry.pk).update(created_at=entry.created_at - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(resend_url(awaiting))
    assert len(mailoutbox) == 2


def test_the_submission_email_counts_for_the_rate_limit(
    client_for, cast, awaiting, mailoutbox, django_capture_on_commit_callbacks
):
    Application.objects.filter(pk=awaiting.pk).update(submitted_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        client_for(cast.coordinator_a).post(resend_url(awaiting))
    assert mailoutbox == []


def test_no_resend_once_the_consent_is_given(
    client_for, cast, awaiting, mailoutbox, django_capture_on_commit_callbacks
):
    Application.objects.filter(pk=awaiting.pk).update(status=ApplicationStatus.SUBMITTED)
    client = english(client_for(cast.coordinator_a))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resend_url(awaiting), follow=True)
    assert "no longer waits for a guardian's consent" in html.unescape(response.content.decode())
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("persona", "status"),
    [("coordinator_b", 404), ("mentor", 403), ("partner_coordinator", 403), ("minor", 403)],
)
def test_only_the_programs_staff_resend(client_for, cast, awaiting, mailoutbox, persona, status):
    awaiting.edition.program.shared_with.add(cast.org_c)
    response = client_for(cast.persona(persona)).post(resend_url(awaiting))
    assert response.status_code == status
    assert mailoutbox == []
    assert not AuditEntry.objects.filter(action="applications.guardian_consent.resent").exists()


def test_guardian_email_hidden_from_a_partners_coordinator(client_for, cast, awaiting):
    awaiting.edition.program.shared_with.add(cast.org_c)
    Application.objects.filter(pk=awaiting.pk).update(
        organization=cast.org_c, contact_through_platform_only=False
    )
    page = client_for(cast.partner_coordinator).get(
        reverse("applications:review", args=["prog-a", awaiting.pk])
    )
    assert page.status_code == 200
    assert "parent@example.org" not in page.content.decode()
    assert resend_url(awaiting) not in page.content.decode()
