"""Speed-networking rounds in the app: a coordinator plans an evening (computed by the
background task), reads why each mentee sits at a table, swaps and locks seats, plans
again around the locks, prints the schedules; each person reads their evening on a phone."""

from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentorat.audit.models import AuditEntry
from mentorat.events.models import Contact, EventKind, Registration
from mentorat.networking import services
from mentorat.networking.inputs import load_evening
from mentorat.networking.models import NetworkingPlan, NetworkingSeat, PlanStatus
from tests.applications.factories import ProfileFactory
from tests.events.factories import make_event
from tests.factories import MembershipFactory, UserFactory
from tests.mentorships.factories import MentorshipFactory, application_of
from tests.networking.factories import job_dating

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def _plan(client, evening, capture, *, rounds=3, table_size=2, favour_fewest=False, left_out=()):
    people = [*evening.mentees, *evening.professionals]
    data = {
        "rounds": rounds,
        "table_size": table_size,
        "people": [str(u.pk) for u in people if u not in left_out],
    }
    if favour_fewest:
        data["favour_fewest"] = "on"
    with capture(execute=True):
        response = client.post(reverse("networking:plan", args=[evening.event.pk]), data)
    assert response.status_code == 302
    return NetworkingPlan.objects.get(event=evening.event)


def test_the_coordinator_plans_an_evening_within_the_rules(
    cast, client_for, django_capture_on_commit_callbacks
):
    evening = job_dating(cast.org_a, mentees=6, professionals=3)
    client = client_for(cast.coordinator_a)
    plan = _plan(client, evening, django_capture_on_commit_callbacks)
    assert plan.status == PlanStatus.READY
    seats = list(plan.seats.all())
    # 6 mentees x 3 rounds = 18 meetings, 3 tables of 2 x 3 rounds = 18 places: all seated.
    assert plan.meetings == len(seats) == 18
    pairs = Counter((s.mentee_id, s.professional_id) for s in seats)
    assert max(pairs.values()) == 1  # nobody meets the same professional twice
    assert max(Counter((s.round, s.table) for s in seats).values()) <= 2
    assert max(Counter((s.mentee_id, s.round) for s in seats).values()) == 1
    # Each professional sees a fair number of people: 6 each.
    assert set(Counter(s.professional_id for s in seats).values()) == {6}
    assert plan.proven_optimal
    # The explanation is the matching's: mentee 0 and professional 0 share a field.
    first = plan.seats.get(mentee=evening.mentees[0], professional=evening.professionals[0])
    assert "Same field (Informatique) +30" in first.explanation_en
    assert "Même domaine (Informatique) +30" in first.explanation_fr
    page = client.get(reverse("networking:plan", args=[evening.event.pk]))
    assert page.status_code == 200
    assert "Same field (Informatique) +30" in page.content.decode()
    assert "Mentee0 Doe" in page.content.decode()
    assert AuditEntry.objects.filter(action="networking.plan.requested").count() == 1


def test_people_left_out_by_the_coordinator_get_no_seat(
    cast, client_for, django_capture_on_commit_callbacks
):
    evening = job_dating(cast.org_a, mentees=3, professionals=2)
    out = evening.mentees[2]
    client = client_for(cast.coordinator_a)
    page = client.get(reverse("networking:plan", args=[evening.event.pk]))
    assert out.display_name in page.content.decode()  # a box to untick
    plan = _plan(client, evening, django_capture_on_commit_callbacks, rounds=2, left_out=[out])
    assert plan.left_out == [out.pk]
    assert not plan.seats.filter(mentee=out).exists()
    assert plan.seats.filter(mentee=evening.mentees[0]).count() == 2


def test_pairs_who_met_before_never_meet_again(
    cast, client_for, django_capture_on_commit_callbacks
):
    evening = job_dating(cast.org_a, mentees=2, professionals=2)
    earlier = job_dating(cast.org_a, mentees=0, professionals=0).event
    registration = Registration.objects.create(
        event=earlier, user=evening.mentees[0], status="registered"
    )
    Contact.objects.create(registration=registration, met=evening.professionals[0])
    plan = _plan(client_for(cast.coordinator_a), evening, django_capture_on_commit_callbacks,
                 rounds=2, table_size=1)  # fmt: skip
    assert not plan.seats.filter(
        mentee=evening.mentees[0], professional=evening.professionals[0]
    ).exists()
    assert plan.seats.filter(mentee=evening.mentees[1]).count() == 2


