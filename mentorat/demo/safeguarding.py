"""Demo protection of minors, called by `load_demo` after the matching: in the lycée's
"Mixité des métiers industriels" program (pupils of 14 to 17, mentors of its partner
Nexalis), the coordinators recorded a safeguarding check for every accepted mentor — in
turn the lycée's coordinator (in the lycée's name) and Nexalis's (in Nexalis's name, for
its own people) — but the last one's expired a month ago. A run waits for review: every
pupil it pairs has a mentor with a valid check, and the review page of a pupil shows the
mentor whose check expired ruled out with « vérification d'honorabilité non
enregistrée »."""

from datetime import timedelta

from django.utils import timezone

from mentorat.accounts.models import User
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.matching.models import MatchRun
from mentorat.matching.parameters import RunParameters
from mentorat.matching.services.runs import execute_run, start_run
from mentorat.programs.models import MatchingSettings, ParticipantRole, Program, ProgramKind
from mentorat.safeguarding.models import CheckKind
from mentorat.safeguarding.services import record_check

LYCEE_COORDINATOR = "coordination@lycee.demo"
PARTNER_COORDINATOR = "rh@nexalis.demo"


def load_demo_safeguarding() -> MatchRun | None:
    """Checks for the lycée program's accepted mentors (the last one's expired), then a
    run of its current edition left waiting for review. Returns the run."""
    program = (
        Program.objects.select_related("organization")
        .filter(organization__slug="lycee", kind=ProgramKind.GENDER_DIVERSITY)
        .first()
    )
    coordinator = User.objects.filter(email=LYCEE_COORDINATOR).first()
    partner = User.objects.filter(email=PARTNER_COORDINATOR).first()
    if program is None or coordinator is None or partner is None:
        return None
    edition = program.editions.order_by("-starts_on").first()
    if edition is None:
        return None
    mentors = list(
        Application.objects.filter(
            edition=edition, role=ParticipantRole.MENTOR, status=ApplicationStatus.ACCEPTED
        )
        .select_related("organization", "edition__program", "user")
        .order_by("pk")
    )
    today = timezone.localdate()
    for k, mentor in enumerate(mentors):
        # In turn the lycée, and the partner for its own people (in its own name).
        partner_org = mentor.organization if k % 2 else None
        checked_on = today - timedelta(days=20 + 7 * k)
        if k == len(mentors) - 1 and k > 0:
            # Last year's extract, not renewed: the matching leaves them out for minors.
            checked_on = today - timedelta(days=400)
        record_check(
            program=program,
            mentor=mentor,
            organization=partner_org or program.organization,
            kind=CheckKind.CRIMINAL_RECORD if k % 3 else CheckKind.HONOURABILITY_CERTIFICATE,
            checked_on=checked_on,
            valid_until=checked_on + timedelta(days=365),
            actor=partner if partner_org else coordinator,
        )
    settings = MatchingSettings.objects.filter(program=program).first()
    run, _created = start_run(
        edition=edition, parameters=RunParameters.from_settings(settings), actor=coordinator
    )
    # Executed here, as the demo's other run: ready at once, the queued task then skips it.
    execute_run(run_id=run.pk)
    run.refresh_from_db()
    return run
