"""The report pages, exports, charts and PDF through real HTTP requests."""

import csv
import html
import io
import re
from datetime import UTC, datetime

import pypdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from mentorat.organizations.models import Role
from mentorat.reports.exports import table_csv, table_xlsx
from mentorat.reports.figures import count, share
from mentorat.reports.tables import Table
from tests.applications.factories import ApplicationFactory, ProfileFactory
from tests.factories import MembershipFactory, UserFactory
from tests.mentorships.factories import MeetingFactory, MentorshipFactory
from tests.reports.dataset import build, objectives


def url(dataset, url_name="reports:program", **kwargs):
    return reverse(url_name, kwargs={"slug": dataset.program.slug, **kwargs})


def test_dashboard_shows_objectives_and_indicators_in_french(dataset, cast, client_for):
    objectives(dataset.program)
    client = client_for(cast.coordinator_a)
    client.cookies["django_language"] = "fr"
    response = client.get(url(dataset))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Programme rapport" in page
    assert "83\u202f%" in page  # coverage, and the matched-share objective
    assert "0,9" in page  # meetings per pair per month, French decimal comma
    assert "3,6/5" in page
    assert "&lt; 5" in page  # small groups hidden
    assert (
        '<th scope="row">Part des mentoré·es accepté·es ayant un·e mentor·e</th>'
        "<td>80\u202f%</td><td>31/12/2026</td><td>83\u202f%</td><td>Atteint</td>"
    ) in page
    assert 'lang="fr"' in page


def test_dashboard_query_count_does_not_grow_with_the_program(cast, client_for, frozen):
    small = build(cast.org_a)
    objectives(small.program)
    client = client_for(cast.coordinator_a)
    client.get(url(small))  # warm the caches of the session and of the site
    with CaptureQueriesContext(connection) as before:
        assert client.get(url(small)).status_code == 200
    # Twenty more accepted mentees with pairs, in another domain.
    for _ in range(20):
        mentee = UserFactory()
        ProfileFactory(user=mentee, gender="woman", rome_domain="F")
        ApplicationFactory(
            edition=small.edition,
            user=mentee,
            status="accepted",
            accepted_at=datetime(2026, 3, 1, tzinfo=UTC),
        )
        MentorshipFactory(edition=small.edition, mentor=small.mentors[0].user, mentee=mentee)
    with CaptureQueriesContext(connection) as after:
        assert client.get(url(small)).status_code == 200
    assert len(after) == len(before), [q["sql"][:120] for q in after.captured_queries]


def test_partner_coordinator_sees_only_their_people(dataset, cast, client_for):
    dataset.program.shared_with.add(cast.org_b)
    for gender in ["woman"] * 6:
        person = UserFactory()
        ProfileFactory(user=person, gender=gender)
        MembershipFactory(user=person, organization=cast.org_b, role=Role.MENTEE)
        ApplicationFactory(
            edition=dataset.edition,
            user=person,
            organization=cast.org_b,
            status="accepted",
            accepted_at=datetime(2026, 3, 1, tzinfo=UTC),
        )
    response = client_for(cast.coordinator_b).get(
        url(dataset, "reports:export", table="indicators", fmt="csv")
    )
    # The third indicator is the number of accepted mentees.
    assert _csv_rows(response)[3][2] == "6"
    owner = client_for(cast.coordinator_a).get(
        url(dataset, "reports:export", table="indicators", fmt="csv")
    )
    assert _csv_rows(owner)[3][2] == "18"  # 12 + 6


def _csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_invalid_period_is_explained_and_ignored(dataset, cast, client_for):
    response = client_for(cast.coordinator_a).get(
        url(dataset), {"date_from": "2026-06-01", "date_to": "2026-01-01"}
    )
    assert response.status_code == 200
    assert response.context["report"].scope.filters.date_from is None
    assert response.context["form"].non_field_errors()


