"""Following a module: reading sections, answering the quiz (fail, see explanations,
retry, pass), completing it once (and telling other apps once), and what the
interfaces for matching and recognition answer."""

import pytest
from django.urls import reverse

from mentorat.lib.errors import DomainError
from mentorat.training import selectors, services
from mentorat.training.models import Attempt, Completion, Requirement
from mentorat.training.selectors import completions_of, trained_user_ids
from mentorat.training.signals import module_completed
from tests.applications.factories import ApplicationFactory
from tests.programs.factories import EditionFactory, ProgramFactory
from tests.training.factories import answers, form_data, make_module

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


@pytest.fixture
def completed_signals():
    received = []

    def receiver(**kwargs):
        received.append((kwargs["user_id"], kwargs["module_id"]))

    module_completed.connect(receiver, weak=False)
    yield received
    module_completed.disconnect(receiver)


def test_failing_then_passing_completes_once_and_signals_once(
    cast, completed_signals, django_capture_on_commit_callbacks
):
    module = make_module(cast.org_a)
    with django_capture_on_commit_callbacks(execute=True):
        failed = services.submit_attempt(
            user=cast.mentor, module=module, answers=answers(module, right=False)
        )
    assert (failed.score, failed.passed) == (0, False)
    assert not Completion.objects.filter(user=cast.mentor).exists()
    assert completed_signals == []

    with django_capture_on_commit_callbacks(execute=True):
        passed = services.submit_attempt(
            user=cast.mentor, module=module, answers=answers(module, right=True)
        )
        again = services.submit_attempt(
            user=cast.mentor, module=module, answers=answers(module, right=True)
        )
    assert (passed.score, passed.passed, again.passed) == (100, True, True)
    assert Completion.objects.filter(user=cast.mentor, module=module).count() == 1
    assert completed_signals == [(cast.mentor.pk, module.pk)]
    assert Attempt.objects.filter(user=cast.mentor).count() == 3  # every attempt is kept
    assert [c.title for c in completions_of(cast.mentor.pk)] == [module.title]


def test_half_right_is_scored_by_question_and_a_partial_multiple_choice_is_wrong(cast):
    module = make_module(cast.org_a)
    q1, q2 = module.questions.order_by("position")
    right_q1 = {c.pk for c in q1.choices.all() if c.is_correct}
    only_a = {q2.choices.get(text="A").pk}
    attempt = services.submit_attempt(
        user=cast.mentor, module=module, answers={q1.pk: right_q1, q2.pk: only_a}
    )
    assert attempt.score == 50
    assert attempt.answers == {str(q1.pk): sorted(right_q1), str(q2.pk): sorted(only_a)}


def test_every_question_must_be_answered_with_its_own_choices(cast):
    module = make_module(cast.org_a)
    q1, q2 = module.questions.order_by("position")
    with pytest.raises(DomainError) as error:
        services.submit_attempt(
            user=cast.mentor, module=module, answers={q1.pk: {q2.choices.first().pk}}
        )
    assert error.value.field_errors == {
        f"q{q1.pk}": ["Choose among the answers shown."],
        f"q{q2.pk}": ["Answer this question."],
    }
    assert not Attempt.objects.exists()


def test_a_module_without_quiz_is_completed_when_its_last_section_is_read(
    cast, completed_signals, django_capture_on_commit_callbacks
):
    module = make_module(cast.org_a, with_quiz=False)
    first, second = module.sections.order_by("position")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.mark_section_read(user=cast.mentor, section=first) is False
        assert services.mark_section_read(user=cast.mentor, section=second) is True
        assert services.mark_section_read(user=cast.mentor, section=second) is False
    assert completed_signals == [(cast.mentor.pk, module.pk)]


def test_the_quiz_page_shows_explanations_after_a_failure_then_completes(cast, client_for):
    module = make_module(cast.org_a)
    client = client_for(cast.mentor)
    page = client.get(reverse("training:quiz", args=[module.pk]))
    assert "Oui, <strong>toujours</strong>." not in page.content.decode()  # not before

    response = client.post(
        reverse("training:quiz", args=[module.pk]), form_data(module, right=False)
    )
    result = client.get(response["Location"]).content.decode()
    assert "Not passed yet (100 % needed)" in result
    assert "Oui, <strong>toujours</strong>." in result
    assert "Try again" in result

    response = client.post(
        reverse("training:quiz", args=[module.pk]), form_data(module, right=True)
    )
    result = client.get(response["Location"]).content.decode()
    assert "Passed (100 % needed): the module is completed." in result
    detail = client.get(reverse("training:module", args=[module.pk])).content.decode()
    assert "Completed" in detail
    assert 'value="100"' in detail


