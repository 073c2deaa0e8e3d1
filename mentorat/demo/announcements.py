"""Demo messages to a cohort: the university's coordinator wrote to the mentees of the
edition with the most pairs (kick-off of the follow-up); the message is in every
mentee's inbox, was emailed to them, and about a third have read it. No email is sent
by the demo: rows are written as the task would have left them. Idempotent."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from mentorat.accounts.models import User
from mentorat.announcements.models import (
    Announcement,
    AnnouncementRecipient,
    AnnouncementStatus,
    Segment,
)
from mentorat.announcements.selectors import segment_users
from mentorat.programs.models import Edition

COORDINATOR = "coordination@universite.demo"
SUBJECT = "Lancement du suivi : vos premiers rendez-vous"
BODY = """Bonjour à toutes et à tous,

Votre binôme est formé : bienvenue dans le programme ! Pour bien démarrer :

1. **Planifiez votre premier rendez-vous** dans les deux semaines, depuis l'espace du binôme.
2. Lisez le *guide du premier rendez-vous* dans la bibliothèque de ressources.
3. Fixez ensemble un à trois objectifs avant la fin du mois.

Une question ? Répondez-nous depuis la messagerie de la plateforme.

L'équipe de coordination"""


def seed(*, coordinator_email: str = COORDINATOR) -> Announcement | None:
    """One sent message to the mentees of the coordinator's organisation's edition
    with the most pairs; None if the demo has no such edition."""
    author = User.objects.filter(email=coordinator_email).first()
    if author is None:
        return None
    edition = (
        Edition.objects.filter(program__organization__memberships__user=author)
        .select_related("program__organization")
        .annotate(pairs=Count("mentorships", distinct=True))
        .filter(pairs__gt=0)
        .order_by("-pairs", "pk")
        .first()
    )
    if edition is None:
        return None
    existing = Announcement.objects.filter(edition=edition, subject=SUBJECT).first()
    if existing is not None:
        return existing
    now = timezone.now()
    sent_at = now - timedelta(days=6)
    user_ids = list(
        segment_users(
            edition=edition, segment=Segment.MENTEES, filters={}, scope=None, now=now
        ).values_list("pk", flat=True)
    )
    with transaction.atomic():
        announcement = Announcement.objects.create(
            program=edition.program,
            edition=edition,
            organization=edition.program.organization,
            author=author,
            segment=Segment.MENTEES,
            subject=SUBJECT,
            body=BODY,
            status=AnnouncementStatus.SENT,
            sent_at=sent_at,
            recipients_count=len(user_ids),
        )
        AnnouncementRecipient.objects.bulk_create(
            [
                AnnouncementRecipient(
                    announcement=announcement,
                    user_id=pk,
                    emailed_at=sent_at,
                    read_at=sent_at + timedelta(hours=2 + n) if n % 3 == 0 else None,
                )
                for n, pk in enumerate(user_ids)
            ]
        )
    return announcement
