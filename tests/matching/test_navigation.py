"""Participants find their matching pages from their home page and their application:
suggestions for mentees of self-matching programs, requests for their mentors, and the
pairs waiting for their answer — and only when it concerns them."""

from django.urls import reverse

from mentorat.matching.services import publication
from mentorat.matching.services.publication import introductions
from mentorat.mentorships.services.pairs import create_mentorship
from mentorat.programs.models import MatchingSettings
from tests.matching.factories import cohort, person


def self_matching_cohort(cast, **kwargs):
    c = cohort(cast.org_a, **kwargs)
    MatchingSettings.objects.filter(program=c.program).update(mode="self_matching")
    return c


def home(client) -> str:
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_accepted_mentee_of_a_self_matching_program_is_led_to_suggestions(cast, client_for):
    c = self_matching_cohort(cast, mentees=0, mentors=1)
    mine = person(c.edition, "mentee", cast.org_a, user=cast.mentee)
    suggestions = reverse("matching:suggestions", args=[mine.pk])
    client = client_for(cast.mentee)
    assert suggestions in home(client)
    detail = client.get(reverse("applications:my_detail", args=[mine.pk])).content.decode()
    assert suggestions in detail
    assert "vous choisissez votre mentor" in detail
    # Once paired, the home page no longer asks them to choose.
    create_mentorship(mentor=c.mentors[0], mentee=mine)
    assert suggestions not in home(client)


def test_no_suggestions_link_when_it_does_not_apply(cast, client_for):
    optimal = cohort(cast.org_a, mentees=0, mentors=1)
    accepted = person(optimal.edition, "mentee", cast.org_a, user=cast.mentee)
    waiting = self_matching_cohort(cast, mentees=0, mentors=1, slug="self-b")
    submitted = person(waiting.edition, "mentee", cast.org_a, user=cast.mentee, status="submitted")
    client = client_for(cast.mentee)
    page = home(client)
    for application in (accepted, submitted):
        assert reverse("matching:suggestions", args=[application.pk]) not in page
        detail = client.get(reverse("applications:my_detail", args=[application.pk]))
        assert "/mentors/" not in detail.content.decode()
    for someone in (cast.mentor, cast.outsider, cast.coordinator_a):
        assert "/mentors/" not in home(client_for(someone))


def test_mentor_of_a_self_matching_program_is_led_to_requests(cast, client_for):
    c = self_matching_cohort(cast, mentees=1, mentors=0)
    mine = person(c.edition, "mentor", c.company, user=cast.mentor)
    requests = reverse("matching:my_requests")
    client = client_for(cast.mentor)
    page = home(client)
    assert requests in page
    assert "0 demande attend votre réponse" in page
    from mentorat.matching.services import requests as request_services

    request_services.request_mentor(
        application=c.mentees[0], mentor_id=mine.pk, actor=c.mentees[0].user
    )
    assert "1 demande attend votre réponse" in home(client)
    detail = client.get(reverse("applications:my_detail", args=[mine.pk])).content.decode()
    assert requests in detail
    listing = client.get(requests).content.decode()
    assert "1 place restante" in listing
    assert reverse("applications:my_detail", args=[mine.pk]) in listing


def test_no_requests_link_for_mentors_of_other_programs_nor_for_others(cast, client_for):
    c = cohort(cast.org_a, mentees=0, mentors=0)
    person(c.edition, "mentor", c.company, user=cast.mentor)
    for someone in (cast.mentor, cast.mentee, cast.outsider, cast.coordinator_a):
        assert reverse("matching:my_requests") not in home(client_for(someone))


def test_pairs_waiting_for_an_answer_are_on_both_home_pages(cast, client_for):
    c = cohort(cast.org_a, mentees=0, mentors=0)
    mentor = person(c.edition, "mentor", c.company, user=cast.mentor)
    mentee = person(c.edition, "mentee", cast.org_a, user=cast.mentee)
    pair = create_mentorship(mentor=mentor, mentee=mentee)
    introductions([pair.pk])
    answer = reverse("matching:pair_answer", args=[pair.pk])
    for someone in (cast.mentor, cast.mentee):
        assert answer in home(client_for(someone))
    assert answer not in home(client_for(cast.outsider))
    publication.answer_pair(mentorship=pair, user=cast.mentee, answer="confirmed")
    assert answer not in home(client_for(cast.mentee))
    assert answer in home(client_for(cast.mentor))


