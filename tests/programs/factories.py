from datetime import timedelta

import factory
from django.utils import timezone

from mentorat.programs.models import (
    Charter,
    CustomQuestion,
    Edition,
    EligibilityRule,
    MatchingSettings,
    Objective,
    Program,
    ProgramKind,
    QuestionKind,
    RuleRole,
)
from tests.factories import OrganizationFactory


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    kind = ProgramKind.STUDENT_INSERTION
    is_published = True

    @factory.post_generation
    def settings(obj, create, extracted, **kwargs):
        if create:
            MatchingSettings.objects.create(program=obj, criteria_weights={"field": 3})


def _today():
    return timezone.localdate()


class EditionFactory(factory.django.DjangoModelFactory):
    """An edition taking applications today."""

    class Meta:
        model = Edition

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Promotion {n}")
    applications_open_on = factory.LazyFunction(lambda: _today() - timedelta(days=10))
    applications_close_on = factory.LazyFunction(lambda: _today() + timedelta(days=20))
    matching_on = factory.LazyFunction(lambda: _today() + timedelta(days=25))
    starts_on = factory.LazyFunction(lambda: _today() + timedelta(days=30))
    ends_on = factory.LazyFunction(lambda: _today() + timedelta(days=210))


class CharterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Charter

    program = factory.SubFactory(ProgramFactory)
    version = 1
    text = "Je m'engage à venir aux rencontres."


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomQuestion

    program = factory.SubFactory(ProgramFactory)
    label = "Pourquoi voulez-vous un mentor ?"
    kind = QuestionKind.SHORT_TEXT
    role = RuleRole.BOTH


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    program = factory.SubFactory(ProgramFactory)
    indicator = "supported_months"
    target = 80
    months = 6


class RuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EligibilityRule

    program = factory.SubFactory(ProgramFactory)
    role = RuleRole.MENTOR
    kind = "min_years_experience"
    number = 3
