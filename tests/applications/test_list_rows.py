"""The applications list's rows, written in Python, are the HTML its template wrote.

mentorat.applications.list_rows replaced a template loop for speed (issue 23); what a
coordinator receives must not change. The loop it replaced is kept below and rendered by
Django's template engine on model instances, with the labels of the models' own
`get_…_display()` and the warnings of the ORM's `with_guardian_warning`: every kind of row
(minors, guardians' addresses and each warning, a hidden contact, no name, no profile, no
organisation, HTML in names) in both languages, for an owner and for a partner.
"""

from datetime import UTC, datetime, timedelta

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from mentorat.applications import list_rows
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.applications.selectors import (
    _PAGE_WARNINGS,
    LIST_PAGE_SIZE,
    ApplicationFilters,
    applications_of,
    guardian_warnings,
    with_guardian_warning,
)
from tests.applications.factories import ApplicationFactory, ProfileFactory
from tests.applications.test_apply import years_ago
from tests.factories import OrganizationFactory, UserFactory
from tests.programs.factories import EditionFactory
from tests.web.test_home_compiled import _compiled_at

# The loop of applications/application_list.html before list_rows, as it was.
TEMPLATE_ROWS = """{% load i18n %}{% for a, role, domain, status, warning in rows %}
    <tr>{% if can_decide %}<td><input type="checkbox" name="applications" value="{{ a.pk }}" id="select-{{ a.pk }}" aria-label="{% blocktranslate with name=a.user.display_name %}Select {{ name }}{% endblocktranslate %}"></td>{% endif %}
      <td><a href="{{ review_url }}{{ a.pk }}/">{{ a.user.get_full_name|default:_("(no name)") }}</a>{% if full_access or not a.contact_through_platform_only %}<br><span class="muted">{{ a.user.email }}</span>{% endif %}{% if a.is_minor %} <span class="badge">{% translate "minor" %}</span>{% endif %}{% if full_access and a.status == "awaiting_guardian_consent" and a.guardian_email %}<br><span class="muted">{% translate "Guardian:" %} {{ a.guardian_email }}</span>{% endif %}{% if warning %} <span class="badge{% if warning != "other_account" %} status-declined{% endif %}">{% translate "guardian's address to check" %}<span class="visually-hidden">: {% include "applications/_guardian_warning.html" %}</span></span>{% endif %}</td>
      <td>{{ role }}</td><td>{{ a.organization.name|default:"—" }}</td>
      <td>{{ domain|default:"—" }}</td><td>{{ a.edition.name }}</td>
      <td>{{ a.submitted_at|date:"SHORT_DATE_FORMAT" }}</td><td><span class="badge status-{{ a.status }}">{{ status }}</span></td></tr>
  {% empty %}<tr><td colspan="8">{% translate "No application matches." %}</td></tr>{% endfor %}"""  # noqa: E501


def _template_rows(program, **flags) -> str:
    applications = with_guardian_warning(
        Application.objects.filter(edition__program=program)
        .select_related("user", "user__profile", "edition", "organization")
        .order_by("-submitted_at", "-pk")
    )
    rows = [
        (
            a,
            a.get_role_display(),
            profile.get_rome_domain_display() if profile else "",
            a.get_status_display(),
            a.guardian_warning,
        )
        for a in applications
        for profile in [getattr(a.user, "profile", None)]
    ]
    template = engines["django"].from_string(TEMPLATE_ROWS)
    return template.render({"rows": rows, "review_url": "/review/", **flags})


def _python_rows(program, **flags) -> str:
    rows = list(applications_of(program=program, scope=None, filters=ApplicationFilters()))
    return list_rows.table_rows(
        rows, warnings=guardian_warnings(applications=rows), review_url="/review/", **flags
    )


def _minor(email: str, **names: str):
    user = UserFactory(email=email, **names)
    ProfileFactory(user=user, birth_date=years_ago(14), rome_domain="")
    return user