def test_swap_lock_and_plan_again_around_the_lock(
    cast, client_for, django_capture_on_commit_callbacks
):
    evening = job_dating(cast.org_a, mentees=4, professionals=2)
    client = client_for(cast.coordinator_a)
    plan = _plan(client, evening, django_capture_on_commit_callbacks, rounds=2, table_size=2)
    a, b = plan.seats.filter(round=1).exclude(table=1)[:1].get(), None
    b = plan.seats.filter(round=1, table=1).first()
    assert b is not None
    url = reverse("networking:swap", args=[evening.event.pk])
    response = client.post(url, {"first": a.pk, "second": b.pk}, follow=True)
    # Swapping in round 1 makes both meet in round 2 the professional they now see: refused.
    assert "would meet the same professional twice" in response.content.decode()
    assert NetworkingSeat.objects.get(pk=a.pk).professional_id == a.professional_id
    # Lock a seat, plan again: the seat stays where it is.
    response = client.post(
        reverse("networking:lock", args=[evening.event.pk]), {"seat": a.pk, "locked": "1"}
    )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("networking:replan", args=[evening.event.pk]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.READY
    kept = plan.seats.get(mentee=a.mentee, round=a.round)
    assert (kept.professional_id, kept.locked) == (a.professional_id, True)
    assert AuditEntry.objects.filter(action="networking.seat.locked").count() == 1


def test_two_mentees_of_a_round_swap_tables(cast, client_for, django_capture_on_commit_callbacks):
    evening = job_dating(cast.org_a, mentees=2, professionals=3)
    client = client_for(cast.coordinator_a)
    plan = _plan(client, evening, django_capture_on_commit_callbacks, rounds=1, table_size=1)
    first, second = plan.seats.order_by("table")
    before = {first.mentee_id: second.table, second.mentee_id: first.table}
    client.post(
        reverse("networking:swap", args=[evening.event.pk]),
        {"first": first.pk, "second": second.pk},
    )
    after = {s.mentee_id: s.table for s in plan.seats.all()}
    assert after == before
    moved = plan.seats.get(mentee=first.mentee)
    assert moved.professional_id == second.professional_id
    # Its score and explanation are the new pair's: no field in common any more.
    assert "Same field" not in moved.explanation_en
    assert moved.score < first.score
    assert AuditEntry.objects.filter(action="networking.seat.swapped").count() == 1


def test_the_task_does_nothing_for_a_stale_or_finished_generation(
    cast, client_for, django_capture_on_commit_callbacks
):
    evening = job_dating(cast.org_a, mentees=2, professionals=1)
    plan = _plan(client_for(cast.coordinator_a), evening, django_capture_on_commit_callbacks,
                 rounds=1, table_size=2)  # fmt: skip
    seats = list(plan.seats.values_list("pk", flat=True))
    services.execute_plan(plan_id=plan.pk, generation=plan.generation)  # run again: no change
    services.execute_plan(plan_id=plan.pk, generation=plan.generation - 1)
    assert list(plan.seats.values_list("pk", flat=True)) == seats
    # A worker killed mid-run leaves the plan running: the task run again finishes it.
    NetworkingPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.RUNNING)
    services.execute_plan(plan_id=plan.pk, generation=plan.generation)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.READY
    assert plan.seats.count() == 2


def test_only_a_job_dating_event_has_rounds(cast, client_for):
    evening = job_dating(cast.org_a, mentees=1, professionals=1)
    evening.event.kind = EventKind.WORKSHOP
    evening.event.save()
    client = client_for(cast.coordinator_a)
    page = client.get(reverse("networking:plan", args=[evening.event.pk]))
    assert (
        "Only a job-dating / speed-networking event is planned in rounds." in page.content.decode()
    )
    response = client.post(
        reverse("networking:plan", args=[evening.event.pk]), {"rounds": 2, "table_size": 1},
        follow=True,
    )  # fmt: skip
    assert "Only a job-dating" in response.content.decode()
    assert not NetworkingPlan.objects.exists()


def test_bad_settings_are_refused_in_the_form(cast, client_for):
    evening = job_dating(cast.org_a, mentees=1, professionals=1)
    page = client_for(cast.coordinator_a).post(
        reverse("networking:plan", args=[evening.event.pk]), {"rounds": 0, "table_size": 99}
    )
    assert page.status_code == 200
    assert "Ensure this value is greater than or equal to 1." in page.content.decode()
    assert not NetworkingPlan.objects.exists()


