"""Reads of messages to a cohort: who a segment reaches (a constant number of queries
whatever the edition's size), a coordinator's list, a person's inbox."""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet

from mentorat.accounts.models import User
from mentorat.announcements.models import Announcement, AnnouncementRecipient, Segment
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.mentorships.health import HealthState
from mentorat.mentorships.models import Meeting, MeetingStatus, Mentorship, MentorshipStatus
from mentorat.mentorships.selectors import active_pairs_health
from mentorat.notifications.selectors import DeliverySummary, delivery_summaries
from mentorat.programs.models import Edition, ParticipantRole, Program

EMAILS = "announcements.message"
# The custom filter's health choice for accepted people without an active pair.
NO_PAIR = "no_pair"
HEALTH_FILTERS = {
    HealthState.AT_RISK.code: HealthState.AT_RISK,
    HealthState.TO_WATCH.code: HealthState.TO_WATCH,
    HealthState.ON_TRACK.code: HealthState.ON_TRACK,
}


def _applications_in_pairs(pairs: QuerySet[Mentorship]) -> Q:
    return Q(pk__in=pairs.values("mentor_application_id")) | Q(
        pk__in=pairs.values("mentee_application_id")
    )


def _applications_of_pairs_in(edition: Edition, state: HealthState, now: datetime) -> Q:
    """Both sides of the edition's active pairs whose health is `state`: the same rules
    as the dashboards (`active_pairs_health`), one query."""
    ids: set[int] = set()
    for row in active_pairs_health(Mentorship.objects.filter(edition=edition), now=now):
        if row.state == state:
            ids |= {row.mentorship.mentor_application_id, row.mentorship.mentee_application_id}
    return Q(pk__in=ids)


def _without_active_pair() -> Q:
    active = Mentorship.objects.filter(status=MentorshipStatus.ACTIVE).filter(
        Q(mentor_application=OuterRef("pk")) | Q(mentee_application=OuterRef("pk"))
    )
    return Q(status=ApplicationStatus.ACCEPTED) & ~Q(Exists(active))


def _custom(edition: Edition, filters: Mapping[str, Any], now: datetime) -> Q:
    condition = Q()
    if filters.get("role") in ParticipantRole.values:
        condition &= Q(role=filters["role"])
    status = filters.get("status") or ApplicationStatus.ACCEPTED
    if status in ApplicationStatus.values:
        condition &= Q(status=status)
    health = filters.get("health") or ""
    if health == NO_PAIR:
        condition &= _without_active_pair()
    elif health in HEALTH_FILTERS:
        condition &= _applications_of_pairs_in(edition, HEALTH_FILTERS[health], now)
    if filters.get("region"):
        condition &= Q(user__profile__region=filters["region"])
    if filters.get("field"):
        condition &= Q(user__profile__field__icontains=filters["field"])
    return condition


def segment_applications(
    *,
    edition: Edition,
    segment: str,
    filters: Mapping[str, Any],
    scope: Collection[int] | None,
    now: datetime,
) -> QuerySet[Application]:
    """Applications to `edition` a message to `segment` reaches; with a `scope` (a
    partner's coordinators), only those their organisations brought. One query to
    read, plus one for the segments that depend on health."""
    applications = Application.objects.filter(edition=edition, user__is_active=True)
    if scope is not None:
        applications = applications.filter(organization_id__in=scope)
    accepted = Q(status=ApplicationStatus.ACCEPTED)
    active_pairs = Mentorship.objects.filter(edition=edition, status=MentorshipStatus.ACTIVE)
    conditions: dict[str, Any] = {
        Segment.MENTEES: lambda: accepted & Q(role=ParticipantRole.MENTEE),
        Segment.MENTORS: lambda: accepted & Q(role=ParticipantRole.MENTOR),
        Segment.EVERYONE: lambda: accepted,
        Segment.UNMATCHED: _without_active_pair,
        Segment.AT_RISK: lambda: _applications_of_pairs_in(edition, HealthState.AT_RISK, now),
        Segment.NOT_MET: lambda: _applications_in_pairs(
            active_pairs.exclude(
                Exists(
                    Meeting.objects.filter(
                        mentorship=OuterRef("pk"),
                        status=MeetingStatus.ACCEPTED,
                        starts_at__lte=now,
                    )
                )
            )
        ),
        Segment.CUSTOM: lambda: _custom(edition, filters, now),
    }
    build = conditions.get(segment)
    if build is None:
        return applications.none()
    return applications.filter(build())


def segment_users(
    *,
    edition: Edition,
    segment: str,
    filters: Mapping[str, Any],
    scope: Collection[int] | None,
    now: datetime,
) -> QuerySet[User]:
    """The people `segment_applications` reaches, each once."""
    applications = segment_applications(
        edition=edition, segment=segment, filters=filters, scope=scope, now=now
    )
    return User.objects.filter(pk__in=applications.values("user_id")).order_by("pk")


def announcement_scope(announcement: Announcement) -> set[int] | None:
    """Organisations whose people an announcement may reach: all of them when the
    program's owner wrote it, else only the partner's own."""
    if announcement.organization_id == announcement.program.organization_id:
        return None
    return {announcement.organization_id}


def announcement_users(*, announcement: Announcement, now: datetime) -> QuerySet[User]:
    return segment_users(
        edition=announcement.edition,
        segment=announcement.segment,
        filters=announcement.filters,
        scope=announcement_scope(announcement),
        now=now,
    )


@dataclass(frozen=True)
class AnnouncementRow:
    announcement: Announcement
    emails: DeliverySummary


def program_announcements(
    *, program: Program, scope: Collection[int] | None
) -> list[AnnouncementRow]:
    """A program's messages, newest first, with their emails' counts (two queries);
    with a `scope` (a partner's coordinators), only those written for their
    organisations."""
    announcements = Announcement.objects.filter(program=program).select_related(
        "edition", "author", "organization"
    )
    if scope is not None:
        announcements = announcements.filter(organization_id__in=scope)
    found = list(announcements)
    summaries = delivery_summaries(purpose=EMAILS, keys=[a.pk for a in found])
    return [AnnouncementRow(a, summaries[str(a.pk)]) for a in found]


def inbox(*, user: User) -> QuerySet[AnnouncementRecipient]:
    """Messages `user` received, unread first, then the newest."""
    return (
        AnnouncementRecipient.objects.filter(user_id=user.pk)
        .select_related("announcement__program", "announcement__organization")
        .annotate(unread=ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField()))
        .order_by("-unread", "-announcement__created_at", "-announcement_id")
    )


def unread_recipients(user: User) -> QuerySet[AnnouncementRecipient]:
    """The messages to a cohort `user` received and has not opened yet."""
    return AnnouncementRecipient.objects.filter(user_id=user.pk, read_at__isnull=True)


def unread_count(user: User) -> int:
    """How many `unread_recipients` `user` has (one query)."""
    return unread_recipients(user).count()


def program_emails(*, announcement: Announcement) -> DeliverySummary:
    """How the emails of one message stand (one query)."""
    return delivery_summaries(purpose=EMAILS, keys=[announcement.pk])[str(announcement.pk)]


def read_count(*, announcement: Announcement) -> int:
    return AnnouncementRecipient.objects.filter(
        announcement=announcement, read_at__isnull=False
    ).count()
