"""Demo matching: the university's "premier emploi" program has a finished run whose
proposals wait for the coordinator's review. Called by `load_demo` after the programs."""

from mentorat.accounts.models import User
from mentorat.matching.models import MatchRun
from mentorat.matching.parameters import RunParameters
from mentorat.matching.services.runs import execute_run, start_run
from mentorat.programs.models import MatchingSettings, Program, ProgramKind


def load_demo_matching() -> MatchRun | None:
    program = (
        Program.objects.filter(organization__slug="universite", kind=ProgramKind.STUDENT_INSERTION)
        .order_by("pk")
        .first()
    )
    coordinator = User.objects.filter(email="coordination@universite.demo").first()
    if program is None or coordinator is None:
        return None
    edition = program.editions.order_by("-starts_on").first()
    if edition is None:
        return None
    settings = MatchingSettings.objects.filter(program=program).first()
    run, _created = start_run(
        edition=edition, parameters=RunParameters.from_settings(settings), actor=coordinator
    )
    # Executed here rather than by the queued task, so the demo is ready at once; the
    # task then finds the run finished and does nothing.
    execute_run(run_id=run.pk)
    run.refresh_from_db()
    return run
