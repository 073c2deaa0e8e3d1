"""Coordinators write modules (sections with Markdown, images, safe video links; quiz
questions), share them with active partners only, and preview drafts; the platform's
starter set loads in both languages, idempotently, and everyone sees it."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from mentorat.lib.errors import DomainError
from mentorat.organizations.models import Partnership, PartnershipStatus
from mentorat.permissions.training import can_view_module
from mentorat.training import services
from mentorat.training.models import Module, ModuleStatus
from mentorat.training.services import ChoiceData, ModuleData, QuestionData, SectionData
from mentorat.training.starter import en, fr
from tests.factories import OrganizationFactory
from tests.training.factories import PNG, answers, make_module

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=abc",
        "https://youtu.be/abc",
        "https://vimeo.com/123",
        "https://peertube.example.org/w/9c9de5e8",
    ],
)
def test_known_video_links_are_accepted(url):
    assert services.check_video_url(url) == url


@pytest.mark.parametrize(
    "url",
    ["http://www.youtube.com/watch?v=abc", "https://evil.example.org/video", "javascript:alert(1)"],
)
def test_other_video_links_are_refused(url):
    with pytest.raises(DomainError) as error:
        services.check_video_url(url)
    assert "only https links to YouTube" in error.value.message


def test_a_module_is_written_previewed_then_published(cast, client_for):
    client = client_for(cast.coordinator_a)
    response = client.post(
        reverse("training:module_add", args=[cast.org_a.slug]),
        {
            "title": "Préparer un entretien",
            "language": "fr",
            "duration_minutes": "10",
            "passing_score": "80",
            "status": "published",
        },
    )
    module = Module.objects.get(title="Préparer un entretien")
    assert response["Location"] == reverse("training:module_edit", args=[module.pk])
    assert module.status == ModuleStatus.PUBLISHED  # no section needed to create

    client.post(
        reverse("training:section_add", args=[module.pk]),
        {
            "title": "Avant",
            "body": "Relire **l'offre**.",
            "video_url": "https://vimeo.com/1",
            "image": SimpleUploadedFile("plan.png", PNG, content_type="image/png"),
            "image_alt": "Un plan",
        },
    )
    section = module.sections.get()
    assert section.image_type == "image/png"
    assert section.video_url == "https://vimeo.com/1"
    response = client.post(
        reverse("training:section_add", args=[module.pk]),
        {"title": "Vidéo", "video_url": "https://evil.example.org/x"},
    )
    assert "Only https links to YouTube" in response.content.decode()

    response = client.post(
        reverse("training:question_add", args=[module.pk]),
        {
            "text": "Quand relire l'offre ?",
            "kind": "single",
            "explanation": "Avant.",
            "choice_1": "Avant",
            "correct_1": "on",
            "choice_2": "Après",
            "correct_2": "on",
        },
    )
    assert "exactly one ticked" in response.content.decode()
    client.post(
        reverse("training:question_add", args=[module.pk]),
        {
            "text": "Quand relire l'offre ?",
            "kind": "single",
            "explanation": "Avant.",
            "choice_1": "Avant",
            "correct_1": "on",
            "choice_2": "Après",
        },
    )
    question = module.questions.get()
    assert [(c.text, c.is_correct) for c in question.choices.all()] == [
        ("Avant", True),
        ("Après", False),
    ]
    page = client.get(reverse("training:section", args=[module.pk, section.pk])).content.decode()
    assert (
        "Relire <strong>l'offre</strong>." in page
        or "Relire <strong>l&#x27;offre</strong>." in page
    )
    assert 'href="https://vimeo.com/1"' in page


def test_a_draft_is_seen_only_by_its_organisation_staff(cast):
    draft = make_module(cast.org_a, status="draft")
    assert can_view_module(cast.coordinator_a, draft)
    assert not can_view_module(cast.mentor, draft)
    published = make_module(cast.org_a)
    assert can_view_module(cast.mentor, published)
    assert not can_view_module(cast.coordinator_b, published)


def test_publishing_needs_a_section(cast):
    module = make_module(cast.org_a, status="draft", sections=0, with_quiz=False)
    with pytest.raises(DomainError) as error:
        services.update_module(
            module=module,
            data=ModuleData(title="Vide", status=ModuleStatus.PUBLISHED),
            actor=cast.coordinator_a,
        )
    assert "at least one section" in error.value.message


def test_sharing_only_with_active_partners(cast):
    module = make_module(cast.org_a)
    stranger = OrganizationFactory(name="Stranger")
    with pytest.raises(DomainError) as error:
        services.update_module(
            module=module,
            data=ModuleData(title=module.title, shared_with=(stranger.pk,)),
            actor=cast.coordinator_a,
        )
    assert "active partnership" in error.value.message
    partner = cast.org_c  # an active partnership with A
    services.update_module(
        module=module,
        data=ModuleData(title=module.title, status="published", shared_with=(partner.pk,)),
        actor=cast.coordinator_a,
    )
    assert can_view_module(cast.partner_coordinator, module)
    Partnership.objects.filter(partner=partner).update(status=PartnershipStatus.ENDED)
    with pytest.raises(DomainError):
        services.update_module(
            module=module,
            data=ModuleData(title=module.title, shared_with=(partner.pk,)),
            actor=cast.coordinator_a,
        )


def test_a_coordinator_sees_the_attempts_of_their_people_not_others(cast, client_for):
    module = make_module(None, title="Starter")
    attempt = services.submit_attempt(
        user=cast.mentor, module=module, answers=answers(module, right=False)
    )
    url = reverse("training:attempt", args=[attempt.pk])
    assert client_for(cast.coordinator_a).get(url).status_code == 200
    assert client_for(cast.coordinator_b).get(url).status_code == 404
    assert client_for(cast.mentee).get(url).status_code == 404


def test_questions_need_a_right_answer_and_an_explanation(cast):
    module = make_module(cast.org_a, with_quiz=False)
    with pytest.raises(DomainError) as error:
        services.add_question(
            module=module,
            data=QuestionData(
                text="?",
                kind="multiple",
                explanation="",
                choices=(ChoiceData("a"), ChoiceData("b")),
            ),
            actor=cast.coordinator_a,
        )
    assert set(error.value.field_errors) == {"explanation", "choices"}


def test_a_section_refuses_an_unknown_image_type(cast):
    module = make_module(cast.org_a, with_quiz=False)
    with pytest.raises(DomainError):
        services.add_section(
            module=module,
            data=SectionData(title="Image"),
            upload=SimpleUploadedFile("x.svg", b"<svg/>"),
            actor=cast.coordinator_a,
        )


def test_the_starter_set_loads_in_both_languages_once_and_everyone_sees_it(cast):
    out = io.StringIO()
    call_command("load_training_starter_set", stdout=out)
    assert out.getvalue().strip() == "created=14 updated=0"
    out = io.StringIO()
    call_command("load_training_starter_set", stdout=out)
    assert out.getvalue().strip() == "created=0 updated=0"
    starter = Module.objects.filter(organization__isnull=True)
    assert starter.filter(language="fr").count() == starter.filter(language="en").count() == 7
    assert [m.key for m in fr.MODULES] == [m.key for m in en.MODULES]
    for module in starter:
        assert 3 <= module.sections.count() <= 5
        assert 3 <= module.questions.count() <= 5
        assert all(q.explanation for q in module.questions.all())
        assert can_view_module(cast.outsider, module)
    assert starter.get(group="starter-safeguarding-minors", language="fr").title == (
        "Accompagner un mineur\u202f: les bases de la protection"
    )


def test_a_translation_is_paired_with_its_module(cast, client_for):
    module = make_module(cast.org_a, title="Écouter")
    client = client_for(cast.coordinator_a)
    data = {"title": "Listening", "duration_minutes": "15", "passing_score": "80"}
    response = client.post(
        reverse("training:module_translate", args=[module.pk]),
        {**data, "language": "en", "status": "draft"},
    )
    english = Module.objects.get(title="Listening")
    assert response["Location"] == reverse("training:module_edit", args=[english.pk])
    assert (english.group, english.language) == (module.group, "en")
    response = client.post(
        reverse("training:module_translate", args=[module.pk]),
        {**data, "language": "en", "status": "draft"},
    )
    assert "already has a version in that language" in response.content.decode()
    starter = make_module(None, title="Starter")
    response = client_for(cast.platform_admin).get(
        reverse("training:module_translate", args=[starter.pk])
    )
    assert response.status_code == 404
