"""An import never changes the data of people another organisation brought to the platform
(nor of account holders), and its preview never tells a coordinator whether an address is
unknown, an account elsewhere or another organisation's record: they are all enrolled and
invited the same way. The organisation that owns an unclaimed record still updates it."""

import re

import pytest
from django.contrib.auth.hashers import make_password

from mentorat.accounts.models import User
from mentorat.applications.imports.models import ImportBatch
from mentorat.applications.models import Application
from mentorat.audit.models import AuditEntry
from mentorat.organizations.models import Invitation, Membership, Role
from mentorat.participants.models import Profile
from tests.factories import MembershipFactory, UserFactory
from tests.imports.files import HEADER, csv_bytes
from tests.imports.test_import_flow import confirm_url, preview_url, upload
from tests.programs.factories import EditionFactory, ProgramFactory

FULL = [*HEADER, "occupation"]
THEIRS = ["Léa", "Martin", "mentee", "14/03/2004", "Lycéenne"]
FORGED = ["Autre", "Nom", "mentee", "01/01/1990", "Escroquerie"]


@pytest.fixture
def program_b(cast):
    program = ProgramFactory(organization=cast.org_b, slug="programme-b")
    EditionFactory(program=program)
    return program


def import_file(client, program, rows, *, header=FULL, organization=None):
    upload(client, program, csv_bytes(rows, header=header), organization=organization)
    batch = ImportBatch.objects.latest("pk")
    client.post(confirm_url(batch), {"sha256": batch.sha256})
    batch.refresh_from_db()
    assert batch.status == "imported", client.get(preview_url(batch)).content.decode()
    return batch


@pytest.fixture
def b_person(cast, english, program_b):
    """lea@ecole-b.example.org, imported by B into its own program: a record B owns and
    that Léa has not claimed yet (no password, never signed in)."""
    import_file(english(cast.coordinator_b), program_b, [["lea@ecole-b.example.org", *THEIRS]])
    person = User.objects.get(email="lea@ecole-b.example.org")
    assert not person.has_usable_password()
    assert person.last_login is None
    return person


def details(person):
    person.refresh_from_db()
    profile = Profile.objects.get(user=person)
    return (
        person.first_name,
        person.last_name,
        person.language,
        profile.birth_date.isoformat(),
        profile.occupation,
    )


LEA = ("Léa", "Martin", "fr", "2004-03-14", "Lycéenne")


def test_an_import_by_another_organisation_enrols_without_touching_the_persons_data(
    cast, english, program, edition, b_person
):
    coordinator_a = english(cast.coordinator_a)
    batch = import_file(
        coordinator_a, program, [["LEA@ecole-b.example.org", *FORGED[:2], "mentor", *FORGED[3:]]]
    )

    assert details(b_person) == LEA
    # Enrolled in A's program and invited to A, as an unknown address would be.
    application = Application.objects.get(edition=edition, user=b_person)
    assert (application.organization, application.role) == (cast.org_a, "mentor")
    assert Invitation.objects.filter(
        email="lea@ecole-b.example.org", organization=cast.org_a
    ).exists()
    assert batch.result["invited"] == 1
    # The audit trail says nothing was written on the person.
    entry = AuditEntry.objects.get(
        action="applications.application.imported", target_id=str(application.pk)
    )
    assert entry.data["profile_fields"] == []
    assert entry.data["person"] == "enroll"


def test_an_account_holder_of_another_organisation_keeps_their_data_too(
    cast, english, program, edition
):
    stranger = UserFactory(email="paul@entreprise-b.example.org", first_name="Paul")
    MembershipFactory(user=stranger, organization=cast.org_b, role=Role.MENTOR)
    import_file(english(cast.coordinator_a), program, [["paul@entreprise-b.example.org", *FORGED]])
    stranger.refresh_from_db()
    assert stranger.first_name == "Paul"
    assert not Profile.objects.filter(user=stranger, occupation="Escroquerie").exists()
    assert Application.objects.filter(edition=edition, user=stranger).exists()


def _shown(page, email):
    """What the preview says about the file, with the address taken out."""
    start = page.index("<h2>Summary</h2>")
    end = page.index('<div class="actions">')
    return page[start:end].replace(email, "EMAIL")


def _previews(client, program, emails, *, organization=None):
    """The preview of a one-row file for each address, once with the person's names and
    once without (which a person new to the importer needs)."""
    shown = {}
    for email in emails:
        for header, cells in ((FULL, FORGED), (["email", "role"], ["mentee"])):
            upload(
                client,
                program,
                csv_bytes([[email, *cells]], header=header),
                organization=organization,
            )
            batch = ImportBatch.objects.latest("pk")
            page = client.get(preview_url(batch)).content.decode()
            shown.setdefault(email, []).append(_shown(page, email))
    return shown


def test_the_preview_does_not_tell_unknown_addresses_from_other_organisations_people(
    cast, english, program, b_person
):
    account = UserFactory(email="paul@entreprise-b.example.org")
    MembershipFactory(user=account, organization=cast.org_b, role=Role.MENTOR)
    emails = ["nobody@example.org", account.email, b_person.email]

    shown = _previews(english(cast.coordinator_a), program, emails)

    unknown = shown["nobody@example.org"]
    assert shown[account.email] == unknown
    assert shown[b_person.email] == unknown
    with_names, without_names = unknown
    assert "To enrol" in with_names
    assert "An invitation will be emailed." in with_names
    assert "New to your organisation: <strong>1</strong>" in with_names
    assert "is needed to add people new to your organisation." in without_names
    assert "Has an account" not in "".join(with_names + without_names)