def test_xlsx_export_opens_with_the_expected_values(dataset, cast, client_for):
    response = client_for(cast.coordinator_a).get(
        url(dataset, "reports:export", table="indicators", fmt="xlsx")
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = {row[1]: row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert len(values) >= 20
    numbers = sorted(v for v in values.values() if isinstance(v, int | float))
    assert 12 in numbers
    assert 16 in numbers
    assert 83.3 in numbers
    assert 25 in numbers
    assert "< 5" in values.values()


def test_exports_escape_formulas_and_keep_hidden_cells_hidden():
    table = Table("t", "T", ["=Name", "Value"])
    table.rows = [
        ['=HYPERLINK("http://x")', count(3)],
        ["+33 6", share(3, 10)],
        ["-1", count(12)],
        ["@SUM(A1)", share(1, 2)],
        ["ordinary", count(0)],
    ]
    rows = list(csv.reader(io.StringIO(table_csv(table).decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["'=Name", "Value"]
    assert [r[0] for r in rows[1:]] == [
        '\'=HYPERLINK("http://x")',
        "'+33 6",
        "'-1",
        "'@SUM(A1)",
        "ordinary",
    ]
    assert [r[1] for r in rows[1:]] == ["< 5", "30", "12", "< 5", "0"]
    sheet = load_workbook(io.BytesIO(table_xlsx(table))).active
    cells = list(sheet.iter_rows(values_only=True))
    assert cells[1] == ('\'=HYPERLINK("http://x")', "< 5")
    assert cells[3] == ("'-1", 12)
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("fr", "Rapport annuel 2026"), ("en", "Annual report 2026")],
)
def test_annual_pdf_renders_in_french_and_english(dataset, cast, client_for, lang, expected):
    objectives(dataset.program)
    response = client_for(cast.coordinator_a).get(
        url(dataset, "reports:annual_pdf"), {"lang": lang}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Programme rapport" in text
    assert ("83%" if lang == "en" else "83\u202f%") in text
    assert "< 5" in text
    if lang == "en":
        assert expected in text
        assert "Coverage of the right to a mentor" in text
        assert "3.6/5" in text
    else:
        assert "3,6/5" in text


def test_chart_is_an_svg_with_its_labels(dataset, cast, client_for):
    response = client_for(cast.coordinator_a).get(
        url(dataset, "reports:chart", name="activity_by_month")
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.lstrip().startswith("<?xml")
    assert "<svg" in svg
    assert "avril 2026" in svg
    assert "'unsafe-inline'" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]


def _chart_link(page: str, name: str) -> str:
    found = re.search(rf'<img src="([^"]*/{name}\.svg[^"]*)"', page)
    assert found, name
    return html.unescape(found.group(1))


def test_chart_shows_new_data_at_once(dataset, cast, client_for):
    """The dashboard links each chart under a digest of its data, and charts are kept
    under that digest: a new meeting gives a new link, whose chart shows it."""
    client = client_for(cast.coordinator_a)
    page = client.get(url(dataset)).content.decode()
    link, satisfaction = _chart_link(page, "activity_by_month"), _chart_link(page, "satisfaction")
    first = client.get(link)
    assert first.status_code == 200
    assert client.get(link).content == first.content
    assert "février 2026" not in first.content.decode()
    MeetingFactory(mentorship=dataset.pairs[0], starts_at=datetime(2026, 2, 20, 10, tzinfo=UTC))
    # The page's link still draws the table the page showed...
    assert "février 2026" not in client.get(link).content.decode()
    # ...and the reloaded page links the new figures.
    page = client.get(url(dataset)).content.decode()
    new_link = _chart_link(page, "activity_by_month")
    assert new_link != link
    assert "février 2026" in client.get(new_link).content.decode()
    # The satisfaction chart draws the same data as before: same link.
    assert _chart_link(page, "satisfaction") == satisfaction


def test_charts_after_their_page_do_not_read_the_figures_again(dataset, cast, client_for):
    client = client_for(cast.coordinator_a)
    link = _chart_link(client.get(url(dataset)).content.decode(), "coverage_over_time")
    with CaptureQueriesContext(connection) as linked:
        assert client.get(link).status_code == 200
    with CaptureQueriesContext(connection) as unlinked:
        assert client.get(link.split("?")[0]).status_code == 200

    # Leave out the database cache's own queries (it keeps the tables and drawn charts).
    def figures(context: CaptureQueriesContext) -> list[str]:
        return [
            q["sql"]
            for q in context.captured_queries
            if "mentorat_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]
        ]

    assert len(figures(linked)) < len(figures(unlinked))
    assert not any("mentorships_mentorship" in sql for sql in figures(linked))


def test_unknown_chart_or_export_is_404(dataset, cast, client_for):
    client = client_for(cast.coordinator_a)
    assert client.get(url(dataset, "reports:chart", name="nope")).status_code == 404
    assert (
        client.get(url(dataset, "reports:export", table="indicators", fmt="pdf")).status_code == 404
    )
