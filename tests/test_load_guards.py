"""The pages of the load benchmark read a bounded number of queries, whatever the data.

Every GET page of benchmarks/load/pages.py (the homes, pair workspace, program and
application pages of a coordinator, a mentor and a mentee) is opened on the demo data
and its SQL statements counted; then the data grow (more meetings with session logs,
goals, check-ins and resources in the pair, more applications, pairs and editions in
the programs) and every page must read exactly as many statements again: no N+1.

The budget of a page requested alone is 15 statements (issue 23). The pages still above
it are listed in OVER_BUDGET with their ceiling: lower a ceiling when a page gets
cheaper, never raise it without saying why in docs/benchmarks.md.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from benchmarks.load.pages import Page, workload
from mentorat.accounts.models import User
from mentorat.applications.models import Application
from mentorat.demo.loader import load_demo
from mentorat.mentorships.models import CheckIn, Goal, Meeting, Mentorship, Resource, SessionLog
from mentorat.programs.models import Edition, Program
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BUDGET = 15
# Page name → ceiling, for the pages above the budget. None since the homes read their
# counts in one statement and the workspace only its open tab (docs/benchmarks.md,
# section "Pages under load"): a page that needs more must say why there.
OVER_BUDGET: dict[str, int] = {}


GROWN = (Meeting, SessionLog, Goal, Resource, CheckIn, Mentorship, Application, Edition)


def _count(client: Client, page: Page) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page.path)
    assert response.status_code == 200, (page, response.status_code)
    return len(queries)


def _copy(obj, **changes):
    """A new row with the fields of `obj` (what a busier program would hold); unique
    fields get a fresh default (tokens, uids)."""
    obj.pk = None
    obj.id = None
    obj._state.adding = True
    for field in obj._meta.concrete_fields:
        if field.unique and not field.primary_key and field.has_default():
            setattr(obj, field.attname, field.get_default())
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.save()
    return obj


def _grow() -> None:
    """Triple what the pages list: per pair, per program."""
    for pair in list(Mentorship.objects.all()):
        for meeting in list(Meeting.objects.filter(mentorship=pair))[:2]:
            log = SessionLog.objects.filter(meeting=meeting).first()
            for _ in range(2):
                copy = _copy(Meeting.objects.get(pk=meeting.pk))
                if log is not None:
                    _copy(SessionLog.objects.get(pk=log.pk), meeting=copy)
        for model in (Goal, Resource):
            for row in list(model.objects.filter(mentorship=pair))[:2]:
                _copy(row)
        for check_in in list(CheckIn.objects.filter(mentorship=pair))[:2]:
            _copy(check_in, period=check_in.period + 100)
    for mentorship in list(Mentorship.objects.filter(status="active"))[:20]:
        mentee_application = Application.objects.get(pk=mentorship.mentee_application_id)
        person = UserFactory()
        application = _copy(mentee_application, user=person)
        _copy(mentorship, mentee_application=application)
    for application in list(Application.objects.all())[:60]:
        _copy(application, user=UserFactory())
    for program in Program.objects.all():
        edition = Edition.objects.filter(program=program).order_by("pk").first()
        if edition is not None:
            _copy(edition, name=f"{edition.name} (bis)")


def _clients() -> dict[str, Client]:
    clients = {}
    for email in workload():
        client = Client(HTTP_ACCEPT_LANGUAGE="fr")
        client.force_login(User.objects.get(email=email))
        clients[email] = client
    return clients


# Loads the demo and opens ~90 pages: ~40 s on a quiet machine, more on a busy one.
@pytest.mark.timeout(900)
def test_load_benchmark_pages_read_few_queries_whatever_the_data(settings) -> None:
    # Growing the data takes over a minute on a busy machine: the sessions' renewal (a
    # write, and the coordinators' two-factor check) would then fall due between the two
    # counts. Counted here: what the pages read, not the periodic renewal.
    settings.SESSION_REFRESH_SECONDS = 24 * 3600
    load_demo()
    clients = _clients()
    pages = workload()
    assert set(OVER_BUDGET) <= {page.name for listed in pages.values() for page in listed}
    before: dict[tuple[str, str], int] = {}
    for email, client in clients.items():
        for page in pages[email]:
            if page.method == "GET":
                client.get(page.path)  # the session is stamped, caches filled
                before[(email, page.name)] = _count(client, page)

    sizes = [model._default_manager.count() for model in GROWN]
    _grow()
    assert all(
        model._default_manager.count() > size for model, size in zip(GROWN, sizes, strict=True)
    )
    failures = []
    for email, client in clients.items():
        for page in pages[email]:
            if page.method != "GET":
                continue
            count = _count(client, page)
            ceiling = OVER_BUDGET.get(page.name, BUDGET)
            if count != before[(email, page.name)]:
                failures.append(
                    f"{page.name} ({email}): {before[(email, page.name)]} → {count} queries "
                    "as the data grew"
                )
            if count > ceiling:
                failures.append(f"{page.name} ({email}): {count} queries > {ceiling}")
    assert not failures, "\n".join(failures)
