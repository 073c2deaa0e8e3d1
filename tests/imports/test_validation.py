"""Row-level checks: each problem of each row, named by line and column, and what the
import would do with the rows that are fine."""

import pytest
from django.utils import timezone, translation

from mentorat.applications.imports.services import preview_import
from mentorat.applications.imports.validation import Action
from mentorat.applications.models import ApplicationStatus
from mentorat.participants.services import upsert_person
from tests.applications.factories import ApplicationFactory
from tests.factories import MembershipFactory
from tests.imports.files import HEADER, csv_bytes, xlsx_bytes


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def check(cast, program, edition):
    def _check(rows, header=HEADER, *, actor=None, organization=None, default_role="", xlsx=False):
        content = xlsx_bytes(rows, header=header) if xlsx else csv_bytes(rows, header=header)
        _batch, report = preview_import(
            program=program,
            edition=edition,
            organization=organization or cast.org_a,
            default_role=default_role,
            filename="liste.csv",
            content=content,
            actor=actor or cast.coordinator_a,
        )
        return report

    return _check


def errors_of(report):
    return [e for row in report.rows for e in row.errors]


def test_a_bad_email_is_named_by_line_and_column(check):
    report = check([["jean.dupont@", "Jean", "Dupont", "mentee", ""]])
    assert errors_of(report) == [
        "Line 2, column email: “jean.dupont@” is not a valid email address."
    ]


def test_the_column_is_named_as_in_the_file(check):
    report = check([["jean.dupont@", "Jean", "Dupont"]], header=["Courriel", "Prénom", "Nom"])
    assert errors_of(report)[0] == (
        "Line 2, column Courriel: “jean.dupont@” is not a valid email address."
    )


def test_a_duplicate_email_points_to_its_first_line(check):
    report = check(
        [
            ["lea@example.org", "Léa", "Martin", "mentee", ""],
            ["paul@example.org", "Paul", "Roux", "mentor", ""],
            ["LEA@example.org ", "Léa", "Martin", "mentee", ""],
        ]
    )
    assert errors_of(report) == [
        "Line 4, column email: “lea@example.org” already appears on line 2."
    ]


@pytest.mark.parametrize("value", ["14/03/2004", "4/3/2004", "2004-03-14", "14.03.2004"])
def test_usual_date_formats_are_read(check, value):
    report = check([["lea@example.org", "Léa", "Martin", "mentee", value]])
    assert report.rows[0].ok
    assert report.rows[0].profile.birth_date.year == 2004


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31/02/2004", "“31/02/2004” is not a valid date; write it as 14/03/2006 or 2006-03-14."),
        ("03/14/2004", "“03/14/2004” is not a valid date; write it as 14/03/2006 or 2006-03-14."),
        (
            "14 mars 2004",
            "“14 mars 2004” is not a valid date; write it as 14/03/2006 or 2006-03-14.",
        ),
        ("14/03/04", "“14/03/04” is not a valid date; write it as 14/03/2006 or 2006-03-14."),
        ("01/01/1850", "“01/01/1850”: this date is not possible."),
        (f"01/01/{timezone.localdate().year + 1}", "this date is not possible."),
    ],
)
def test_bad_dates_are_explained(check, value, message):
    report = check([["lea@example.org", "Léa", "Martin", "mentee", value]])
    assert errors_of(report)[0].startswith("Line 2, column birth_date: ")
    assert errors_of(report)[0].endswith(message)


@pytest.mark.parametrize(
    ("value", "role"),
    [
        ("mentee", "mentee"),
        ("MENTOR", "mentor"),
        ("Mentoré·e", "mentee"),
        ("mentorée", "mentee"),
        ("mentoree", "mentee"),
        ("Mentor·e", "mentor"),
        ("mentore", "mentor"),  # a woman mentor, not a mentee without its accent
        ("Marraine", "mentor"),
        ("filleul", "mentee"),
    ],
)
def test_roles_in_french_or_english_whatever_the_case_and_accents(check, value, role):
    report = check([["lea@example.org", "Léa", "Martin", value, ""]])
    assert report.rows[0].ok, report.rows[0].errors
    assert report.rows[0].role == role


