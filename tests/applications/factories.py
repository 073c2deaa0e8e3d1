import factory
from django.utils import timezone

from mentorat.applications.models import Application, ApplicationStatus
from mentorat.participants.models import Profile
from tests.factories import UserFactory
from tests.programs.factories import EditionFactory


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory)
    field = "Informatique"
    rome_domain = "M"


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    edition = factory.SubFactory(EditionFactory)
    user = factory.SubFactory(UserFactory)
    role = "mentee"
    status = ApplicationStatus.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)
    organization = factory.LazyAttribute(lambda o: o.edition.program.organization)
