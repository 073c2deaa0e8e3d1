"""A URL naming a parent and a child never binds the child of one parent to another.

Every URL with two or more object arguments (a program and its edition, a matching run
and one of its mentees, a pair and its meeting…) is requested with the parent of one
"world" and the children of another, both visible to the persona (coordinator_a owns
both programs; the mentor is in both pairs). The answer must be 404 for GET and POST
alike, and the POST must change nothing; the same persona with the second world's own
parent reaches the child (not 404), so the 404 comes from the binding alone.

`test_every_parent_child_url_has_a_mismatch_case` walks the URL configuration: a new URL
with two object arguments fails the suite until it has a case here. Object arguments are
those read with the `int` or `slug` path converters; `str` ones (a file format, a phase,
a token) name no object.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.apps import apps
from django.core import mail
from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, SlugConverter
from django.utils import timezone

from mentorat.applications.imports.models import ImportBatch
from mentorat.matching.models import Proposal
from mentorat.mentorships.models import CheckInQuestion, MeetingStatus, Mentorship
from mentorat.programs.models import Program
from tests.announcements.permission_cases import MISMATCH_WORLDS as ANNOUNCEMENT_WORLDS
from tests.api.permission_cases import MISMATCH_WORLDS as API_WORLDS
from tests.applications.factories import ApplicationFactory
from tests.conftest import Cast
from tests.imports.files import csv_bytes, people
from tests.matching.factories import cohort, finished_run
from tests.matching.permission_cases import MISMATCH_WORLDS as MATCHING_WORLDS
from tests.mentorships.factories import MeetingFactory, MentorshipFactory, RunningEditionFactory
from tests.notifications.permission_cases import (
    CALLS,
    INVITATIONS,
    recruitment_call,
    with_failed_emails,
)
from tests.organizations.permission_cases import member_world
from tests.privacy_erasure.permission_cases import CONFIRM, erasure_request_world
from tests.programs.factories import (
    EditionFactory,
    ObjectiveFactory,
    ProgramFactory,
    QuestionFactory,
    RuleFactory,
)
from tests.recognition.permission_cases import MISMATCH_WORLDS as RECOGNITION_WORLDS
from tests.resources.permission_cases import MISMATCH_WORLDS as RESOURCE_WORLDS
from tests.safeguarding.permission_cases import (
    RECORD_DATA,
    check_world,
    edition_world,
    mentor_world,
)
from tests.test_permissions import THIRD_PARTY_MODULES
from tests.training.permission_cases import MISMATCH_WORLDS as TRAINING_WORLDS
from tests.webhooks.permission_cases import MISMATCH_WORLDS as WEBHOOK_WORLDS

World = Callable[[Cast, int], dict[str, str]]


@dataclass
class Mismatch:
    """`world(cast, n)` builds world n (1 or 2): a parent and its children, returned as
    the URL's arguments. `data(cast, arguments)` is the body of the POSTs, for the
    child of those arguments (a write that would change it if the binding let it)."""

    world: World
    persona: str = "coordinator_a"
    data: Callable[[Cast, dict[str, str]], dict[str, str]] = field(
        default=lambda cast, arguments: {}
    )


def _program(cast: Cast, n: int) -> Program:
    program = ProgramFactory(organization=cast.org_a, slug=f"lien-{n}", name=f"Lien {n}")
    EditionFactory(program=program)
    return program


def program_child(make: Callable[[Program], Model]) -> World:
    def world(cast: Cast, n: int) -> dict[str, str]:
        program = _program(cast, n)
        return {"slug": program.slug, "pk": str(make(program).pk)}

    return world


def application_world(role: str) -> World:
    return program_child(
        lambda program: ApplicationFactory(
            edition=program.editions.get(), role=role, status="accepted"
        )
    )


def import_world(cast: Cast, n: int) -> dict[str, str]:
    from mentorat.applications.imports.services import preview_import

    program = _program(cast, n)
    batch, _report = preview_import(
        program=program,
        edition=program.editions.get(),
        organization=cast.org_a,
        default_role="",
        filename=f"liste-{n}.csv",
        content=csv_bytes(people(2)),
        actor=cast.coordinator_a,
    )
    return {"slug": program.slug, "pk": str(batch.pk)}


def run_world(cast: Cast, n: int) -> dict[str, str]:
    run = finished_run(cohort(cast.org_a, slug=f"appariement-{n}"), user=cast.coordinator_a)
    return {"slug": run.edition.program.slug, "pk": str(run.pk)}


def run_mentee_world(cast: Cast, n: int) -> dict[str, str]:
    arguments = run_world(cast, n)
    first = Proposal.objects.filter(run_id=arguments["pk"], mentor__isnull=False).order_by("pk")
    return arguments | {"mentee": str(first.values_list("mentee_id", flat=True)[0])}


def proposed_mentor(cast: Cast, arguments: dict[str, str]) -> dict[str, str]:
    proposal = Proposal.objects.get(run_id=arguments["pk"], mentee_id=arguments["mentee"])
    return {"mentor": str(proposal.mentor_id), "note": "Non"}


def pair_child(make: Callable[[Mentorship], Model], key: str) -> World:
    """World n: a pair of the cast's mentor, with the mentee (1) or the minor (2), in a
    program of its own, and one child made by `make(mentorship)`."""

    def world(cast: Cast, n: int) -> dict[str, str]:
        program = ProgramFactory(organization=cast.org_a, slug=f"binome-{n}")
        mentorship = MentorshipFactory(
            edition=RunningEditionFactory(program=program),
            mentor=cast.mentor,
            mentee=cast.mentee if n == 1 else cast.minor,
        )
        return {"pk": str(mentorship.pk), key: str(make(mentorship).pk)}

    return world


def proposed_meeting(mentorship: Mentorship) -> Model:
    """Proposed by the mentee, so that the mentor may accept it."""
    return MeetingFactory(
        mentorship=mentorship, status=MeetingStatus.PROPOSED, proposed_by=mentorship.mentee
    )


def goal(mentorship: Mentorship) -> Model:
    return mentorship.goals.create(title="Stage", measure="Signé", due_on=mentorship.started_on)


def resource(mentorship: Mentorship) -> Model:
    return mentorship.resources.create(
        title="Offres", url="https://emploi.example.org", added_by=mentorship.mentor
    )


def _meeting_data(cast: Cast, arguments: dict[str, str]) -> dict[str, str]:
    starts = timezone.localtime() + timedelta(days=9)
    return {
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "60",
        "mode": "video",
        "video_url": "https://visio.example.org/autre",
        "reason": "Empêchement",
        "topics": "CV",
    }


def _static(data: dict[str, str]) -> Callable[[Cast, dict[str, str]], dict[str, str]]:
    return lambda cast, arguments: data


PAIR = "mentor"
MISMATCHES: dict[str, Mismatch] = {
    # Program pages with an object of the program.
    "programs:edition_edit": Mismatch(
        program_child(lambda program: program.editions.get()),
        data=_static({"name": "Renommée", "meetings_per_month": "1", "duration_months": "3"}),
    ),
    "programs:objective_delete": Mismatch(
        program_child(lambda program: ObjectiveFactory(program=program))
    ),
    "programs:rule_delete": Mismatch(program_child(lambda program: RuleFactory(program=program))),
    "programs:question_delete": Mismatch(
        program_child(lambda program: QuestionFactory(program=program))
    ),
    "applications:review": Mismatch(
        application_world("mentee"), data=_static({"decision": "decline", "reason": "Non"})
    ),
    "applications:resend_guardian_consent": Mismatch(
        program_child(
            lambda program: ApplicationFactory(
                edition=program.editions.get(),
                status="awaiting_guardian_consent",
                guardian_email="parent@example.org",
                is_minor=True,
            )
        )
    ),
    "matching:capacity": Mismatch(application_world("mentor"), data=_static({"capacity": "3"})),
    "imports:preview": Mismatch(import_world),
    "imports:confirm": Mismatch(
        import_world,
        data=lambda cast, arguments: {"sha256": ImportBatch.objects.get(pk=arguments["pk"]).sha256},
    ),
    "imports:discard": Mismatch(import_world),
    # The retry of the emails of an import or a call for mentors of the program.
    "notifications:retry_import_invitations": Mismatch(
        with_failed_emails(import_world, INVITATIONS)
    ),
    "notifications:retry_recruitment_call": Mismatch(
        with_failed_emails(program_child(recruitment_call), CALLS)
    ),
    "mentorships:check_in_question_edit": Mismatch(
        program_child(
            lambda program: CheckInQuestion.objects.create(
                program=program, label="Utile ?", kind="yes_no"
            )
        ),
        data=_static({"label": "Renommée"}),
    ),
    "mentorships:check_in_question_delete": Mismatch(
        program_child(
            lambda program: CheckInQuestion.objects.create(
                program=program, label="Utile ?", kind="yes_no"
            )
        )
    ),
    # A matching run of the program, and one mentee of the run.
    "matching:run": Mismatch(run_world),
    "matching:run_status": Mismatch(run_world),
    "matching:run_retry": Mismatch(run_world),
    "matching:proposals": Mismatch(run_world),
    "matching:proposals_export": Mismatch(run_world),
    "matching:rerun": Mismatch(run_world),
    "matching:compare": Mismatch(run_world),
    "matching:publish": Mismatch(run_world),
    "matching:mentee": Mismatch(run_mentee_world),
    "matching:assign": Mismatch(run_mentee_world, data=_static({"mentor": ""})),
    "matching:lock": Mismatch(run_mentee_world, data=_static({"locked": "1"})),
    "matching:exclude": Mismatch(run_mentee_world, data=proposed_mentor),
    # A pair (the mentor is in both) and its meetings, goals and shared links.
    "mentorships:meeting_accept": Mismatch(pair_child(proposed_meeting, "meeting_pk"), PAIR),
    "mentorships:meeting_reschedule": Mismatch(
        pair_child(proposed_meeting, "meeting_pk"), PAIR, _meeting_data
    ),
    "mentorships:meeting_cancel": Mismatch(
        pair_child(proposed_meeting, "meeting_pk"), PAIR, _meeting_data
    ),
    "mentorships:meeting_ics": Mismatch(pair_child(proposed_meeting, "meeting_pk"), PAIR),
    "mentorships:session_log": Mismatch(
        pair_child(proposed_meeting, "meeting_pk"), PAIR, _meeting_data
    ),
    "mentorships:goal_edit": Mismatch(
        pair_child(goal, "goal_pk"),
        PAIR,
        lambda cast, arguments: {
            "title": "Autre",
            "measure": "Autre",
            "due_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
        },
    ),
    "mentorships:goal_status": Mismatch(
        pair_child(goal, "goal_pk"), PAIR, _static({"status": "achieved"})
    ),
    "mentorships:goal_progress": Mismatch(
        pair_child(goal, "goal_pk"), PAIR, _static({"progress": "50", "status": "achieved"})
    ),
    "mentorships:resource_edit": Mismatch(
        pair_child(resource, "resource_pk"),
        PAIR,
        _static({"title": "Autre", "url": "https://autre.example.org"}),
    ),
    "mentorships:resource_delete": Mismatch(pair_child(resource, "resource_pk"), PAIR),
    # Safeguarding checks: an edition of the program, one of its mentors, a check.
    "safeguarding:mentors": Mismatch(edition_world),
    "safeguarding:record": Mismatch(mentor_world, data=_static(RECORD_DATA)),
    "safeguarding:revoke": Mismatch(check_world),
    # A member of an organisation, through another organisation the same admin runs.
    "organizations:member_edit": Mismatch(
        member_world, persona="admin_a", data=_static({"roles": "coordinator"})
    ),
    "organizations:member_remove": Mismatch(member_world, persona="admin_a"),
    # An erasure request through another organisation the same admin runs.
    "privacy:erasure_request_detail": Mismatch(
        erasure_request_world, persona="admin_a", data=_static(CONFIRM)
    ),
}
# The resource library's pages, a file of it, and a pair adopting one of its templates.
MISMATCHES.update({name: Mismatch(w, persona) for name, (w, persona) in RESOURCE_WORLDS.items()})
# A program's messages to a cohort: preview, send and retry bound to another program.
MISMATCHES.update(
    {name: Mismatch(w, persona) for name, (w, persona) in ANNOUNCEMENT_WORLDS.items()}
)
# Training: a module's sections and questions, a program's assignments.
MISMATCHES.update({name: Mismatch(w, persona) for name, (w, persona) in TRAINING_WORLDS.items()})
# Matching: an edition's reserved places bound to another program.
MISMATCHES.update({name: Mismatch(w, persona) for name, (w, persona) in MATCHING_WORLDS.items()})
# Recognition: a recognition awarded under another program's address.
MISMATCHES.update({name: Mismatch(w, persona) for name, (w, persona) in RECOGNITION_WORLDS.items()})
MISMATCHES.update({name: Mismatch(w, persona) for name, (w, persona) in WEBHOOK_WORLDS.items()})
MISMATCHES.update({name: Mismatch(w, persona) for name, (w, persona) in API_WORLDS.items()})


def _walk(patterns, prefix_converters=None, namespace="") -> Iterator[tuple[str, object, dict]]:
    for p in patterns:
        converters = {**(prefix_converters or {}), **p.pattern.converters}
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, converters, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", p, converters


def object_arguments() -> dict[str, list[str]]:
    """URL name → its object arguments, parent first, for our URLs."""
    found = {}
    for name, pattern, converters in _walk(get_resolver().url_patterns):
        if pattern.lookup_str.startswith(THIRD_PARTY_MODULES):  # type: ignore[attr-defined]
            continue
        found[name] = [
            key
            for key, converter in converters.items()
            if isinstance(converter, IntConverter | SlugConverter)
        ]
    return found


def test_every_parent_child_url_has_a_mismatch_case():
    nested = {name for name, keys in object_arguments().items() if len(keys) >= 2}
    assert not nested - MISMATCHES.keys(), (
        f"URLs with a parent and a child but no mismatch case: {sorted(nested - MISMATCHES.keys())}"
    )
    assert not MISMATCHES.keys() - nested, f"Stale cases: {sorted(MISMATCHES.keys() - nested)}"


def _snapshot() -> dict[str, list[dict]]:
    """Every row of the platform's tables but the audit and security logs (a refusal may
    be recorded there)."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_models()
        if model.__module__.startswith("mentorat.") and model._meta.app_label != "audit"
    }


