"""The processing register (GDPR Art. 30) of an organisation, generated from the data
map: on the page for its admins, printable, and as CSV."""

import csv
import io

import pytest
from django.apps import apps
from django.urls import reverse

from mentorat.lib.personal_data import Purpose
from mentorat.privacy.datamap import declarations
from mentorat.privacy.retention.models import RetentionPolicy
from mentorat.privacy.selectors import processing_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client_for, cast):
    cast.admin_a.language = "en"
    cast.admin_a.save()
    client = client_for(cast.admin_a)
    client.cookies["django_language"] = "en"
    return client


def _register_page(client, cast) -> str:
    response = client.get(reverse("privacy:register", kwargs={"slug": cast.org_a.slug}))
    assert response.status_code == 200
    return response.content.decode()


def test_the_register_lists_each_purpose_with_its_people_data_basis_and_recipients(
    admin_client, cast
):
    page = _register_page(admin_client, cast)
    assert "Processing register" in page
    assert "Record of the processing activities of Université A as controller" in page
    for purpose in (Purpose.ACCOUNT, Purpose.ENROLLMENT, Purpose.MATCHING, Purpose.SECURITY):
        assert f">{purpose.label}</h2>" in page
    # Categories of people, data in words, legal bases, recipients.
    assert "Minors and their legal guardians" in page
    assert "Admins and coordinators of the organisations" in page
    assert "Profile: field of study or sector" in page
    assert "date of birth" in page
    assert "guardian&#x27;s email address" in page
    assert "Private note: private note" in page
    assert "Explicit consent (Art. 9.2.a)" in page
    assert "Legitimate interest (Art. 6.1.f)" in page
    assert "The other side of the pair" in page
    assert "The host of the platform, as processor" in page


def test_the_register_says_what_erasure_does_transfers_and_security(admin_client, cast):
    page = _register_page(admin_client, cast)
    assert "replaced by a pseudonym" in page
    assert "kept without the person&#x27;s identity, for statistics" in page
    assert "deleted" in page
    assert "None: no data are transferred outside the European Union." in page
    assert "Two-factor authentication required" in page
    # Printable: a print stylesheet leaves the menus out.
    assert 'media="print"' in page


def test_the_register_shows_the_default_retention_periods(admin_client, cast):
    page = _register_page(admin_client, cast)
    assert "keeps the defaults of the privacy notice" in page
    assert "Participants&#x27; data: 3 years after the end of their last program" in page
    assert "Declined or withdrawn applications: 1 year" in page
    assert "Accounts never confirmed: 30 days" in page
    assert "Audit log entries: 1 year" in page


def test_the_register_shows_the_organisations_own_retention_periods(admin_client, cast):
    RetentionPolicy.objects.create(
        organization=cast.org_a, participants_years=5, applications_months=6, audit_months=24
    )
    page = _register_page(admin_client, cast)
    assert "keeps the defaults" not in page
    assert "Participants&#x27; data: 5 years after the end of their last program" in page
    assert "Declined or withdrawn applications: 6 months" in page
    assert "Audit log entries: 2 years" in page


def test_every_declared_field_is_in_the_register(admin_client, cast):
    register = processing_register(organization=cast.org_a)
    listed = " ".join(line for p in register.processings for g in p.groups for line in g.data)
    for declaration in declarations():
        model = apps.get_model(declaration.model)
        for name in declaration.fields:
            assert str(model._meta.get_field(name).verbose_name) in listed, (
                declaration.model,
                name,
            )


def test_the_register_downloads_as_csv(admin_client, cast):
    response = admin_client.get(reverse("privacy:register_csv", kwargs={"slug": cast.org_a.slug}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=","))
    header, body = rows[0], rows[1:]
    assert header[:7] == [
        "Purpose",
        "Controller",
        "Categories of people",
        "Category of data",
        "Data",
        "Legal basis",
        "On erasure",
    ]
    register = processing_register(organization=cast.org_a)
    assert len(body) == sum(len(p.groups) for p in register.processings)
    assert {row[1] for row in body} == {"Université A"}
    birth = next(row for row in body if "date of birth" in row[4])
    assert birth[0] == "Enrolling and selecting participants"
    assert birth[6] == "removed"
    assert "3 years after the end of their last program" in birth[8]
    assert birth[9] == "None: no data are transferred outside the European Union."


def test_a_formula_in_the_organisation_name_is_not_run_by_spreadsheets(admin_client, cast):
    cast.org_a.name = "=HYPERLINK(1)"
    cast.org_a.save()
    response = admin_client.get(reverse("privacy:register_csv", kwargs={"slug": cast.org_a.slug}))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {row[1] for row in rows[1:]} == {"'=HYPERLINK(1)"}


def test_the_organisation_page_links_to_the_register_for_its_admins_only(client_for, cast):
    url = reverse("organizations:detail", kwargs={"slug": cast.org_a.slug})
    register_url = reverse("privacy:register", kwargs={"slug": cast.org_a.slug})
    assert register_url in client_for(cast.admin_a).get(url).content.decode()
    assert register_url not in client_for(cast.coordinator_a).get(url).content.decode()


def test_coordinators_and_other_organisations_are_refused(client_for, cast):
    url = reverse("privacy:register", kwargs={"slug": cast.org_a.slug})
    assert client_for(cast.coordinator_a).get(url).status_code == 403
    assert client_for(cast.coordinator_b).get(url).status_code == 404
    assert client_for(cast.platform_admin).get(url).status_code == 200


def test_the_register_is_in_the_readers_language(client_for, cast):
    cast.admin_a.language = "fr"
    cast.admin_a.save()
    client = client_for(cast.admin_a)
    client.cookies["django_language"] = "fr"
    page = client.get(reverse("privacy:register", kwargs={"slug": cast.org_a.slug}))
    # The French strings come with the translation files; the page follows the reader.
    assert '<html lang="fr">' in page.content.decode()


def test_the_register_is_read_in_few_queries(admin_client, cast, django_assert_max_num_queries):
    url = reverse("privacy:register", kwargs={"slug": cast.org_a.slug})
    admin_client.get(url)  # the session and the roles, once
    # Session, user, roles, two-factor check, organisation, retention policy, and the
    # session saved again (savepoint, update, release): nothing per purpose or per field.
    with django_assert_max_num_queries(9):
        assert admin_client.get(url).status_code == 200
