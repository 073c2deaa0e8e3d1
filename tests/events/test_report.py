"""The events figures in the program's report, by organisation taking part (the owner and
each partner the program is shared with): events held, registrations, attendance rate,
attending mentees and contacts made per mentee; groups of 1 to 4 people hidden; a fixed
number of queries, whatever the number of events, people or partners."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentorat.events.models import Contact, Registration, RegistrationStatus
from mentorat.events.selectors import event_figures
from mentorat.organizations.models import Role
from mentorat.reports.events import events_table
from tests.events.factories import make_event
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.mentorships.factories import RunningEditionFactory, application_of
from tests.programs.factories import ProgramFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def _people(edition, organization, role, n, tag):
    people = []
    for k in range(n):
        user = UserFactory(email=f"{tag}-{role}-{k}@example.org")
        MembershipFactory(user=user, organization=organization, role=role)
        application = application_of(edition, user, role)
        application.organization = organization
        application.save()
        people.append(user)
    return people


def _event(organization, edition, days_ago, title="Soirée"):
    start = timezone.now() - timedelta(days=days_ago)
    return make_event(organization, starts_at=start, capacity=None, edition=edition, title=title)


def _come(event, people, *, attended):
    registrations = []
    for k, person in enumerate(people):
        registrations.append(
            Registration.objects.create(
                event=event, user=person, status=RegistrationStatus.REGISTERED,
                attended=k < attended,
            )
        )  # fmt: skip
    return registrations


@pytest.fixture
def world(cast):
    """A's program shared with its partner C: an evening held last week with six of A's
    mentees (five came, each met two professionals) and two of C's (both came, one met
    a professional); a workshop to come, and a cancelled one, which count nowhere."""
    program = ProgramFactory(organization=cast.org_a, name="Cap Avenir")
    program.shared_with.add(cast.org_c)
    edition = RunningEditionFactory(program=program)
    pros = _people(edition, cast.org_a, Role.MENTOR, 2, "a")
    a_mentees = _people(edition, cast.org_a, Role.MENTEE, 6, "a")
    c_mentees = _people(edition, cast.org_c, Role.MENTEE, 2, "c")
    evening = _event(cast.org_a, edition, 7)
    for registration in _come(evening, a_mentees, attended=5)[:5]:
        for pro in pros:
            Contact.objects.create(registration=registration, met=pro)
    first_c = _come(evening, c_mentees, attended=2)[0]
    Contact.objects.create(registration=first_c, met=pros[0])
    _come(_event(cast.org_a, edition, -7, "À venir"), a_mentees, attended=0)
    cancelled = _event(cast.org_a, edition, 3, "Annulé")
    cancelled.cancelled_at = timezone.now()
    cancelled.save()
    _come(cancelled, a_mentees, attended=0)
    return program, edition


def test_the_report_shows_the_figures_per_organisation_hiding_small_groups(cast, client_for, world):
    program, _edition = world
    rows = {str(row[0]): [cell.display() for cell in row[1:]] for row in events_table(program).rows}
    # Events held, registrations, attendance rate, mentees attending, contacts per mentee.
    assert rows["Whole program"] == ["1", "8", "88%", "7", "1.6"]
    assert rows["Université A"] == ["1", "6", "83%", "5", "2.0"]
    assert rows["Association C"] == ["< 5", "< 5", "< 5", "< 5", "< 5"]

    page = client_for(cast.coordinator_a).get(reverse("reports:program", args=[program.slug]))
    text = page.content.decode()
    assert "Networking events by organisation" in text
    assert "Association C" in text
    assert '<td class="hidden-figure">&lt; 5</td>' in text


def test_the_tiles_hide_a_group_of_fewer_than_five(cast, world):
    program, _edition = world
    figures = event_figures(program_id=program.pk)
    assert (figures.people, figures.people_hidden, figures.mentees_hidden) == (8, False, False)
    lone = ProgramFactory(organization=cast.org_a, name="Seule")
    lone_edition = RunningEditionFactory(program=lone)
    someone = _people(lone_edition, cast.org_a, Role.MENTEE, 1, "lone")
    _come(_event(cast.org_a, lone_edition, 2), someone, attended=1)
    small = event_figures(program_id=lone.pk)
    assert (small.attended, small.people_hidden, small.mentees_hidden) == (1, True, True)


def _queries(program):
    with CaptureQueriesContext(connection) as queries:
        events_table(program)
        event_figures(program_id=program.pk)
    return len(queries)


def test_the_events_figures_take_as_many_queries_for_many_events_and_partners(cast, world):
    program, edition = world
    before = _queries(program)
    for n in range(3):
        partner = OrganizationFactory(name=f"Partenaire {n}", slug=f"partenaire-{n}")
        program.shared_with.add(partner)
        people = _people(edition, partner, Role.MENTEE, 5, f"p{n}")
        for days in (10, 20):
            _come(_event(cast.org_a, edition, days + n), people, attended=4)
    assert len(events_table(program).rows) == 6
    assert _queries(program) == before


def test_a_partner_sees_the_line_of_its_own_people_only(cast, client_for, world):
    program, _edition = world
    page = client_for(cast.partner_coordinator).get(reverse("reports:program", args=[program.slug]))
    assert page.status_code == 200
    text = page.content.decode()
    table = text.split('id="report-events-by-organization"')[1].split("</section>")[0]
    assert "Association C" in table
    assert "Université A" not in table
    assert "Whole program" not in table
    assert '<td class="hidden-figure">&lt; 5</td>' in table