def test_coded_columns_take_codes_or_labels_in_french_or_english(check):
    header = [
        "email",
        "first_name",
        "last_name",
        "role",
        "gender",
        "region",
        "rome_domain",
        "goals",
        "languages",
        "priority_groups",
        "remote_ok",
        "status",
        "language",
    ]
    row = [
        "lea@example.org",
        "Léa",
        "Martin",
        "mentee",
        "F",
        "ile-de-france",
        "Support à l'entreprise",
        "Premier emploi; network",
        "Français, anglais",
        "Boursière",
        "oui",
        "Liste d'attente",
        "English",
    ]
    report = check([row], header=header)
    result = report.rows[0]
    assert result.ok, result.errors
    assert result.profile.gender == "woman"
    assert result.profile.region == "IDF"
    assert result.profile.rome_domain == "M"
    assert result.profile.goals == ["first_job", "network"]
    assert result.profile.languages == ["fr", "en"]
    assert result.profile.priority_groups == ["scholarship_holder"]
    assert result.profile.remote_ok is True
    assert result.status == ApplicationStatus.WAITLISTED
    assert result.language == "en"


def test_unknown_values_list_the_accepted_ones(check):
    header = [*HEADER, "goals", "remote_ok", "years_of_experience"]
    report = check(
        [["lea@example.org", "Léa", "Martin", "cheffe", "", "first_job; fame", "peut-être", "-2"]],
        header=header,
    )
    assert errors_of(report) == [
        "Line 2, column role: “cheffe” is not an accepted value (for example: Mentee, Mentor).",
        "Line 2, column goals: “fame” is not an accepted value (for example: First job, "
        "Internship or apprenticeship, Career change, Starting a business, Further studies, "
        "Building a professional network, Settling into a new job).",
        "Line 2, column remote_ok: “peut-être”: answer yes or no.",
        "Line 2, column years_of_experience: enter a number from 0 to 70.",
    ]


def test_people_new_to_the_importer_need_a_name(check, cast):
    known, _created = upsert_person(email="known@example.org", first_name="Known")
    MembershipFactory(user=known, organization=cast.org_a, role="mentor")
    # Another organisation's record is new to A's coordinator, as an unknown address is.
    elsewhere, _created = upsert_person(email="elsewhere@example.org", first_name="Else")
    MembershipFactory(user=elsewhere, organization=cast.org_b, role="mentor")
    report = check(
        [
            ["new@example.org", "", "Martin", "mentee", ""],
            ["known@example.org", "", "", "mentor", ""],
            ["elsewhere@example.org", "", "Where", "mentee", ""],
        ]
    )
    assert errors_of(report) == [
        "Line 2, column first_name: this value is required for people new to your organisation.",
        "Line 4, column first_name: this value is required for people new to your organisation.",
    ]
    assert report.rows[1].action == Action.UPDATE


def test_a_role_is_needed_from_the_file_or_the_form(check):
    header = ["email", "first_name", "last_name"]
    report = check([["lea@example.org", "Léa", "Martin"]], header=header)
    assert errors_of(report) == [
        "Line 2: the role is missing: add a “role” column or choose a role for the file."
    ]
    report = check([["lea@example.org", "Léa", "Martin"]], header=header, default_role="mentor")
    assert report.rows[0].ok
    assert report.rows[0].role == "mentor"


def test_text_read_with_the_wrong_encoding_is_caught(check):
    # A UTF-8 file opened as Windows-1252 by Excel, then saved again.
    report = check([["lea@example.org", "LÃ©a", "Martin", "mentee", ""]])
    assert errors_of(report) == [
        "Line 2, column first_name: “LÃ©a” looks garbled (é shown as Ã©): save the file "
        "again as “CSV UTF-8”."
    ]


