"""The engagement page, thank-you notes and program recognitions."""

import pytest
from django.urls import reverse

from mentorat.recognition.models import Award, Credential, CredentialKind, ThankYouNote
from tests.recognition.factories import complete_module, mentor_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def test_the_engagement_page_counts_hours_pairs_and_modules(
    client_for, django_capture_on_commit_callbacks
):
    world = mentor_world()
    with django_capture_on_commit_callbacks(execute=True):
        complete_module(world.mentor, "Écoute active")

    page = client_for(world.mentor).get(reverse("recognition:my_engagement")).content.decode()

    assert '<span class="stat-value" id="hours">2.5</span>' in page
    assert "Pairs accompanied" in page
    assert "Écoute active" in page
    assert "Cap Emploi" in page
    # The module's badge was signed in the background and can be downloaded.
    credential = Credential.objects.get(holder=world.mentor, kind=CredentialKind.MODULE)
    assert credential.token.count(".") == 2
    assert reverse("recognition:credential_jwt", args=[credential.public_id]) in page


def test_the_hours_are_the_mentorships_counter(client_for):
    world = mentor_world()
    my_list = client_for(world.mentor).get(reverse("mentorships:my_list")).content.decode()
    assert "2.5 hours" in my_list
    assert reverse("recognition:my_engagement") in my_list


def test_a_mentee_thanks_the_mentor_who_chooses_to_show_it(client_for):
    world = mentor_world()
    mentee = client_for(world.mentee)
    workspace = mentee.get(reverse("mentorships:workspace", args=[world.pair.pk]) + "?tab=end")
    link = reverse("recognition:note_write", args=[world.pair.pk])
    assert link in workspace.content.decode()

    mentee.post(link, {"text": "Merci pour vos conseils, j'ai signé mon CDI !"})
    note = ThankYouNote.objects.get(mentorship=world.pair)
    assert not note.shown
    again = mentee.post(link, {"text": "Encore merci"}, follow=True).content.decode()
    assert "You have already sent your note" in again
    assert ThankYouNote.objects.count() == 1

    # Hidden: the mentor sees it, the coordinator does not.
    page = reverse("recognition:engagement", args=[world.mentor.pk])
    coordinator = client_for(world.coordinator)
    assert "signé mon CDI" not in coordinator.get(page).content.decode()
    mentor = client_for(world.mentor)
    assert "signé mon CDI" in mentor.get(reverse("recognition:my_engagement")).content.decode()
    mentor.post(reverse("recognition:note_visibility", args=[note.pk]), {"shown": "1"})
    assert "signé mon CDI" in client_for(world.coordinator).get(page).content.decode()


def test_no_thank_you_note_while_the_pair_is_active(client_for):
    world = mentor_world(ended=False)
    mentee = client_for(world.mentee)
    workspace = mentee.get(reverse("mentorships:workspace", args=[world.pair.pk]) + "?tab=end")
    assert reverse("recognition:note_write", args=[world.pair.pk]) not in workspace.content.decode()
    response = mentee.post(
        reverse("recognition:note_write", args=[world.pair.pk]), {"text": "Merci"}
    )
    assert response.status_code == 403
    assert not ThankYouNote.objects.exists()


def test_an_empty_note_is_refused_with_a_message(client_for):
    world = mentor_world()
    response = client_for(world.mentee).post(
        reverse("recognition:note_write", args=[world.pair.pk]), {"text": "  "}
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_a_coordinator_defines_and_awards_a_recognition(
    client_for, django_capture_on_commit_callbacks
):
    world = mentor_world()
    coordinator = client_for(world.coordinator)
    url = reverse("recognition:recognitions", args=[world.program.slug])
    coordinator.post(url, {"name": "Mentor engagé·e 2026", "description": "Un an d'engagement"})
    duplicate = coordinator.post(url, {"name": "mentor ENGAGÉ·E 2026"})
    assert "This name is taken in the program." in duplicate.content.decode()
    recognition = world.program.recognitions.get()

    award_url = reverse("recognition:award", args=[world.program.slug, recognition.pk])
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(award_url, {"mentor": world.mentor.pk, "reason": "Toujours présente"})
    award = Award.objects.get(mentor=world.mentor)
    assert award.credential.token
    assert award.credential.organization == world.organization
    again = coordinator.post(award_url, {"mentor": world.mentor.pk, "reason": "Encore"})
    assert "Already awarded." in again.content.decode()

    page = client_for(world.mentor).get(reverse("recognition:my_engagement")).content.decode()
    assert "Mentor engagé·e 2026" in page
    assert "Toujours présente" in page


def test_only_the_programs_mentors_can_be_awarded(client_for):
    world = mentor_world()
    coordinator = client_for(world.coordinator)
    coordinator.post(
        reverse("recognition:recognitions", args=[world.program.slug]), {"name": "Bravo"}
    )
    recognition = world.program.recognitions.get()
    response = coordinator.post(
        reverse("recognition:award", args=[world.program.slug, recognition.pk]),
        {"mentor": world.mentee.pk, "reason": "?"},
    )
    assert response.status_code == 200
    assert not Award.objects.exists()