def test_printed_schedules_and_the_phone_page(cast, client_for, django_capture_on_commit_callbacks):
    evening = job_dating(cast.org_a, mentees=3, professionals=2)
    client = client_for(cast.coordinator_a)
    plan = _plan(client, evening, django_capture_on_commit_callbacks, rounds=2, table_size=2)
    pdf = client.get(reverse("networking:pdf", args=[evening.event.pk]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    mentee = evening.mentees[0]
    page = client_for(mentee).get(reverse("networking:mine", args=[evening.event.pk]))
    text = page.content.decode()
    for seat in plan.seats.filter(mentee=mentee):
        assert f"Table {seat.table}" in text
        assert seat.professional.display_name in text
    professional = evening.professionals[0]
    text = (
        client_for(professional)
        .get(reverse("networking:mine", args=[evening.event.pk]))
        .content.decode()
    )
    for seat in plan.seats.filter(professional=professional):
        assert seat.mentee.display_name in text
    # Someone of A without a seat sees that they have none.
    text = (
        client_for(cast.mentor)
        .get(reverse("networking:mine", args=[evening.event.pk]))
        .content.decode()
    )
    assert "You have no seat in the rounds of this evening." in text


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_pages_run_as_many_queries_for_a_big_evening_as_for_a_small_one(
    cast, client_for, django_capture_on_commit_callbacks
):
    counts = []
    evening = job_dating(cast.org_a, mentees=2, professionals=1)
    for grow in (False, True):
        if grow:
            evening = _grow(cast, evening)
        coordinator = client_for(cast.coordinator_a)
        _plan(coordinator, evening, django_capture_on_commit_callbacks, rounds=2, table_size=2)
        plan_page = _queries(coordinator, reverse("networking:plan", args=[evening.event.pk]))
        mine = _queries(
            client_for(evening.mentees[0]), reverse("networking:mine", args=[evening.event.pk])
        )
        counts.append((plan_page, mine))
    assert counts[0] == counts[1]


def _grow(cast, evening):
    """The same event with more registered mentees and professionals."""
    more = job_dating(cast.org_a, mentees=0, professionals=0)
    for role, count in (("mentee", 4), ("mentor", 2)):
        for k in range(count):
            user = UserFactory(
                email=f"more-{role}{k}@example.org", first_name="More", last_name=f"{role}{k}"
            )
            MembershipFactory(user=user, organization=cast.org_a, role=role)
            ProfileFactory(user=user, field="Informatique", rome_domain="")
            application_of(more.edition, user, role)
            Registration.objects.create(event=evening.event, user=user, status="registered")
            (evening.mentees if role == "mentee" else evening.professionals).append(user)
    return evening


def _professional(cast, edition, email):
    """Someone who mentors in another program: a professional, absent tonight."""
    user = UserFactory(email=email)
    MembershipFactory(user=user, organization=cast.org_a, role="mentor")
    application_of(edition, user, "mentor")
    return user


@pytest.mark.parametrize("seasoned", [0, 1])
def test_favouring_the_mentees_who_met_fewest_counts_everyone_they_met_before(
    cast, client_for, django_capture_on_commit_callbacks, seasoned
):
    """One seat tonight, two mentees alike: the seat goes to the one who met fewer
    professionals before, though none of those is here tonight: a contact recorded at an
    earlier event, a table of an earlier evening she attended, her mentor."""
    evening = job_dating(cast.org_a, mentees=2, professionals=1, fields=("Informatique",))
    other = job_dating(cast.org_a, mentees=0, professionals=0)
    mentee = evening.mentees[seasoned]
    earlier = make_event(
        cast.org_a, kind=EventKind.JOB_DATING, title="Job dating d'automne",
        starts_at=timezone.now() - timedelta(days=60), capacity=None,
    )  # fmt: skip
    registration = Registration.objects.create(
        event=earlier, user=mentee, status="registered", attended=True
    )
    Contact.objects.create(
        registration=registration, met=_professional(cast, other.edition, "met@example.org")
    )
    earlier_plan = NetworkingPlan.objects.create(event=earlier, status=PlanStatus.READY)
    NetworkingSeat.objects.create(
        plan=earlier_plan, round=1, table=1, mentee=mentee,
        professional=_professional(cast, other.edition, "seat@example.org"),
    )  # fmt: skip
    MentorshipFactory(
        edition=other.edition,
        mentor=_professional(cast, other.edition, "mentor@example.org"),
        mentee=mentee,
    )
    loaded = load_evening(evening.event)
    counts = dict(zip(loaded.mentee_users, loaded.met_counts.tolist(), strict=True))
    assert counts == {mentee.pk: 3, evening.mentees[1 - seasoned].pk: 0}

    plan = _plan(client_for(cast.coordinator_a), evening, django_capture_on_commit_callbacks,
                 rounds=1, table_size=1, favour_fewest=True)  # fmt: skip
    (seat,) = plan.seats.all()
    assert seat.mentee == evening.mentees[1 - seasoned]


def test_a_table_of_an_evening_missed_does_not_count(cast):
    """Seated at an earlier evening but never checked in: she met nobody there."""
    evening = job_dating(cast.org_a, mentees=1, professionals=1)
    earlier = make_event(
        cast.org_a, kind=EventKind.JOB_DATING, title="Job dating d'automne",
        starts_at=timezone.now() - timedelta(days=60), capacity=None,
    )  # fmt: skip
    Registration.objects.create(event=earlier, user=evening.mentees[0], status="registered")
    plan = NetworkingPlan.objects.create(event=earlier, status=PlanStatus.READY)
    NetworkingSeat.objects.create(
        plan=plan, round=1, table=1, mentee=evening.mentees[0],
        professional=evening.professionals[0],
    )  # fmt: skip
    loaded = load_evening(evening.event)
    assert loaded.met_counts.tolist() == [0]
    assert not loaded.met_before.any()
    Registration.objects.filter(event=earlier).update(attended=True)
    loaded = load_evening(evening.event)
    assert loaded.met_counts.tolist() == [1]
    assert loaded.met_before.tolist() == [[True]]
