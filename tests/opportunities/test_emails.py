"""Emails of the opportunities board, through a real SMTP server: a new candidacy reaches
the offer's contact person (or, when she has left, every admin and coordinator of the
offering organisation), in her language, and nobody of another organisation; the
candidates page shows the candidacies still to answer; the candidate hears of the
decision."""

import pytest
from django.test import TestCase
from django.urls import reverse

from mentorat.notifications import services as notification_services
from mentorat.notifications.kinds import EmailKind, MessageFrequency
from mentorat.opportunities.models import Candidacy
from mentorat.organizations.models import Membership, Role
from tests.notifications.smtp import SmtpSink, use_smtp
from tests.opportunities.test_opportunities import World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


@pytest.fixture
def world() -> World:
    return World()


@pytest.fixture
def smtp_sink(settings):
    with SmtpSink() as sink:
        use_smtp(settings, sink.port)
        yield sink


def _apply(client, opportunity, message="La comptabilité me passionne.") -> Candidacy:
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("opportunities:apply", args=[opportunity.pk]), {"message": message}
        )
    assert response.status_code == 302
    return Candidacy.objects.get(opportunity=opportunity)


def test_the_contact_hears_of_a_candidacy_and_sees_it_to_answer(world, client_for, smtp_sink):
    # Another coordinator of Nexalis, not the offer's contact, and the lycée's staff.
    colleague = world.member("paie@nexalis.example", world.nexalis, Role.COORDINATOR)
    world.contact.language = "en"
    world.contact.save(update_fields=["language"])
    opportunity = world.publish()

    candidacy = _apply(client_for(world.mentee), opportunity)

    assert smtp_sink.received() == {world.contact.email: 1}
    [email] = smtp_sink.messages_to(world.contact.email)
    assert email["Subject"] == "New candidacy: Stage assistant·e comptable"
    text = email.get_body(("plain",)).get_content()
    assert reverse("opportunities:candidacy", args=[candidacy.pk]) in text
    # The pupil's message stays on the platform, behind its permissions.
    assert "comptabilité me passionne" not in text
    for nobody in (colleague, world.ly_coordinator, world.mentee, world.mentor):
        assert not smtp_sink.messages_to(nobody.email)

    company = client_for(world.contact)
    page = company.get(reverse("opportunities:candidates", args=[opportunity.pk]))
    content = page.content.decode()
    assert '<p class="alert" data-figure="awaiting">1 new candidacy awaits your answer.' in content
    assert "New: to answer" in content
    offers = company.get(
        reverse("opportunities:organization_list", args=[world.nexalis.slug])
    ).content.decode()
    assert "1 new" in offers

    # Once answered, the candidacy is no longer new; the candidate is told.
    with TestCase.captureOnCommitCallbacks(execute=True):
        company.post(reverse("opportunities:decide", args=[candidacy.pk]), {"decision": "decline"})
    content = company.get(
        reverse("opportunities:candidates", args=[opportunity.pk])
    ).content.decode()
    assert "awaits your answer" not in content
    assert "New: to answer" not in content
    [told] = smtp_sink.messages_to(world.mentee.email)
    assert (
        reverse("opportunities:candidacy", args=[candidacy.pk])
        in told.get_body(("plain",)).get_content()
    )
    assert smtp_sink.received()[world.contact.email] == 1  # nothing more to the company


def test_without_a_contact_every_admin_and_coordinator_of_the_offer_hears_in_french(
    world, client_for, smtp_sink
):
    admin = world.member("dg@nexalis.example", world.nexalis, Role.ADMIN)
    opportunity = world.publish()
    # The contact left the company: her successors must not miss the candidacy.
    Membership.objects.filter(user=world.contact, organization=world.nexalis).delete()
    admin.language = "fr"
    admin.save(update_fields=["language"])

    _apply(client_for(world.mentee), opportunity)

    assert smtp_sink.received() == {admin.email: 1}
    [email] = smtp_sink.messages_to(admin.email)
    # (Subjects carry a plain space before the colon: some mail clients show U+202F badly.)
    assert email["Subject"] == "Nouvelle candidature : Stage assistant·e comptable"
    assert not smtp_sink.messages_to(world.contact.email)
    assert not smtp_sink.messages_to(world.ly_coordinator.email)


def test_a_coordinator_who_turned_the_kind_off_is_not_emailed(world, client_for, smtp_sink):
    notification_services.set_preferences(
        user=world.contact,
        turned_off={EmailKind.DIGESTS},
        message_frequency=MessageFrequency.IMMEDIATELY,
    )
    opportunity = world.publish()
    _apply(client_for(world.mentee), opportunity)
    assert not smtp_sink.received()
    # The candidates page still tells her.
    content = (
        client_for(world.contact)
        .get(reverse("opportunities:candidates", args=[opportunity.pk]))
        .content.decode()
    )
    assert "1 new candidacy awaits your answer." in content
