"""Permission cases of recognition.

A mentor's engagement page: the mentor and the staff of their organisation and of the
programs they take part in (a partner's staff: where it follows the mentor, see
test_engagement_access.py); everyone else cannot tell the person exists (404). A note's
visibility: its mentor only. The thank-you note: the mentee of the ended pair; the
pair's mentor and its coordinators see the pair but may not write it (403). Program
recognitions: the program's staff. Attestations and badges: their holder and the
issuing organisation's staff, who alone revoke them (the holder: 403). The
verification page, the did:web document, the JWKS and the status list are public."""

from django.core.files.base import ContentFile
from django.utils import timezone

from mentorat.mentorships.models import Mentorship, MentorshipStatus
from mentorat.recognition.keys import issuer_key_for
from mentorat.recognition.models import (
    Attestation,
    AttestationKind,
    Credential,
    CredentialKind,
    Recognition,
    ThankYouNote,
)
from tests.conftest import Cast
from tests.mentorships.factories import MentorshipFactory, RunningEditionFactory
from tests.mentorships.permission_cases import pair_of_a
from tests.permissions import LOGIN, RUNS_THE_PROGRAM, Case, everyone
from tests.programs.factories import ProgramFactory
from tests.programs.permission_cases import program_of_a

SIGNED_IN = everyone(200) | {"anonymous": LOGIN}
NOBODY = everyone(404) | {"anonymous": LOGIN}
# The holder and the issuing organisation's staff (and platform admins).
HOLDER_AND_ISSUER = NOBODY | {
    "mentor": 200,
    "coordinator_a": 200,
    "admin_a": 200,
    "platform_admin": 200,
}
REVOKE = NOBODY | {"mentor": 403, "coordinator_a": 302, "admin_a": 302, "platform_admin": 302}


def engagement_kwargs(cast: Cast) -> dict[str, str]:
    pair_of_a(cast)
    return {"pk": str(cast.mentor.pk)}


def ended_pair(cast: Cast) -> Mentorship:
    program = ProgramFactory(organization=cast.org_a, slug="fini-a", name="Fini A")
    return MentorshipFactory(
        edition=RunningEditionFactory(program=program),
        mentor=cast.mentor,
        mentee=cast.mentee,
        status=MentorshipStatus.ENDED,
        ended_on=timezone.localdate(),
    )


def note_kwargs(cast: Cast) -> dict[str, str]:
    pair = ended_pair(cast)
    note = ThankYouNote.objects.create(mentorship=pair, author=cast.mentee, text="Merci")
    return {"pk": str(note.pk)}


def ended_pair_kwargs(cast: Cast) -> dict[str, str]:
    return {"pk": str(ended_pair(cast).pk)}


def program_kwargs(cast: Cast) -> dict[str, str]:
    return {"slug": program_of_a(cast).slug}


def recognition_kwargs(cast: Cast) -> dict[str, str]:
    program = program_of_a(cast)
    recognition = Recognition.objects.create(program=program, name="Engagé·e")
    return {"slug": program.slug, "pk": str(recognition.pk)}


def attestation_kwargs(cast: Cast) -> dict[str, str]:
    attestation = Attestation.objects.create(
        kind=AttestationKind.ENGAGEMENT,
        holder=cast.mentor,
        holder_name="Mentor A",
        organization=cast.org_a,
        language="fr",
        signatory=cast.coordinator_a,
        signatory_name="Coordination A",
        details={"hours": 2, "pairs": 1, "programs": []},
        issued_at=timezone.now(),
    )
    attestation.file.save("a.pdf", ContentFile(b"%PDF-1.4"), save=True)
    return {"public_id": attestation.public_id}


def credential_kwargs(cast: Cast) -> dict[str, str]:
    key = issuer_key_for(cast.org_a)
    credential = Credential.objects.create(
        organization=cast.org_a,
        holder=cast.mentor,
        kind=CredentialKind.MODULE,
        module_id=1,
        achievement_name="Écoute active",
        earned_at=timezone.now(),
        status_index=key.next_status_index,
        token="eyJhbGciOiJFZERTQSJ9.e30.c2ln",
    )
    return {"public_id": str(credential.public_id)}


def issuer_kwargs(cast: Cast) -> dict[str, str]:
    issuer_key_for(cast.org_a)
    return {"slug": cast.org_a.slug}


CASES: dict[str, Case] = {
    "recognition:my_engagement": Case(SIGNED_IN),
    "recognition:engagement": Case(
        NOBODY | {"mentor": 200, "coordinator_a": 200, "admin_a": 200, "platform_admin": 200},
        kwargs=engagement_kwargs,
    ),
    "recognition:note_visibility": Case(
        NOBODY | {"mentor": 302}, kwargs=note_kwargs, method="post", data={"shown": "1"}
    ),
    "recognition:note_write": Case(
        NOBODY
        | {"mentee": 200, "mentor": 403, "coordinator_a": 403, "admin_a": 403}
        | {"platform_admin": 403},
        kwargs=ended_pair_kwargs,
    ),
    "recognition:recognitions": Case(RUNS_THE_PROGRAM, kwargs=program_kwargs),
    "recognition:award": Case(RUNS_THE_PROGRAM, kwargs=recognition_kwargs),
    "recognition:attestation_create": Case(
        everyone(302), method="post", data={"kind": "training", "language": "fr"}
    ),
    "recognition:attestation_pdf": Case(HOLDER_AND_ISSUER, kwargs=attestation_kwargs),
    "recognition:attestation_revoke": Case(REVOKE, kwargs=attestation_kwargs, method="post"),
    "recognition:verify": Case(everyone(200), kwargs=attestation_kwargs),
    "recognition:credential_jwt": Case(HOLDER_AND_ISSUER, kwargs=credential_kwargs),
    "recognition:credential_svg": Case(HOLDER_AND_ISSUER, kwargs=credential_kwargs),
    "recognition:credential_revoke": Case(REVOKE, kwargs=credential_kwargs, method="post"),
    "recognition:did_document": Case(everyone(200), kwargs=issuer_kwargs),
    "recognition:jwks": Case(everyone(200), kwargs=issuer_kwargs),
    "recognition:status_list": Case(everyone(200), kwargs=issuer_kwargs),
}


def _recognition_world(cast: Cast, n: int) -> dict[str, str]:
    program = ProgramFactory(organization=cast.org_a, slug=f"reco-{n}", name=f"Reco {n}")
    recognition = Recognition.objects.create(program=program, name=f"Bravo {n}")
    return {"slug": program.slug, "pk": str(recognition.pk)}


# A recognition under another program's address: 404.
MISMATCH_WORLDS = {"recognition:award": (_recognition_world, "coordinator_a")}