def _request(client, method: str, url: str, data: dict[str, str]) -> int:
    response = client.post(url, data) if method == "post" else client.get(url)
    return response.status_code


@pytest.mark.parametrize("url_name", sorted(MISMATCHES))
def test_a_child_is_not_found_through_another_parent(cast, client_for, url_name):
    case = MISMATCHES[url_name]
    keys = object_arguments()[url_name]
    first, second = case.world(cast, 1), case.world(cast, 2)
    data = case.data(cast, second)
    client = client_for(cast.persona(case.persona))
    before, sent = _snapshot(), len(mail.outbox)
    refused: dict[str, int] = {}
    # Each cut between a parent and its children: (parent of 1, children of 2), and for
    # three levels (program of 1, run of 1, mentee of 2) as well.
    for cut in range(1, len(keys)):
        mixed = second | {key: first[key] for key in keys[:cut]}
        url = reverse(url_name, kwargs=mixed)
        for method in ("get", "post"):
            status = _request(client, method, url, data)
            assert status in (404, 405), f"{method.upper()} {url}: {status}, expected 404"
            refused[method] = status
    assert 404 in refused.values(), f"{url_name}: neither GET nor POST is allowed"
    assert _snapshot() == before, f"{url_name}: a mismatched request changed data"
    assert len(mail.outbox) == sent, f"{url_name}: a mismatched request sent an email"
    # With its own parent, the second world's child is there for the persona.
    url = reverse(url_name, kwargs=second)
    for method in ("get", "post"):
        status = _request(client, method, url, data)
        if refused[method] == 405:
            assert status == 405, f"{method.upper()} {url}: {status}, expected 405"
        else:
            assert status not in (404, 405), f"{method.upper()} {url}: {status}"
