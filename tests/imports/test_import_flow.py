"""A coordinator imports a list through the pages: template, upload, preview, confirm.
Broken files are explained and leave the database untouched; valid ones are imported in
one go, and importing again updates people instead of adding them twice."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse
from openpyxl import load_workbook

from mentorat.accounts.models import User
from mentorat.applications.imports.models import ImportBatch, ImportStatus
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.audit.models import AuditEntry
from mentorat.organizations.models import Invitation, Membership, Role
from mentorat.participants.models import Profile, Skill
from tests.imports.files import HEADER, csv_bytes, people, person, xlsx_bytes


def upload_url(program):
    return reverse("imports:upload", kwargs={"slug": program.slug})


def preview_url(batch):
    return reverse("imports:preview", kwargs={"slug": batch.program.slug, "pk": batch.pk})


def confirm_url(batch):
    return reverse("imports:confirm", kwargs={"slug": batch.program.slug, "pk": batch.pk})


def state():
    """What an import may change, to check that a refused one changed nothing."""
    return {
        model.__name__: model.objects.count()
        for model in (User, Profile, Application, Invitation, Membership, Skill)
    }


def upload(client, program, content, *, name="liste.csv", organization=None, **fields):
    edition = program.editions.get()
    data = {
        "edition": edition.pk,
        "organization": (organization or program.organization).pk,
        "default_role": "",
        "file": SimpleUploadedFile(name, content),
    } | fields
    return client.post(upload_url(program), data)


@pytest.fixture
def coordinator(cast, english):
    return english(cast.coordinator_a)


def test_the_downloaded_templates_can_be_filled_in_and_imported_back(cast, program, coordinator):
    csv_response = coordinator.get(
        reverse("imports:template", kwargs={"slug": program.slug, "fmt": "csv"})
    )
    assert csv_response["Content-Type"] == "text/csv"
    assert 'filename="participants-programme-a.csv"' in csv_response["Content-Disposition"]
    text = csv_response.content.decode("utf-8-sig")
    header, example = text.splitlines()
    # English: commas (French files use semicolons, see tests/test_csv_exports.py).
    assert header.startswith("Email address,First name,Last name,Role,Application status")
    assert "jeanne.martin@example.org,Jeanne,Martin,Mentee,Accepted,Université A" in example

    xlsx_response = coordinator.get(
        reverse("imports:template", kwargs={"slug": program.slug, "fmt": "xlsx"})
    )
    workbook = load_workbook(io.BytesIO(xlsx_response.content))
    assert workbook.sheetnames == ["Participants", "Help"]
    help_rows = list(workbook["Help"].iter_rows(values_only=True))
    assert help_rows[1][:2] == ("Email address", "yes")

    for content, name in (
        (csv_response.content, "template.csv"),
        (xlsx_response.content, "t.xlsx"),
    ):
        response = upload(coordinator, program, content, name=name)
        batch = ImportBatch.objects.latest("pk")
        assert response["Location"] == preview_url(batch)
        assert (batch.row_count, batch.error_count) == (1, 0)


def test_the_columns_are_documented_on_the_upload_page(program, coordinator):
    page = coordinator.get(upload_url(program)).content.decode()
    assert "<caption>Columns of the import file." in page
    assert '<th scope="row">Date of birth</th>' in page
    assert "Day/month/year (14/03/2006) or year-month-day (2006-03-14)." in page
    assert "Île-de-France" in page  # accepted values of the region column


def test_a_valid_file_is_previewed_then_imported_with_invitations(
    cast, program, edition, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    header = [*HEADER, "language", "goals", "skills_wanted"]
    rows = [
        [*person(1), "fr", "Premier emploi", "Gestion de projet; Anglais"],
        [*person(2, "mentor"), "en", "", "gestion de projet"],
    ]
    response = upload(coordinator, program, csv_bytes(rows, header=header))
    batch = ImportBatch.objects.get()
    assert response["Location"] == preview_url(batch)

    page = coordinator.get(preview_url(batch)).content.decode()
    assert "<strong>2</strong> rows ready" in page
    assert "<strong>0</strong> rows with errors" in page
    assert "Invitations to send: <strong>2</strong>" in page
    assert "Import 2 rows" in page
    assert not mailoutbox
    assert not Application.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(confirm_url(batch), {"sha256": batch.sha256})
    assert response["Location"] == preview_url(batch)
    done = coordinator.get(preview_url(batch)).content.decode()
    assert "2 new applications, 0 updated, 0 left as they were, 2 invitations sent" in done

    mentee = User.objects.get(email="personne1@ecole.example.org")
    assert (mentee.first_name, mentee.last_name, mentee.language) == ("Prénom1", "Nom1", "fr")
    assert not mentee.has_usable_password()
    assert mentee.profile.goals == ["first_job"]
    assert sorted(s.name for s in mentee.profile.skills_wanted.all()) == [
        "Anglais",
        "Gestion de projet",
    ]
    application = Application.objects.get(user=mentee)
    assert (application.edition, application.role, application.status, application.source) == (
        edition,
        "mentee",
        ApplicationStatus.SUBMITTED,
        "import",
    )
    assert application.organization == cast.org_a
    assert application.is_minor is False

    assert {m.to[0] for m in mailoutbox} == {
        "personne1@ecole.example.org",
        "personne2@ecole.example.org",
    }
    english = next(m for m in mailoutbox if m.to == ["personne2@ecole.example.org"])
    assert english.subject == "You are registered for the mentoring program Programme A"
    assert (
        "You have been registered as Mentor for the mentoring program Programme A "
        "(Rentrée 2026) run by Université A. Accepting the invitation makes you a member "
        "of Université A on Mentorat." in " ".join(english.body.split())
    )
    link = re.search(r"http://\S+/invitations/\S+/", english.body)
    assert link, english.body
    batch.refresh_from_db()
    assert batch.status == ImportStatus.IMPORTED
    assert bytes(batch.content) == b""  # the personal data left the stored file
    assert AuditEntry.objects.filter(action="applications.import.completed").count() == 1
    assert (
        AuditEntry.objects.filter(
            action="organizations.invitation.sent", organization=cast.org_a
        ).count()
        == 2
    )
    imported = AuditEntry.objects.filter(action="applications.application.imported")
    assert sorted(e.data["invited"] for e in imported) == [True, True]
    assert imported.filter(actor=cast.coordinator_a).count() == 2


def test_an_imported_person_accepts_the_invitation_after_choosing_a_password(
    cast, program, coordinator, client, mailoutbox, django_capture_on_commit_callbacks
):
    upload(coordinator, program, csv_bytes([person(1)]))
    batch = ImportBatch.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(confirm_url(batch), {"sha256": batch.sha256})
    (mail,) = mailoutbox
    accept_path = re.search(r"http://[^/]+(/invitations/\S+/)", mail.body).group(1)
    assert re.search(r"http://[^/]+/accounts/password/reset/", mail.body)

    # The password reset sends its own email; then the person signs in and accepts.
    client.logout()
    reset = client.post(reverse("account_reset_password"), {"email": "personne1@ecole.example.org"})
    assert reset.status_code == 302
    assert len(mailoutbox) == 2
    imported = User.objects.get(email="personne1@ecole.example.org")
    client.force_login(imported, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(accept_path).status_code == 200
    assert client.post(accept_path).status_code == 302
    assert Membership.objects.filter(
        user=imported, organization=cast.org_a, role=Role.MENTEE
    ).exists()


def test_importing_again_updates_people_by_email(
    cast, program, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    first = csv_bytes(people(3))
    upload(coordinator, program, first)
    batch = ImportBatch.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(confirm_url(batch), {"sha256": batch.sha256})
    assert len(mailoutbox) == 3
    before = state()

    corrected = [
        [
            "PERSONNE1@ecole.example.org",
            "Prénom1",
            "Nom-Corrigé",
            "mentee",
            "14/03/2004",
            "accepted",
        ],
        [*person(2), ""],
        [*person(3, "mentor"), "waitlisted"],
    ]
    upload(coordinator, program, csv_bytes(corrected, header=[*HEADER, "status"]))
    second = ImportBatch.objects.latest("pk")
    page = coordinator.get(preview_url(second)).content.decode()
    assert "New to your organisation: <strong>0</strong>" in page
    assert "Already known, updated: <strong>3</strong>" in page
    assert "Invitations to send: <strong>0</strong>" in page  # theirs are still pending
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(confirm_url(second), {"sha256": second.sha256})

    assert state() == before | {"Membership": before["Membership"] + 1}
    assert len(mailoutbox) == 3
    lea = User.objects.get(email="personne1@ecole.example.org")
    assert lea.last_name == "Nom-Corrigé"
    application = Application.objects.get(user=lea)
    assert application.status == ApplicationStatus.ACCEPTED
    assert application.decided_by == cast.coordinator_a
    assert Membership.objects.filter(user=lea, organization=cast.org_a, role=Role.MENTEE).exists()
    assert Application.objects.get(user__email="personne3@ecole.example.org").status == (
        ApplicationStatus.WAITLISTED
    )


def test_an_account_holder_keeps_their_own_details(cast, program, coordinator):
    cast.mentor.last_name = "Choisi"
    cast.mentor.save()
    rows = [[cast.mentor.email, "Autre", "Nom", "mentor", "01/01/1980"]]
    upload(coordinator, program, csv_bytes(rows))
    batch = ImportBatch.objects.get()
    coordinator.post(confirm_url(batch), {"sha256": batch.sha256})
    cast.mentor.refresh_from_db()
    assert cast.mentor.last_name == "Choisi"
    assert not Profile.objects.filter(user=cast.mentor, birth_date__isnull=False).exists()
    assert Application.objects.get(user=cast.mentor).role == "mentor"
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The submitted file is empty."),
        (b"\x00\x01\x02\xff\xfe\x00garbage" * 200, "neither a CSV text file nor an Excel"),
        (
            "email|prénom\r\na@example.org|Léa\r\n".encode(),
            "Separate the columns with semicolons, commas or tabs.",
        ),
        (csv_bytes([["Léa"]], header=["first_name"]), "the column “email” is missing"),
        (b"email\r\n" + b"a" * (5 * 1024 * 1024), "The file is larger than 5 MB"),
    ],
)
def test_unreadable_files_are_explained_and_nothing_is_kept(program, coordinator, content, message):
    before = state()
    response = upload(coordinator, program, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    assert not ImportBatch.objects.exists()
    assert state() == before


def test_rows_with_errors_are_listed_and_block_the_import(
    cast, program, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    rows = [
        person(1),
        ["jean.dupont@", "Jean", "Dupont", "mentee", "14/03/2004"],
        [*person(3)[:4], "31/02/2004"],
        person(1),
    ]
    upload(coordinator, program, csv_bytes(rows))
    batch = ImportBatch.objects.get()
    page = coordinator.get(preview_url(batch)).content.decode()
    assert "<strong>1</strong> row ready" in page
    assert "<strong>3</strong> rows with errors" in page
    assert "<caption>Rows with errors</caption>" in page
    assert "Line 3, column email: “jean.dupont@” is not a valid email address." in page
    assert "Line 4, column birth_date: “31/02/2004” is not a valid date" in page
    assert "Line 5, column email: “personne1@ecole.example.org” already appears on line 2." in page
    assert confirm_url(batch) not in page

    before = state()
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(confirm_url(batch), {"sha256": batch.sha256}, follow=True)
    assert "3 rows have errors: nothing was imported." in response.content.decode()
    assert state() == before
    assert not mailoutbox


def test_a_failure_in_the_middle_of_the_import_leaves_nothing_behind(
    program, coordinator, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    upload(coordinator, program, csv_bytes(people(20)))
    batch = ImportBatch.objects.get()
    before = state()

    def broken(*args, **kwargs):
        raise IntegrityError("someone else invited them at the same moment")

    # Invitations are written last: people, profiles and applications exist by then.
    monkeypatch.setattr(Invitation.objects, "bulk_create", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(confirm_url(batch), {"sha256": batch.sha256}, follow=True)
    assert "nothing was imported" in response.content.decode()
    assert state() == before
    assert not mailoutbox
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEWED


def test_the_confirmation_rechecks_the_file_against_the_database(
    cast, program, coordinator, edition
):
    program.shared_with.add(cast.org_b)
    rows = [[*person(1), "Lycée B"]]
    upload(coordinator, program, csv_bytes(rows, header=[*HEADER, "organization"]))
    batch = ImportBatch.objects.get()
    assert batch.error_count == 0
    program.shared_with.remove(cast.org_b)  # between the preview and the confirmation
    before = state()
    response = coordinator.post(confirm_url(batch), {"sha256": batch.sha256}, follow=True)
    page = response.content.decode()
    assert "1 row has errors: nothing was imported." in page
    assert "column organization: “Lycée B” is not an organisation you can import people" in page
    assert state() == before


def test_only_the_previewed_file_is_imported_and_only_once(program, coordinator):
    upload(coordinator, program, csv_bytes(people(2)))
    batch = ImportBatch.objects.get()
    response = coordinator.post(confirm_url(batch), {"sha256": "0" * 64}, follow=True)
    assert "This is not the file that was previewed" in response.content.decode()
    assert not Application.objects.exists()

    coordinator.post(confirm_url(batch), {"sha256": batch.sha256})
    assert Application.objects.count() == 2
    response = coordinator.post(confirm_url(batch), {"sha256": batch.sha256}, follow=True)
    assert "This file has already been imported." in response.content.decode()
    assert Application.objects.count() == 2


def test_a_previewed_file_can_be_deleted_without_importing(program, coordinator):
    upload(coordinator, program, csv_bytes(people(2)))
    batch = ImportBatch.objects.get()
    response = coordinator.post(
        reverse("imports:discard", kwargs={"slug": program.slug, "pk": batch.pk}), follow=True
    )
    assert "The file is deleted; nothing was imported." in response.content.decode()
    assert not ImportBatch.objects.exists()
    assert not Application.objects.exists()


def test_unconfirmed_files_are_purged_after_a_day(program, coordinator, time_machine):
    from datetime import timedelta

    from django.utils import timezone

    time_machine.move_to(timezone.now() - timedelta(days=2))
    upload(coordinator, program, csv_bytes(people(1)))
    time_machine.move_to(timezone.now() + timedelta(days=2))
    upload(coordinator, program, csv_bytes(people(1, start=5)))
    assert ImportBatch.objects.count() == 1


def test_five_thousand_rows_with_a_few_errors_are_all_reported_and_nothing_is_imported(
    program, coordinator
):
    rows = people(5000)
    rows[15][0] = "pas-une-adresse"  # line 17
    rows[2498][4] = "2004-13-01"  # line 2500
    rows[4997][0] = rows[0][0]  # line 4999, duplicate of line 2
    upload(coordinator, program, csv_bytes(rows), name="grosse-liste.csv")
    batch = ImportBatch.objects.get()
    assert (batch.row_count, batch.error_count) == (5000, 3)
    page = coordinator.get(preview_url(batch)).content.decode()
    assert "<strong>4997</strong> rows ready" in page
    assert "Line 17, column email: “pas-une-adresse” is not a valid email address." in page
    assert "Line 2500, column birth_date: “2004-13-01” is not a valid date" in page
    assert (
        "Line 4999, column email: “personne1@ecole.example.org” already appears on line 2." in page
    )
    before = state()
    coordinator.post(confirm_url(batch), {"sha256": batch.sha256})
    assert state() == before


def test_the_import_writes_in_bulk_not_row_by_row(
    program, coordinator, django_assert_max_num_queries
):
    upload(coordinator, program, csv_bytes(people(300)))
    batch = ImportBatch.objects.get()
    # Row by row would take several statements a row (1,500+ here). SQLite allows 999
    # parameters a statement, so its insert batches hold about 50 to 100 rows.
    with django_assert_max_num_queries(100):
        coordinator.post(confirm_url(batch), {"sha256": batch.sha256})
    assert Application.objects.count() == 300


def test_five_thousand_valid_rows_are_imported(program, coordinator):
    upload(coordinator, program, xlsx_bytes(people(5000)), name="grosse-liste.xlsx")
    batch = ImportBatch.objects.get()
    assert batch.error_count == 0
    coordinator.post(confirm_url(batch), {"sha256": batch.sha256})
    assert Application.objects.filter(source="import").count() == 5000
    assert User.objects.filter(email__endswith="@ecole.example.org").count() == 5000
    assert Invitation.objects.count() == 5000


def test_importing_again_updates_the_profile_columns_given_and_only_those(program, coordinator):
    header = ["email", "first_name", "last_name", "role", "birth_date", "goals", "remote_ok",
              "skills_offered", "field"]  # fmt: skip
    first = [["lea@example.org", "Léa", "Martin", "mentee", "14/03/2004", "Premier emploi", "oui",
              "Excel", "Droit"]]  # fmt: skip
    second = [["lea@example.org", "", "", "", "15/03/2004", "network; stage / alternance", "non",
               "Excel; Python", ""]]  # fmt: skip
    for rows in (first, second):
        upload(coordinator, program, csv_bytes(rows, header=header))
        batch = ImportBatch.objects.latest("pk")
        assert batch.error_count == 0
        coordinator.post(confirm_url(batch), {"sha256": batch.sha256})
    profile = Profile.objects.get(user__email="lea@example.org")
    assert profile.birth_date.isoformat() == "2004-03-15"
    assert profile.goals == ["network", "internship"]
    assert profile.remote_ok is False
    assert profile.field == "Droit"  # empty cell: left as it was
    assert sorted(s.name for s in profile.skills_offered.all()) == ["Excel", "Python"]
    assert profile.user.first_name == "Léa"


def _garbled() -> bytes:
    # A UTF-8 file opened by Excel as Windows-1252, then saved as "CSV UTF-8": "é" in the
    # file is now "Ã©".
    text = csv_bytes([person(1), ["lea@example.org", "Léa", "Martin", "mentee", ""]]).decode()
    return text.encode("utf-8").decode("cp1252").encode("utf-8")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (_garbled(), "Line 3, column first_name: “LÃ©a” looks garbled (é shown as Ã©)"),
        (
            csv_bytes([person(1)]) + b"lea@example.org,Lea,Martin,mentee,\r\n",
            "Line 3: the values are not separated like the column names (“;”).",
        ),
        (
            csv_bytes([person(1)], header=["email", "first_name", "last_name", "birth_date"]),
            "Line 2: the role is missing: add a “role” column or choose a role for the file.",
        ),
        (
            csv_bytes([person(1), person(1)]),
            "Line 3, column email: “personne1@ecole.example.org” already appears on line 2.",
        ),
        (
            csv_bytes([[*person(1)[:4], "2004-02-30"]]),
            "Line 2, column birth_date: “2004-02-30” is not a valid date",
        ),
    ],
    ids=["encoding", "separator", "missing-column", "duplicate", "bad-date"],
)
def test_broken_rows_are_reported_and_the_database_is_left_untouched(
    program, coordinator, content, message, mailoutbox, django_capture_on_commit_callbacks
):
    before = state()
    upload(coordinator, program, content)
    batch = ImportBatch.objects.get()
    assert message in coordinator.get(preview_url(batch)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(confirm_url(batch), {"sha256": batch.sha256}, follow=True)
    assert "nothing was imported" in response.content.decode()
    assert state() == before
    assert not mailoutbox
