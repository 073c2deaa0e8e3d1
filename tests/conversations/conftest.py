import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mentorat.mentorships.models import Mentorship
from tests.conftest import Cast
from tests.mentorships.factories import MentorshipFactory, RunningEditionFactory
from tests.programs.factories import ProgramFactory

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def upload(name: str, content: bytes = PDF, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def program(cast: Cast):
    return ProgramFactory(organization=cast.org_a, slug="lycee-a", name="Mentorat lycée A")


@pytest.fixture
def pair(cast: Cast, program) -> Mentorship:
    """The cast's mentor and mentee (an adult), in a program of A."""
    return MentorshipFactory(
        edition=RunningEditionFactory(program=program), mentor=cast.mentor, mentee=cast.mentee
    )


@pytest.fixture
def minors_pair(cast: Cast, program, pair) -> Mentorship:
    """`other_side` mentors the minor, a pupil under 18, in the same edition."""
    mentorship = MentorshipFactory(edition=pair.edition, mentor=cast.other_side, mentee=cast.minor)
    mentorship.mentee_application.is_minor = True
    mentorship.mentee_application.save(update_fields=["is_minor"])
    return mentorship
