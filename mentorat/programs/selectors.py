from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from mentorat.organizations.models import Organization
from mentorat.programs.models import Charter, Edition, Program


def programs_of(*, organization: Organization) -> QuerySet[Program]:
    """Programs owned by `organization` or shared with it, with their edition count."""
    return (
        Program.objects.filter(Q(organization=organization) | Q(shared_with=organization))
        .distinct()
        .select_related("organization")
        .annotate(edition_count=Count("editions", distinct=True))
        .order_by("name")
    )


def open_editions(*, today: date) -> QuerySet[Edition]:
    return Edition.objects.filter(
        applications_open_on__lte=today, applications_close_on__gte=today
    ).order_by("applications_close_on")


def open_programs(*, today: date) -> QuerySet[Program]:
    """Published programs taking applications today, with their open editions."""
    return (
        Program.objects.filter(
            is_published=True,
            editions__applications_open_on__lte=today,
            editions__applications_close_on__gte=today,
        )
        .distinct()
        .select_related("organization")
        .prefetch_related(Prefetch("editions", open_editions(today=today), to_attr="open_now"))
        .order_by("name")
    )


def open_edition(*, program: Program, today: date) -> Edition | None:
    """The edition taking applications today (the one closing first if several)."""
    return open_editions(today=today).filter(program=program).first()


def current_charter(*, program: Program) -> Charter | None:
    return program.charters.order_by("-version").first()


def program_with_settings(*, program_id: int) -> Program:
    """A program with everything its management page shows, in a fixed number of queries."""
    return (
        Program.objects.select_related("organization", "matching_settings")
        .prefetch_related(
            "objectives",
            "editions",
            "eligibility_rules",
            "questions",
            "shared_with",
            Prefetch("charters", Charter.objects.order_by("-version"), to_attr="charter_versions"),
        )
        .get(pk=program_id)
    )