def test_rows_split_with_another_separator_are_caught(check):
    content = "email;first_name;last_name;role\r\nlea@example.org,Léa,Martin,mentee\r\n"
    from mentorat.applications.imports.parsing import read_table
    from mentorat.applications.imports.validation import Rules, Snapshot, check_table

    report = check_table(
        table=read_table(content.encode()),
        rules=Rules(organizations={1: "A"}, organization_slugs={}, default_organization_id=1),
        snapshot=Snapshot(),
    )
    assert errors_of(report) == [
        "Line 2: the values are not separated like the column names (“;”)."
    ]


def test_extra_values_beyond_the_columns_are_caught(check):
    report = check([["lea@example.org", "Léa", "Martin", "mentee", "", "en trop"]])
    assert errors_of(report) == [
        "Line 2: this line has more values than there are column names; check the separator "
        "and the quotation marks."
    ]


def test_unknown_organisation(check, cast):
    header = [*HEADER, "organisation"]
    report = check([["lea@example.org", "Léa", "Martin", "mentee", "", "Lycée B"]], header=header)
    assert errors_of(report) == [
        "Line 2, column organisation: “Lycée B” is not an organisation you can import people "
        "for (Université A)."
    ]
    report = check(
        [["lea@example.org", "Léa", "Martin", "mentee", "", "universite a"]], header=header
    )
    assert report.rows[0].organization_id == cast.org_a.pk


def test_xlsx_rows_are_checked_the_same_way(check):
    report = check([["jean.dupont@", "Jean", "Dupont", "mentee", "31/02/2004"]], xlsx=True)
    assert errors_of(report) == [
        "Line 2, column email: “jean.dupont@” is not a valid email address.",
        "Line 2, column birth_date: “31/02/2004” is not a valid date; write it as 14/03/2006 "
        "or 2006-03-14.",
    ]


def test_what_happens_to_known_people(check, cast, edition):
    unclaimed, _created = upsert_person(email="unclaimed@example.org", first_name="Jo")
    MembershipFactory(user=unclaimed, organization=cast.org_a, role="mentee")
    withdrawn = ApplicationFactory(edition=edition, status=ApplicationStatus.WITHDRAWN)
    accepted = ApplicationFactory(edition=edition, status=ApplicationStatus.ACCEPTED)
    report = check(
        [
            ["unclaimed@example.org", "Jo", "Durand", "mentee", ""],
            [cast.mentor.email, "", "", "mentor", ""],
            [withdrawn.user.email, "", "", "mentee", ""],
            [accepted.user.email + "", "", "", "mentee", ""],
        ]
    )
    assert not errors_of(report)
    unclaimed, account_holder, closed, decided = report.rows
    assert unclaimed.action == Action.UPDATE
    assert unclaimed.invite
    assert account_holder.action == Action.APPLICATION_ONLY
    assert not account_holder.invite
    assert closed.action == Action.SKIP
    assert closed.notes == ["Left as it is: the application is withdrawn."]
    assert decided.action == Action.APPLICATION_ONLY


def test_a_decision_is_not_undone_by_importing_the_first_list_again(check, edition):
    accepted = ApplicationFactory(edition=edition, status=ApplicationStatus.ACCEPTED)
    header = ["email", "role", "status"]
    report = check([[accepted.user.email, "mentee", "submitted"]], header=header)
    assert report.rows[0].ok
    assert report.rows[0].status == ""
    assert "Status kept: the application is already accepted." in report.rows[0].notes


def test_header_spellings_never_point_to_two_columns():
    from django.conf import settings

    from mentorat.applications.imports.columns import COLUMNS, header_keys

    owners = {}
    for column in COLUMNS:
        for key in header_keys(column):
            assert owners.setdefault(key, column.code) == column.code, key
    assert len(settings.LANGUAGES) == 2