def test_an_unanswered_quiz_is_shown_again_with_errors(cast, client_for):
    module = make_module(cast.org_a)
    response = client_for(cast.mentor).post(reverse("training:quiz", args=[module.pk]), {})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Attempt.objects.exists()


def test_reading_goes_section_by_section_then_to_the_quiz(cast, client_for):
    module = make_module(cast.org_a)
    first, second = module.sections.order_by("position")
    client = client_for(cast.mentor)
    page = client.get(reverse("training:section", args=[module.pk, first.pk])).content.decode()
    assert "Texte <strong>1</strong>" in page
    assert "Section 1 of 2" in page
    response = client.post(reverse("training:section_done", args=[module.pk, first.pk]))
    assert response["Location"] == reverse("training:section", args=[module.pk, second.pk])
    response = client.post(reverse("training:section_done", args=[module.pk, second.pk]))
    assert response["Location"] == reverse("training:quiz", args=[module.pk])
    assert selectors.read_section_ids(user_id=cast.mentor.pk, module=module) == {
        first.pk,
        second.pk,
    }


def test_section_text_is_sanitised_and_images_are_streamed_privately(cast, client_for):
    module = make_module(cast.org_a, with_image=True)
    section = module.sections.order_by("position").first()
    section.body = "Bonjour <script>alert(1)</script> [lien](javascript:alert(1))"
    section.save()
    client = client_for(cast.mentor)
    page = client.get(reverse("training:section", args=[module.pk, section.pk])).content.decode()
    assert "<script>alert" not in page
    assert 'href="javascript' not in page
    assert "Bonjour &lt;script&gt;alert(1)&lt;/script&gt;" in page
    image = client.get(reverse("training:section_image", args=[module.pk, section.pk]))
    assert image["Content-Type"] == "image/png"
    assert b"".join(image.streaming_content).startswith(b"\x89PNG")


def test_trained_user_ids_counts_modules_required_before_matching_by_role(cast):
    program = ProgramFactory(organization=cast.org_a)
    edition = EditionFactory(program=program)
    for_mentors = make_module(cast.org_a, title="Pour les mentors")
    for_all = make_module(cast.org_a, title="Pour tous")
    later = make_module(cast.org_a, title="Plus tard")
    mentor_done, mentor_not, mentee = (cast.mentor, cast.other_side, cast.mentee)
    for user, role in ((mentor_done, "mentor"), (mentor_not, "mentor"), (mentee, "mentee")):
        ApplicationFactory(edition=edition, user=user, role=role)
    for module, audience in ((for_mentors, "mentors"), (for_all, "both")):
        program.training_assignments.create(
            module=module, audience=audience, requirement=Requirement.BEFORE_MATCHING
        )
    program.training_assignments.create(
        module=later, audience="both", requirement=Requirement.BEFORE_FIRST_MEETING
    )
    ids = {mentor_done.pk, mentor_not.pk, mentee.pk, cast.outsider.pk}
    assert trained_user_ids(edition, ids) == {cast.outsider.pk}  # no application: nothing asked

    for module in (for_mentors, for_all):
        services.submit_attempt(
            user=mentor_done, module=module, answers=answers(module, right=True)
        )
    services.submit_attempt(user=mentor_not, module=for_all, answers=answers(for_all, right=True))
    services.submit_attempt(user=mentee, module=for_all, answers=answers(for_all, right=True))
    assert trained_user_ids(edition, ids) == {mentor_done.pk, mentee.pk, cast.outsider.pk}


def test_trained_user_ids_is_everyone_when_nothing_is_required(cast):
    edition = EditionFactory(program=ProgramFactory(organization=cast.org_a))
    assert trained_user_ids(edition, {cast.mentor.pk, cast.mentee.pk}) == {
        cast.mentor.pk,
        cast.mentee.pk,
    }


def test_a_translation_counts_as_the_module(cast):
    program = ProgramFactory(organization=cast.org_a)
    edition = EditionFactory(program=program)
    french = make_module(None, title="Écouter", group="starter-x", language="fr")
    english = make_module(None, title="Listening", group="starter-x", language="en")
    ApplicationFactory(edition=edition, user=cast.mentor, role="mentor")
    program.training_assignments.create(
        module=french, audience="mentors", requirement=Requirement.BEFORE_MATCHING
    )
    services.submit_attempt(user=cast.mentor, module=english, answers=answers(english, right=True))
    assert trained_user_ids(edition, {cast.mentor.pk}) == {cast.mentor.pk}
