"""The pair workspace in tabs: the overview by default (what to do, the next meeting, how
the pair is going), one section per tab, tab links that work without JavaScript, and
every action sending the person back to the tab it came from."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mentorat.mentorships.models import GoalStatus, MeetingStatus
from mentorat.mentorships.views._common import WORKSPACE_TABS
from tests.mentorships.factories import MeetingFactory, SessionLogFactory
from tests.mentorships.permission_cases import pair_of_a

# The heading id of each tab's section, and of sections shown in no other tab.
SECTIONS = {
    "overview": "to-do-title",
    "meetings": "meetings-title",
    "goals": "goals-title",
    "resources": "resources-title",
    "people": "people-title",
    "end": "end-title",
}


def _workspace(pair, tab: str = "") -> str:
    url = reverse("mentorships:workspace", kwargs={"pk": pair.pk})
    return f"{url}?tab={tab}" if tab else url


def _tabs(page: str) -> str:
    start = page.index('<nav class="tabs"')
    return page[start : page.index("</nav>", start)]


def _current_tab(page: str) -> list[str]:
    return re.findall(r'<a href="([^"]*)" aria-current="page">', _tabs(page))


def test_the_overview_is_the_default_and_shows_no_other_section(cast, client_for):
    pair = pair_of_a(cast)
    page = client_for(cast.mentee).get(_workspace(pair)).content.decode()
    assert 'id="to-do-title"' in page
    assert 'id="next-meeting-title"' in page
    assert 'id="health-title"' in page
    for tab, heading in SECTIONS.items():
        if tab != "overview":
            assert f'id="{heading}"' not in page, tab
    assert _current_tab(page) == [_workspace(pair)]


@pytest.mark.parametrize("tab", [t for t in WORKSPACE_TABS if t != "overview"])
def test_each_tab_shows_its_own_section_only(cast, client_for, tab):
    pair = pair_of_a(cast)
    page = client_for(cast.mentor).get(_workspace(pair, tab)).content.decode()
    assert f'id="{SECTIONS[tab]}"' in page
    for other, heading in SECTIONS.items():
        if other != tab:
            assert f'id="{heading}"' not in page, other
    assert _current_tab(page) == [f"?tab={tab}"]
    # Every tab is a plain link (no script needed), the conversation among them.
    nav = _tabs(page)
    for other in WORKSPACE_TABS:
        assert (f'href="?tab={other}"' in nav) or other == "overview"
    assert f'href="{reverse("conversations:thread", kwargs={"pk": pair.pk})}"' in nav


def test_an_unknown_tab_shows_the_overview(cast, client_for):
    pair = pair_of_a(cast)
    page = client_for(cast.mentee).get(_workspace(pair, "nothing")).content.decode()
    assert 'id="to-do-title"' in page
    assert 'id="meetings-title"' not in page


def test_the_overview_lists_what_to_do_and_the_next_meeting(cast, client_for):
    pair = pair_of_a(cast)
    now = timezone.now()
    proposal = MeetingFactory(
        mentorship=pair,
        starts_at=now + timedelta(days=2),
        status=MeetingStatus.PROPOSED,
        proposed_by=cast.mentor,
    )
    later = MeetingFactory(mentorship=pair, starts_at=now + timedelta(days=9))
    to_log = MeetingFactory(mentorship=pair, starts_at=now - timedelta(days=1))
    SessionLogFactory(meeting__mentorship=pair, meeting__starts_at=now - timedelta(days=8))
    pair.goals.create(
        title="Stage", measure="Convention", due_on=now.date(), status=GoalStatus.ACHIEVED
    )

    mentee_page = client_for(cast.mentee).get(_workspace(pair)).content.decode()
    assert f'href="?tab=meetings#meeting-{proposal.pk}"' in mentee_page  # to answer
    log_url = reverse("mentorships:session_log", kwargs={"pk": pair.pk, "meeting_pk": to_log.pk})
    assert log_url in mentee_page
    # The next meeting is the soonest to come, accepted or proposed.
    next_meeting = mentee_page[mentee_page.index('id="next-meeting-title"') :]
    assert f"#meeting-{proposal.pk}" in next_meeting.split("</section>")[0]
    assert f"#meeting-{later.pk}" not in next_meeting.split("</section>")[0]
    health = mentee_page[mentee_page.index('id="health-title"') :].split("</section>")[0]
    assert re.search(r'stat-value">2</span> <span class="stat-label">Rencontres', health)
    assert 'stat-value">1/1</span>' in health
    # The proposer has nothing to answer, only the session to log.
    mentor_page = client_for(cast.mentor).get(_workspace(pair)).content.decode()
    assert (
        f'href="?tab=meetings#meeting-{proposal.pk}"'
        not in mentor_page.split('id="next-meeting-title"')[0]
    )
    assert log_url in mentor_page


def test_nothing_to_do_says_so(cast, client_for):
    pair = pair_of_a(cast)
    client = client_for(cast.mentee)
    client.cookies["django_language"] = "en"
    page = client.get(_workspace(pair)).content.decode()
    assert "Nothing to do right now." in page
    assert "No meeting planned." in page


def test_actions_go_back_to_the_tab_they_came_from(cast, client_for):
    pair = pair_of_a(cast)
    meeting = MeetingFactory(
        mentorship=pair,
        starts_at=timezone.now() + timedelta(days=2),
        status=MeetingStatus.PROPOSED,
        proposed_by=cast.mentor,
    )
    mentee = client_for(cast.mentee)
    accept = reverse("mentorships:meeting_accept", kwargs={"pk": pair.pk, "meeting_pk": meeting.pk})
    assert mentee.post(accept)["Location"] == _workspace(pair, "meetings")
    cancel = reverse("mentorships:meeting_cancel", kwargs={"pk": pair.pk, "meeting_pk": meeting.pk})
    # A form that says where it was posted from is sent back there (the overview has no
    # `?tab=`); an unknown tab is ignored.
    assert mentee.post(cancel, {"tab": "overview"})["Location"] == _workspace(pair)
    add = reverse("mentorships:resource_add", kwargs={"pk": pair.pk})
    response = mentee.post(add, {"title": "Offres", "url": "emploi.example.org", "tab": "x"})
    assert response["Location"] == _workspace(pair, "resources")
    goal_add = reverse("mentorships:goal_add", kwargs={"pk": pair.pk})
    response = mentee.post(
        goal_add,
        {
            "title": "Stage",
            "measure": "Convention",
            "due_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
        },
    )
    assert response["Location"] == _workspace(pair, "goals")
    reminders = reverse("mentorships:reminders", kwargs={"pk": pair.pk})
    assert mentee.post(reminders, {"enabled": "0"})["Location"] == _workspace(pair, "end")


def test_the_query_count_does_not_depend_on_the_tab(
    cast, client_for, django_assert_max_num_queries
):
    pair = pair_of_a(cast)
    for days in (1, 2, 3):
        MeetingFactory(mentorship=pair, starts_at=timezone.now() + timedelta(days=days))
    client = client_for(cast.mentor)
    client.get(_workspace(pair))  # sessions, caches
    for tab in WORKSPACE_TABS:
        with django_assert_max_num_queries(40):
            assert client.get(_workspace(pair, tab)).status_code == 200


@pytest.mark.parametrize(
    ("first_name", "language", "expected"),
    [
        ("Inès", "fr", "Mentor·e d'Inès"),
        ("Marc", "fr", "Mentor·e de Marc"),
        ("Inès", "en", "Mentoring Inès"),
    ],
)
def test_the_list_of_pairs_elides_before_a_vowel_in_french(
    cast, client_for, first_name, language, expected
):
    pair = pair_of_a(cast)
    cast.mentee.first_name, cast.mentee.last_name = first_name, "Durand"
    cast.mentee.save()
    client = client_for(cast.mentor)
    client.cookies["django_language"] = language
    page = client.get(reverse("mentorships:my_list")).content.decode()
    assert f"{expected} Durand" in page.replace("&#x27;", "'")
    assert pair.pk