@pytest.fixture
def program(db):
    edition = EditionFactory(program__name='Collège <Jules> & "Ferry"', name="2026 'A'")
    owner = edition.program.organization
    partner = OrganizationFactory(name="L'Atelier & <Co>", slug="atelier")

    def apply(user, **fields):
        values = {"edition": edition, "user": user, "organization": owner} | fields
        return ApplicationFactory(**values)

    # A minor whose guardian's address is one of their own: awaiting the consent.
    pupil = _minor("eleve@example.org", first_name="Léa", last_name="O'Hara")
    EmailAddress.objects.create(user=pupil, email="moi.aussi@example.org")
    apply(
        pupil,
        status=ApplicationStatus.AWAITING_GUARDIAN_CONSENT,
        is_minor=True,
        contact_through_platform_only=True,
        guardian_email="moi.aussi@example.org",
    )
    # A minor whose guardian's address is another minor's account.
    _minor("autre.eleve@example.org")
    apply(
        _minor("eleve2@example.org", first_name="<b>Bold</b>"),
        is_minor=True,
        contact_through_platform_only=True,
        guardian_email="autre.eleve@example.org",
        organization=partner,
    )
    # A minor whose guardian's address is an adult's account (the mildest warning).
    UserFactory(email="parent@example.org")
    apply(
        _minor("eleve3@example.org", last_name="Seul"),
        status=ApplicationStatus.AWAITING_GUARDIAN_CONSENT,
        is_minor=True,
        guardian_email="parent@example.org",
    )
    # A minor with an unknown guardian's address: no warning.
    apply(_minor("eleve4@example.org"), is_minor=True, guardian_email="inconnu@example.org")
    # Adults: no name, no profile, no organisation, a hidden contact, every status.
    nameless = UserFactory(email="sans.nom+<x>@example.org", first_name="", last_name="")
    apply(nameless, role="mentor", organization=None, status=ApplicationStatus.ACCEPTED)
    with_profile = UserFactory(first_name="Zoé", last_name="Amour & Cie")
    ProfileFactory(user=with_profile, rome_domain="M")
    apply(with_profile, contact_through_platform_only=True, status=ApplicationStatus.DECLINED)
    for status, days in zip(ApplicationStatus.values, range(1, 40), strict=False):
        apply(UserFactory(), status=status, submitted_at=timezone.now() - timedelta(days=days))
    return edition.program


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(
    ("can_decide", "full_access"), [(True, True), (False, True), (False, False), (True, False)]
)
def test_the_rows_are_those_the_template_wrote(program, language, can_decide, full_access):
    flags = {"can_decide": can_decide, "full_access": full_access}
    with override(language):
        mine = _python_rows(program, **flags)
        assert mine == _template_rows(program, **flags)
    # Every case above is on the page, escaped.
    assert mine.count("<tr>") == Application.objects.filter(edition__program=program).count()
    assert "status-declined" in mine
    assert "&lt;b&gt;Bold&lt;/b&gt;" in mine
    assert "<b>" not in mine


def test_no_row_says_that_nothing_matches(program):
    empty = EditionFactory().program
    with override("fr"):
        flags = {"can_decide": True, "full_access": True}
        assert _python_rows(empty, **flags) == _template_rows(empty, **flags)
        assert "Aucune candidature" in _python_rows(empty, **flags)


def test_the_warnings_of_more_than_a_page_are_those_of_the_orm(program):
    """The warnings are read by a statement compiled once for a page of ids (the last
    one repeated when the page is shorter); more ids than a page take several."""
    edition = program.editions.get()
    for n in range(LIST_PAGE_SIZE + 3):
        guardian = "autre.eleve@example.org" if n % 2 else "parent@example.org"
        ApplicationFactory(edition=edition, user=UserFactory(), guardian_email=guardian)
    rows = list(applications_of(program=program, scope=None, filters=ApplicationFilters()))
    expected = {
        pk: warning
        for pk, warning in with_guardian_warning(
            Application.objects.filter(edition=edition)
        ).values_list("pk", "guardian_warning")
        if warning
    }
    assert len(expected) > LIST_PAGE_SIZE
    assert guardian_warnings(applications=rows) == expected
    assert guardian_warnings(applications=rows[:1]) == {
        pk: w for pk, w in expected.items() if pk == rows[0]["pk"]
    }
    assert guardian_warnings(applications=[]) == {}


def test_the_list_counts_its_applications_filtered_or_not(cast, client_for):
    """Unfiltered, the total is the sum of the status counts (one statement less)."""
    edition = EditionFactory(program__organization=cast.org_a)
    ApplicationFactory.create_batch(LIST_PAGE_SIZE + 2, edition=edition)
    ApplicationFactory.create_batch(3, edition=edition, status=ApplicationStatus.WAITLISTED)
    client = client_for(cast.coordinator_a)
    url = reverse("applications:list", kwargs={"slug": edition.program.slug})
    with CaptureQueriesContext(connection) as unfiltered:
        page = client.get(url).context["page"]
    assert page.paginator.count == LIST_PAGE_SIZE + 5
    assert page.paginator.num_pages == 2
    with CaptureQueriesContext(connection) as filtered:
        page = client.get(url, {"status": ApplicationStatus.WAITLISTED}).context["page"]
    assert page.paginator.count == 3
    assert len(filtered) == len(unfiltered) + 1


def test_the_warnings_statement_does_not_freeze_the_date():
    """Compiled once per process: the day that makes a person a minor is an argument,
    never read while building."""
    compiled = [
        _compiled_at(_PAGE_WARNINGS, when)
        for when in (datetime(2026, 1, 5, 9, tzinfo=UTC), datetime(2027, 6, 20, 23, tzinfo=UTC))
    ]
    assert compiled[0] == compiled[1]