def test_a_partner_coordinator_cannot_tell_either_nor_change_the_owners_people(
    cast, english, program, edition
):
    """B's coordinator imports B's people into A's program shared with B: A's account
    holders and A's unclaimed records look like unknown addresses, and stay as A left them."""
    program.shared_with.add(cast.org_b)
    other_program_of_a = ProgramFactory(organization=cast.org_a, slug="autre-programme-a")
    EditionFactory(program=other_program_of_a)
    coordinator_a = english(cast.coordinator_a)
    import_file(coordinator_a, other_program_of_a, [["lea@univ-a.example.org", *THEIRS]])
    a_record = User.objects.get(email="lea@univ-a.example.org")
    emails = ["nobody@example.org", cast.mentor.email, a_record.email]

    partner = english(cast.coordinator_b)
    shown = _previews(partner, program, emails, organization=cast.org_b)
    assert shown[cast.mentor.email] == shown["nobody@example.org"]
    assert shown[a_record.email] == shown["nobody@example.org"]

    import_file(partner, program, [[a_record.email, *FORGED]], organization=cast.org_b)
    assert details(a_record) == LEA
    application = Application.objects.get(edition=edition, user=a_record)
    assert application.organization == cast.org_b


def test_the_owning_organisation_still_updates_its_own_unclaimed_people(
    cast, english, program_b, b_person
):
    coordinator_b = english(cast.coordinator_b)
    corrected = ["Léa", "Martin-Durand", "mentee", "15/03/2004", "Apprentie"]
    upload(coordinator_b, program_b, csv_bytes([[b_person.email, *corrected]], header=FULL))
    batch = ImportBatch.objects.latest("pk")
    page = coordinator_b.get(preview_url(batch)).content.decode()
    assert "Already known, updated: <strong>1</strong>" in page
    coordinator_b.post(confirm_url(batch), {"sha256": batch.sha256})
    assert details(b_person) == ("Léa", "Martin-Durand", "fr", "2004-03-15", "Apprentie")


def test_enrolling_someone_never_makes_an_organisation_their_owner(
    cast, english, program, program_b, edition, b_person
):
    """A enrols B's person, accepts them (membership of A) and imports them again: still
    not A's to change. B, the owner, still is."""
    coordinator_a = english(cast.coordinator_a)
    import_file(coordinator_a, program, [[b_person.email, *FORGED]])
    import_file(
        coordinator_a,
        program,
        [[b_person.email, *FORGED, "accepted"]],
        header=[*FULL, "status"],
    )
    assert Membership.objects.filter(user=b_person, organization=cast.org_a).exists()
    import_file(coordinator_a, program, [[b_person.email, *FORGED]])
    assert details(b_person) == LEA

    import_file(
        english(cast.coordinator_b),
        program_b,
        [[b_person.email, "Léa", "Martin", "mentee", "14/03/2004", "Étudiante"]],
    )
    assert details(b_person)[-1] == "Étudiante"


def test_once_the_person_claims_their_record_even_the_owner_leaves_it_alone(
    cast, english, program_b, b_person
):
    b_person.password = make_password("choisi-par-lea")
    b_person.save(update_fields=["password"])
    import_file(english(cast.coordinator_b), program_b, [[b_person.email, *FORGED]])
    assert details(b_person) == LEA


def test_the_preview_counts_and_row_labels_hide_who_is_known(cast, english, program, b_person):
    """Summary counters: an unknown address and another organisation's person both count
    as new to the importer; none as "already known"."""
    upload(
        english(cast.coordinator_a),
        program,
        csv_bytes([["nobody@example.org", *FORGED], [b_person.email, *FORGED]], header=FULL),
    )
    batch = ImportBatch.objects.latest("pk")
    page = english(cast.coordinator_a).get(preview_url(batch)).content.decode()
    assert "New to your organisation: <strong>2</strong>" in page
    assert "Already known, updated: <strong>0</strong>" in page
    assert "Invitations to send: <strong>2</strong>" in page
    assert len(re.findall(r"To enrol", page)) == 2


def test_moving_an_application_cannot_hand_an_unclaimed_record_to_another_organisation(
    cast, english, program, edition
):
    """B brings a person into A's program shared with B: B owns the record. A's staff
    re-importing the row with organisation A would move the application, and with it the
    record; the row is refused and B stays the owner."""
    from mentorat.applications.services.bulk_import import import_application
    from mentorat.lib.errors import DomainError
    from mentorat.permissions.people import can_change_person

    program.shared_with.add(cast.org_b)
    import_file(
        english(cast.coordinator_b),
        program,
        [["lea@ecole-b.example.org", *THEIRS]],
        organization=cast.org_b,
    )
    lea = User.objects.get(email="lea@ecole-b.example.org")
    assert can_change_person(cast.coordinator_b, lea)

    coordinator_a = english(cast.coordinator_a)
    upload(
        coordinator_a,
        program,
        csv_bytes([[lea.email, *FORGED, cast.org_a.name]], header=[*FULL, "organization"]),
    )
    batch = ImportBatch.objects.latest("pk")
    page = coordinator_a.get(preview_url(batch)).content.decode()
    assert "this application belongs to another organisation" in page
    with pytest.raises(DomainError):
        import_application(
            edition=edition,
            user=lea,
            role="mentee",
            organization=cast.org_a,
            actor=cast.coordinator_a,
        )
    assert Application.objects.get(edition=edition, user=lea).organization == cast.org_b
    assert can_change_person(cast.coordinator_b, lea)
    assert not can_change_person(cast.coordinator_a, lea)
    assert details(lea) == LEA
