"""The pages the load benchmark visits, per persona, with their weights.

Run inside Django (the benchmark's database): `workload()` looks the demo's objects up
(the persona's pair, meeting, goal, open check-in, application, program) so the paths do
not depend on primary keys. The weights say how often a person of that role opens the
page in real use: homes and the pair workspace most, management pages less, a few writes.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

# The demo personas signed in by the benchmark (README), by role. Coordinators must use
# two-factor authentication: each signs in once (a TOTP code is accepted once).
COORDINATORS = ("coordination@universite.demo", "coordination@lycee.demo", "rh@nexalis.demo")
MENTOR = "mentor@banque.demo"
MENTEE = "mentoree@universite.demo"


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    weight: int
    method: str = "GET"
    data: dict[str, str] = field(default_factory=dict)


def _participant_pages(email: str, role: str) -> list[Page]:
    from mentorat.applications.models import Application
    from mentorat.mentorships.models import CheckIn, Goal, Meeting, Mentorship

    side = (
        "mentor_application__user__email"
        if role == "mentor"
        else ("mentee_application__user__email")
    )
    pair = (
        Mentorship.objects.filter(**{side: email}, status="active")
        .order_by("pk")
        .only("pk")
        .first()
    )
    assert pair is not None, f"{email} has no active pair in the demo"
    application = (
        Application.objects.filter(user__email=email)
        .order_by("pk")
        .values("pk", "edition__program__slug")
        .first()
    )
    assert application is not None
    pages = [
        Page(f"{role}: home", "/", 20),
        Page(f"{role}: workspace", f"/mentorships/{pair.pk}/", 20),
        Page(f"{role}: my pairs", "/my/mentorships/", 4),
        Page(f"{role}: calendar", "/my/calendar/", 3),
        Page(f"{role}: my applications", "/my/applications/", 3),
        Page(f"{role}: application", f"/my/applications/{application['pk']}/", 3),
        Page(f"{role}: programs", "/programs/", 4),
        Page(f"{role}: program", f"/programs/{application['edition__program__slug']}/", 4),
        Page(f"{role}: profile", "/my/profile/", 2),
    ]
    check_in = CheckIn.objects.filter(respondent__email=email, mentorship=pair).values("pk").first()
    if check_in is not None:
        pages.append(Page(f"{role}: check-in", f"/my/check-ins/{check_in['pk']}/", 3))
    meeting = (
        Meeting.objects.filter(mentorship=pair, log__isnull=False).order_by("pk").only("pk").first()
    )
    if role == "mentor" and meeting is not None:
        path = f"/mentorships/{pair.pk}/meetings/{meeting.pk}/log/"
        pages += [
            Page("mentor: session log form", path, 3),
            Page(
                "mentor: session log (write)",
                path,
                2,
                "POST",
                {
                    "duration_minutes": "60",
                    "topics": "CV, entretiens",
                    "shared_notes": "Relecture du CV et préparation des entretiens.",
                    "private_note": "",
                },
            ),
        ]
    goal = Goal.objects.filter(mentorship=pair).order_by("pk").only("pk").first()
    if role == "mentee" and goal is not None:
        path = f"/mentorships/{pair.pk}/goals/{goal.pk}/progress/"
        pages += [
            Page("mentee: goal progress form", path, 2),
            Page(
                "mentee: goal progress (write)",
                path,
                2,
                "POST",
                {"progress": "50", "status": "in_progress", "note": "Un pas de plus."},
            ),
        ]
    return pages


def _coordinator_pages(email: str) -> list[Page]:
    from mentorat.applications.models import Application
    from mentorat.mentorships.models import Mentorship
    from mentorat.organizations.models import Membership
    from mentorat.programs.models import Program

    # values(): only the columns named, so the benchmark does not depend on other fields.
    membership = (
        Membership.objects.filter(user__email=email, role="coordinator")
        .values("organization_id", "organization__slug")
        .first()
    )
    assert membership is not None, f"{email} coordinates nothing in the demo"
    org_id, org_slug = membership["organization_id"], membership["organization__slug"]
    programs = Program.objects.filter(organization_id=org_id).order_by("pk")
    program = (
        programs.filter(editions__mentorships__isnull=False).values("pk", "slug").first()
        or programs.values("pk", "slug").first()
    )
    assert program is not None
    manage = f"/programs/{program['slug']}/manage/"
    pages = [
        Page("coordinator: home", "/", 10),
        Page("coordinator: organisation", f"/organizations/{org_slug}/", 2),
        Page("coordinator: programs", f"/organizations/{org_slug}/programs/", 2),
        Page("coordinator: program", manage, 6),
        Page("coordinator: applications", f"{manage}applications/", 5),
        Page("coordinator: pairs", f"{manage}mentorships/", 4),
    ]
    in_program = {"edition__program_id": program["pk"]}
    application = Application.objects.filter(**in_program).order_by("pk").values("pk").first()
    if application is not None:
        path = f"{manage}applications/{application['pk']}/"
        pages.append(Page("coordinator: application", path, 4))
    pair = Mentorship.objects.filter(**in_program).order_by("pk").values("pk").first()
    if pair is not None:
        pages.append(Page("coordinator: workspace", f"/mentorships/{pair['pk']}/", 4))
    return pages


def workload() -> dict[str, list[Page]]:
    """The pages of each signed-in persona (email → pages)."""
    pages = {email: _coordinator_pages(email) for email in COORDINATORS}
    pages[MENTOR] = _participant_pages(MENTOR, "mentor")
    pages[MENTEE] = _participant_pages(MENTEE, "mentee")
    return pages


def main() -> None:
    """Print the workload as JSON (called by run.py in a Django process)."""
    import django

    django.setup()
    print(json.dumps({email: [asdict(p) for p in pages] for email, pages in workload().items()}))


if __name__ == "__main__":
    main()
