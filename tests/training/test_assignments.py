"""Programs assign modules: deadlines per person (before matching, before the first
meeting, within N days), what the home page shows, weekly reminders of overdue required
modules through a real mail server, completion per person and module, and coverage."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentorat.lib.errors import DomainError
from mentorat.organizations.models import Role
from mentorat.training import services
from mentorat.training.models import Requirement
from mentorat.training.selectors import (
    _MY_FIRST_MEETINGS,
    _first_meetings,
    assigned_modules,
    training_coverage,
)
from tests.applications.factories import ApplicationFactory
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.mentorships.factories import MeetingFactory, MentorshipFactory, RunningEditionFactory
from tests.notifications.smtp import SmtpSink, use_smtp
from tests.programs.factories import EditionFactory, ProgramFactory
from tests.training.factories import answers, make_module

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


@pytest.fixture
def smtp_sink(settings):
    with SmtpSink() as sink:
        use_smtp(settings, sink.port)
        yield sink


def _assign(program, module, requirement, *, audience="mentors", days=None, actor):
    return services.assign_module(
        program=program,
        module=module,
        audience=audience,
        requirement=requirement,
        days=days,
        actor=actor,
    )


def test_deadlines_progress_and_overdue_per_requirement(cast):
    today = timezone.localdate()
    program = ProgramFactory(organization=cast.org_a)
    edition = RunningEditionFactory(program=program)  # matching 70 days ago
    pair = MentorshipFactory(edition=edition, mentor=cast.mentor, mentee=cast.mentee)
    MeetingFactory(mentorship=pair, starts_at=timezone.now() + timedelta(days=3))
    application = pair.mentor_application
    application.accepted_at = timezone.now() - timedelta(days=40)
    application.save()
    before_matching = make_module(cast.org_a, title="A before matching")
    before_meeting = make_module(cast.org_a, title="B before meeting")
    within = make_module(cast.org_a, title="C within 30 days")
    recommended = make_module(cast.org_a, title="D recommended")
    for_mentees = make_module(cast.org_a, title="E for mentees")
    actor = cast.coordinator_a
    _assign(program, before_matching, Requirement.BEFORE_MATCHING, actor=actor)
    _assign(program, before_meeting, Requirement.BEFORE_FIRST_MEETING, actor=actor)
    _assign(program, within, Requirement.WITHIN_DAYS, days=30, actor=actor)
    _assign(program, recommended, Requirement.RECOMMENDED, actor=actor)
    _assign(program, for_mentees, Requirement.BEFORE_MATCHING, audience="mentees", actor=actor)
    services.mark_section_read(user=cast.mentor, section=within.sections.first())

    lines = {line.module.title: line for line in assigned_modules(user=cast.mentor, today=today)}
    assert set(lines) == {
        "A before matching",
        "B before meeting",
        "C within 30 days",
        "D recommended",
    }
    assert lines["A before matching"].due_on == edition.matching_on
    assert lines["A before matching"].overdue
    assert lines["B before meeting"].due_on == today + timedelta(days=3)
    assert not lines["B before meeting"].overdue
    assert lines["C within 30 days"].due_on == today - timedelta(days=10)
    assert lines["C within 30 days"].overdue
    assert lines["C within 30 days"].progress == 33  # one of two sections, quiz not passed
    assert lines["D recommended"].due_on is None
    assert not lines["D recommended"].overdue

    services.submit_attempt(
        user=cast.mentor, module=before_matching, answers=answers(before_matching, right=True)
    )
    line = next(
        line
        for line in assigned_modules(user=cast.mentor, today=today)
        if line.module == before_matching
    )
    assert (line.progress, line.overdue, line.completed_at is not None) == (100, False, True)


def test_the_home_page_shows_assigned_modules_in_two_queries(cast, client_for):
    program = ProgramFactory(organization=cast.org_a)
    edition = EditionFactory(program=program)
    ApplicationFactory(edition=edition, user=cast.mentor, role="mentor", status="accepted")
    for n in range(3):
        module = make_module(cast.org_a, title=f"Module {n}")
        _assign(program, module, Requirement.BEFORE_MATCHING, actor=cast.coordinator_a)
    with CaptureQueriesContext(connection) as queries:
        lines = assigned_modules(user=cast.mentor, today=timezone.localdate())
    assert len(lines) == 3
    assert len(queries) == 1
    page = client_for(cast.mentor).get(reverse("web:home")).content.decode()
    assert "My training modules" in page
    assert "Module 2" in page


def test_the_assigned_lines_carry_what_their_pages_and_reminders_show(cast):
    """The lines read only the columns they show (module title, program name): the home's
    section, the "My training modules" cards and the reminder email read nothing more."""
    program = ProgramFactory(organization=cast.org_a, name="Programme A")
    edition = EditionFactory(program=program)
    ApplicationFactory(edition=edition, user=cast.mentor, role="mentor", status="accepted")
    for n in range(3):
        module = make_module(cast.org_a, title=f"Module {n}")
        _assign(program, module, Requirement.WITHIN_DAYS, days=14, actor=cast.coordinator_a)
    with CaptureQueriesContext(connection) as queries:
        lines = assigned_modules(user=cast.mentor, today=timezone.localdate() + timedelta(days=90))
        context = {"assigned": lines, "modules": lines, "person": cast.mentor, "path": "/"}
        shown = [
            render_to_string(name, context)
            for name in (
                "training/_home.html",
                "training/emails/reminder.txt",
                "training/emails/reminder.html",
            )
        ]
    assert len(queries) == 1  # the lines' own statement
    assert [line.overdue for line in lines] == [True] * 3
    assert all("Module 2" in text and "Programme A" in text for text in shown)


def test_only_modules_the_program_may_use_are_assigned(cast):
    program = ProgramFactory(organization=cast.org_a)
    foreign = make_module(cast.org_b, title="Module of B")
    draft = make_module(cast.org_a, title="Draft", status="draft")
    starter = make_module(None, title="Starter")
    for module in (foreign, draft):
        with pytest.raises(DomainError):
            _assign(program, module, Requirement.RECOMMENDED, actor=cast.coordinator_a)
    _assign(program, starter, Requirement.RECOMMENDED, actor=cast.coordinator_a)
    with pytest.raises(DomainError):  # once
        _assign(program, starter, Requirement.RECOMMENDED, actor=cast.coordinator_a)
    with pytest.raises(DomainError) as error:
        _assign(
            program,
            make_module(cast.org_a, title="Days"),
            Requirement.WITHIN_DAYS,
            actor=cast.coordinator_a,
        )
    assert "between 1 and 365" in error.value.message


def test_overdue_required_modules_are_reminded_once_a_week_by_email(
    cast, smtp_sink, django_capture_on_commit_callbacks, time_machine
):
    program = ProgramFactory(organization=cast.org_a, name="Premier emploi")
    edition = RunningEditionFactory(program=program)
    for user in (cast.mentor, cast.other_side):
        ApplicationFactory(edition=edition, user=user, role="mentor", status="accepted")
    ApplicationFactory(edition=edition, user=cast.mentee, role="mentee", status="accepted")
    required = make_module(cast.org_a, title="Rôle du mentor")
    _assign(program, required, Requirement.BEFORE_MATCHING, actor=cast.coordinator_a)
    _assign(
        program,
        make_module(cast.org_a, title="Optional"),
        Requirement.RECOMMENDED,
        actor=cast.coordinator_a,
    )
    services.submit_attempt(
        user=cast.other_side, module=required, answers=answers(required, right=True)
    )

    time_machine.move_to(timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_training", stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("remind_training", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert smtp_sink.received() == {cast.mentor.email: 1}
    [message] = smtp_sink.messages_to(cast.mentor.email)
    assert message["Subject"] == "Un module de formation obligatoire vous attend"
    text = message.get_body(("plain",)).get_content()
    assert "Rôle du mentor (Premier emploi" in text
    assert "Optional" not in text
    assert reverse("training:my_modules") in text

    time_machine.shift(timedelta(days=7))
    with django_capture_on_commit_callbacks(execute=True):
        services.send_training_reminders(today=timezone.localdate())
    assert smtp_sink.received() == {cast.mentor.email: 2}  # a new week


def test_completion_per_person_and_module_for_the_program_staff(cast, client_for):
    program = ProgramFactory(organization=cast.org_a)
    edition = EditionFactory(program=program)
    ApplicationFactory(edition=edition, user=cast.mentor, role="mentor", status="accepted")
    ApplicationFactory(edition=edition, user=cast.mentee, role="mentee", status="submitted")
    module = make_module(cast.org_a, title="Écoute")
    _assign(program, module, Requirement.BEFORE_MATCHING, audience="both", actor=cast.coordinator_a)
    services.submit_attempt(user=cast.mentor, module=module, answers=answers(module, right=True))
    page = (
        client_for(cast.coordinator_a)
        .get(reverse("training:program_training", args=[program.slug]))
        .content.decode()
    )
    assert "1 / 2" in page
    assert cast.mentor.display_name in page
    assert cast.mentee.display_name in page
    assert page.count("Not yet") == 1


def test_assigning_from_the_page(cast, client_for):
    program = ProgramFactory(organization=cast.org_a)
    module = make_module(None, title="Starter")
    client = client_for(cast.coordinator_a)
    response = client.post(
        reverse("training:assignment_add", args=[program.slug]),
        {"module": module.pk, "audience": "mentors", "requirement": "within_days", "days": ""},
    )
    assert response.status_code == 200
    assert "Days: between 1 and 365" in response.content.decode()
    response = client.post(
        reverse("training:assignment_add", args=[program.slug]),
        {"module": module.pk, "audience": "mentors", "requirement": "within_days", "days": "14"},
    )
    assert response.status_code == 302
    assert program.training_assignments.get().days == 14


def test_coverage_per_program_and_partner_hides_small_groups(cast):
    program = ProgramFactory(organization=cast.org_a, name="Programme A")
    edition = EditionFactory(program=program)
    partner = OrganizationFactory(name="Banque C")
    module = make_module(cast.org_a)
    _assign(program, module, Requirement.BEFORE_MATCHING, actor=cast.coordinator_a)
    mentors_a = [UserFactory() for _ in range(6)]
    mentors_c = [UserFactory() for _ in range(2)]
    for user in mentors_a:
        ApplicationFactory(edition=edition, user=user, role="mentor", status="accepted")
    for user in mentors_c:
        MembershipFactory(user=user, organization=partner, role=Role.MENTOR)
        ApplicationFactory(
            edition=edition, user=user, role="mentor", status="accepted", organization=partner
        )
    for user in mentors_a[:3] + mentors_c[:1]:
        services.submit_attempt(user=user, module=module, answers=answers(module, right=True))
    coverage = training_coverage(program=program)
    assert (coverage.program.mentors, coverage.program.trained, coverage.program.share) == (
        8,
        4,
        50,
    )
    by_org = {line.label: line for line in coverage.by_organization}
    assert by_org[cast.org_a.name].share == 50
    assert by_org["Banque C"].hidden
    assert by_org["Banque C"].share is None
    assert by_org["Banque C"].mentors_display == "< 5"


def test_the_first_meeting_of_each_pair_is_read_as_for_the_coverage(cast):
    """The home reads a person's first meetings with a statement compiled once per
    process; it gives what `_first_meetings` gives them: the first meeting not cancelled
    of each active pair, per edition, on either side."""
    now = timezone.now()
    first = MentorshipFactory(
        edition=RunningEditionFactory(program=ProgramFactory(organization=cast.org_a)),
        mentor=cast.mentor,
        mentee=cast.mentee,
    )
    MeetingFactory(mentorship=first, starts_at=now + timedelta(days=9))
    MeetingFactory(mentorship=first, starts_at=now + timedelta(days=2), status="cancelled")
    MeetingFactory(mentorship=first, starts_at=now + timedelta(days=5))
    # The mentee mentors someone else in another edition; an ended pair does not count.
    second = MentorshipFactory(
        edition=RunningEditionFactory(program=ProgramFactory(organization=cast.org_a)),
        mentor=cast.mentee,
    )
    MeetingFactory(mentorship=second, starts_at=now + timedelta(days=1))
    ended = MentorshipFactory(edition=first.edition, mentee=cast.mentee, status="ended")
    MeetingFactory(mentorship=ended, starts_at=now - timedelta(days=30))
    editions = {first.edition_id, second.edition_id}
    for person in (cast.mentor, cast.mentee):
        compiled = {
            (person.pk, edition_id): timezone.localdate(starts_at)
            for edition_id, starts_at in _MY_FIRST_MEETINGS.fetch(user_id=person.pk)
        }
        expected = {
            key: day
            for key, day in _first_meetings({person.pk}, editions).items()
            if key[0] == person.pk
        }
        assert compiled == expected
    assert compiled == {
        (cast.mentee.pk, first.edition_id): timezone.localdate(now + timedelta(days=5)),
        (cast.mentee.pk, second.edition_id): timezone.localdate(now + timedelta(days=1)),
    }