def test_suggestions_do_not_offer_a_second_request_to_the_same_mentor(cast, client_for):
    from mentorat.matching.services import requests as request_services

    c = self_matching_cohort(cast, mentees=0, mentors=2)
    mine = person(c.edition, "mentee", cast.org_a, user=cast.mentee, skills=("Python",))
    request_services.request_mentor(application=mine, mentor_id=c.mentors[0].pk, actor=cast.mentee)
    page = client_for(cast.mentee).get(reverse("matching:suggestions", args=[mine.pk]))
    content = page.content.decode()
    assert "Demande envoyée : en attente de la réponse" in content
    assert f'name="mentor" value="{c.mentors[0].pk}"' not in content
    assert f'name="mentor" value="{c.mentors[1].pk}"' in content
    # The mentor sees why they were suggested.
    mentor_page = client_for(c.mentors[0].user).get(reverse("matching:my_requests"))
    assert 'class="score-scale"' in mentor_page.content.decode()
    # Once paired, no more requests are offered.
    create_mentorship(mentor=c.mentors[1], mentee=mine)
    content = client_for(cast.mentee).get(reverse("matching:suggestions", args=[mine.pk]))
    assert 'name="mentor"' not in content.content.decode()
    assert "Vous avez un·e mentor·e dans ce programme" in content.content.decode()


def test_coordinators_reach_requests_only_in_self_matching_programs(cast, client_for):
    chosen = self_matching_cohort(cast, mentees=0, mentors=0)
    optimal = cohort(cast.org_a, mentees=0, mentors=0, slug="optimal-a")
    client = client_for(cast.coordinator_a)
    for c, shown in ((chosen, True), (optimal, False)):
        link = reverse("matching:requests", args=[c.program.slug])
        manage = client.get(reverse("programs:manage", args=[c.program.slug])).content.decode()
        runs = client.get(reverse("matching:runs", args=[c.program.slug])).content.decode()
        assert (link in manage) is shown
        assert (link in runs) is shown
        assert ("les mentoré·es choisissent leur mentor" in runs) is shown


def test_coordinator_home_lists_what_waits_in_the_matching(cast, client_for):
    from datetime import timedelta

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from mentorat.matching.models import PairIntroduction
    from mentorat.matching.services import requests as request_services
    from tests.matching.factories import finished_run

    c = self_matching_cohort(cast, mentees=2, mentors=2)
    finished_run(c, user=cast.coordinator_a)
    pair = create_mentorship(mentor=c.mentors[0], mentee=c.mentees[0])
    introductions([pair.pk])
    PairIntroduction.objects.filter(mentorship=pair).update(
        answer_by=timezone.now() - timedelta(days=1)
    )
    request_services.request_mentor(
        application=c.mentees[1], mentor_id=c.mentors[1].pk, actor=c.mentees[1].user
    )
    client = client_for(cast.coordinator_a)
    with CaptureQueriesContext(connection) as queries:
        page = home(client)
    slug = c.program.slug
    assert "1 calcul d'appariement à examiner" in page
    assert reverse("matching:runs", args=[slug]) in page
    assert "1 binôme n'a pas répondu à temps" in page
    assert reverse("matching:answers", args=[slug]) + "?state=overdue" in page
    assert "1 demande en attente d'un·e mentor·e" in page
    assert reverse("matching:requests", args=[slug]) in page
    for other in (cast.coordinator_b, cast.mentor):
        assert reverse("matching:runs", args=[slug]) not in home(client_for(other))
    assert len(queries) < 40


def test_mentor_sees_a_late_request_as_expired_before_the_daily_round(cast, client_for):
    from datetime import timedelta

    from django.utils import timezone

    from mentorat.matching.models import MentorRequest
    from mentorat.matching.services import requests as request_services

    c = self_matching_cohort(cast, mentees=1, mentors=0)
    mine = person(c.edition, "mentor", c.company, user=cast.mentor)
    found = request_services.request_mentor(
        application=c.mentees[0], mentor_id=mine.pk, actor=c.mentees[0].user
    )
    client = client_for(cast.mentor)
    assert 'value="accept"' in client.get(reverse("matching:my_requests")).content.decode()
    MentorRequest.objects.filter(pk=found.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    page = client.get(reverse("matching:my_requests")).content.decode()
    assert 'value="accept"' not in page
    assert "Expirée sans réponse" in page
