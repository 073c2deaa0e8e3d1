"""Who sees a mentor's engagement page through the programs the mentor takes part in: the
program's owner, and a partner the program is shared with as far as it follows the mentor
there; a partner the program is not shared with, other mentors, the mentee and outsiders
get 404 (they cannot tell the person exists)."""

import pytest
from django.urls import reverse

from mentorat.organizations.models import Role
from mentorat.programs.models import ParticipantRole
from tests.factories import MembershipFactory, UserFactory
from tests.mentorships.factories import MentorshipFactory, RunningEditionFactory, application_of
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def _status(client_for, user, mentor) -> int:
    url = reverse("recognition:engagement", args=[mentor.pk])
    return client_for(user).get(url).status_code


def _program_of_a(cast, *, shared: bool):
    program = ProgramFactory(organization=cast.org_a, name="Cap Avenir")
    if shared:
        program.shared_with.add(cast.org_c)
    return RunningEditionFactory(program=program)


def _mentee_of_c(cast):
    mentee = UserFactory(email="mentee-c@example.org")
    MembershipFactory(user=mentee, organization=cast.org_c, role=Role.MENTEE)
    return mentee


def test_a_partner_follows_the_mentor_of_its_mentee_in_a_shared_program(cast, client_for):
    """A's mentor accompanies C's mentee in A's program shared with C: C's coordinator sees
    the pair in summary, and the mentor's engagement behind its link."""
    edition = _program_of_a(cast, shared=True)
    mentee = _mentee_of_c(cast)
    MentorshipFactory(edition=edition, mentor=cast.mentor, mentee=mentee)

    assert _status(client_for, cast.partner_coordinator, cast.mentor) == 200
    assert _status(client_for, cast.coordinator_a, cast.mentor) == 200
    # Forbidden: another organisation, an outsider, another mentor, the mentee herself.
    other_mentor = UserFactory(email="other-mentor@example.org")
    MentorshipFactory(edition=edition, mentor=other_mentor, mentee=cast.mentee)
    for user in (cast.coordinator_b, cast.outsider, other_mentor, mentee):
        assert _status(client_for, user, cast.mentor) == 404, user.email


def test_a_partner_sees_the_mentor_it_brings_before_any_pair(cast, client_for):
    """A mentor from outside A and C applied through C to A's shared program (accepted, not
    yet paired): C's coordinator and A's (the owner's) see the page, B's does not."""
    edition = _program_of_a(cast, shared=True)
    mentor = UserFactory(email="mentor-through-c@example.org")
    application = application_of(edition, mentor, ParticipantRole.MENTOR)
    application.organization = cast.org_c
    application.save()

    assert _status(client_for, cast.partner_coordinator, mentor) == 200
    assert _status(client_for, cast.coordinator_a, mentor) == 200
    assert _status(client_for, cast.coordinator_b, mentor) == 404
    # Withdrawn before taking part: the program no longer opens the page.
    application.status = "withdrawn"
    application.save()
    assert _status(client_for, cast.partner_coordinator, mentor) == 404
    assert _status(client_for, cast.coordinator_a, mentor) == 404


def test_a_partner_the_program_is_not_shared_with_gets_404(cast, client_for):
    """The same pair in a program of A that is not shared with C: C is A's partner, but
    not in this program."""
    edition = _program_of_a(cast, shared=False)
    MentorshipFactory(edition=edition, mentor=cast.mentor, mentee=_mentee_of_c(cast))
    assert _status(client_for, cast.partner_coordinator, cast.mentor) == 404
    assert _status(client_for, cast.coordinator_a, cast.mentor) == 200


def test_a_partner_does_not_follow_the_owners_own_pairs(cast, client_for):
    """Shared with C, but the pair is A's mentor with A's mentee: none of C's people, so
    C's coordinator cannot tell the mentor exists (as for the pair itself)."""
    edition = _program_of_a(cast, shared=True)
    MentorshipFactory(edition=edition, mentor=cast.mentor, mentee=cast.mentee)
    assert _status(client_for, cast.partner_coordinator, cast.mentor) == 404
    assert _status(client_for, cast.coordinator_a, cast.mentor) == 200
    assert _status(client_for, cast.mentee, cast.mentor) == 404
