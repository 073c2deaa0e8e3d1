"""Who each segment reaches, for the owner's staff and for a partner's coordinators,
in a constant number of queries."""

import pytest
from django.utils import timezone

from mentorat.announcements.models import Segment
from mentorat.announcements.selectors import segment_users
from mentorat.applications.models import ApplicationStatus
from tests.announcements.scene import build_scene

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(cast):
    return build_scene(cast)


def reached(scene, segment, filters=None, scope=None):
    return set(
        segment_users(
            edition=scene.edition,
            segment=segment,
            filters=filters or {},
            scope=scope,
            now=timezone.now(),
        )
    )


def test_each_segment_of_the_edition(scene):
    s = scene
    mentees = {s.at_risk_mentee, s.met_mentee, s.unmatched_mentee, s.unmatched_partner_mentee}
    mentors = {s.at_risk_mentor, s.met_mentor, s.unmatched_mentor}
    assert reached(s, Segment.MENTEES) == mentees
    assert reached(s, Segment.MENTORS) == mentors
    assert reached(s, Segment.EVERYONE) == mentees | mentors == s.everyone()
    assert reached(s, Segment.UNMATCHED) == {
        s.unmatched_mentee,
        s.unmatched_partner_mentee,
        s.unmatched_mentor,
    }
    assert reached(s, Segment.AT_RISK) == {s.at_risk_mentee, s.at_risk_mentor}
    assert reached(s, Segment.NOT_MET) == {s.at_risk_mentee, s.at_risk_mentor}
    assert reached(s, "nonsense") == set()


def test_the_custom_filter(scene):
    s = scene
    assert reached(s, Segment.CUSTOM, {"status": ApplicationStatus.SUBMITTED}) == {s.submitted}
    assert reached(s, Segment.CUSTOM, {"role": "mentor", "health": "no_pair"}) == {
        s.unmatched_mentor
    }
    assert reached(s, Segment.CUSTOM, {"health": "on_track"}) == {s.met_mentee, s.met_mentor}
    assert reached(s, Segment.CUSTOM, {"health": "at_risk", "role": "mentee"}) == {s.at_risk_mentee}
    assert reached(s, Segment.CUSTOM, {"region": "IDF"}) == {s.unmatched_mentee}
    assert reached(s, Segment.CUSTOM, {"field": "droi"}) == {s.unmatched_mentee}
    # Empty filter: every accepted person.
    assert reached(s, Segment.CUSTOM) == s.everyone()


def test_a_partner_reaches_only_the_people_its_organisation_brought(scene, cast):
    s, c = scene, {cast.org_c.pk}
    assert reached(s, Segment.MENTEES, scope=c) == {s.met_mentee, s.unmatched_partner_mentee}
    assert reached(s, Segment.EVERYONE, scope=c) == {s.met_mentee, s.unmatched_partner_mentee}
    assert reached(s, Segment.MENTORS, scope=c) == set()
    # The partner's mentee is in a pair with a mentor of A: only the mentee is theirs.
    assert reached(s, Segment.CUSTOM, {"health": "on_track"}, scope=c) == {s.met_mentee}
    assert reached(s, Segment.AT_RISK, scope=c) == set()


@pytest.mark.parametrize(
    ("segment", "queries"),
    [(Segment.EVERYONE, 1), (Segment.UNMATCHED, 1), (Segment.NOT_MET, 1), (Segment.AT_RISK, 2)],
)
def test_recipients_take_a_constant_number_of_queries(
    scene, cast, segment, queries, django_assert_num_queries
):
    # Twice the pairs and people: the same queries.
    build_scene_more(scene)
    with django_assert_num_queries(queries):
        found = reached(scene, segment)
    assert found


def build_scene_more(scene):
    from tests.mentorships.factories import MentorshipFactory

    for _ in range(3):
        MentorshipFactory(edition=scene.edition)
