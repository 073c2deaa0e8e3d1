"""Setting and removing the mentor places an edition reserves for a partner's mentees."""

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from mentorat.accounts.models import User
from mentorat.audit.services import record
from mentorat.lib.errors import DomainError
from mentorat.matching.models import PlaceReservation
from mentorat.organizations.models import Organization, Partnership, PartnershipStatus
from mentorat.programs.models import Edition

#: Far above any real pledge; keeps a typo from reading as a national reservation.
MAX_RESERVED = 10_000


def set_reservation(
    *,
    edition: Edition,
    partnership: Partnership,
    mentor_organization: Organization,
    places: int,
    actor: User,
    request: HttpRequest | None = None,
) -> PlaceReservation | None:
    """Reserve `places` of `mentor_organization`'s mentor places in `edition` for the
    mentees of the partnership's other side (0 removes the reservation). The callers
    check that the coordinator runs the edition's matching and may see the partnership."""
    if partnership.status != PartnershipStatus.ACTIVE:
        raise DomainError(_("This partnership is not active."))
    if mentor_organization.pk not in (partnership.organization_id, partnership.partner_id):
        raise DomainError(_("This organisation is not part of the partnership."))
    if isinstance(places, bool) or not isinstance(places, int) or not 0 <= places <= MAX_RESERVED:
        raise DomainError(
            _("Reserved places: enter a whole number from 0 to %(max)s.") % {"max": MAX_RESERVED}
        )
    key = {
        "edition": edition,
        "partnership": partnership,
        "mentor_organization": mentor_organization,
    }
    with transaction.atomic():
        row = PlaceReservation.objects.select_for_update().filter(**key).first()
        before = row.places if row else 0
        if before == places:
            return row
        if places == 0:
            assert row is not None
            row.delete()
            row = None
        elif row is None:
            row = PlaceReservation.objects.create(**key, places=places)
        else:
            row.places = places
            row.save(update_fields=["places"])
        record(
            action="matching.reservation.changed",
            actor=actor,
            organization=edition.program.organization,
            target=partnership,
            data={
                "edition": edition.pk,
                "mentor_organization": mentor_organization.pk,
                "before": before,
                "after": places,
            },
            request=request,
        )
    return row


def remove_reservation(
    *, reservation: PlaceReservation, actor: User, request: HttpRequest | None = None
) -> None:
    """Remove a reservation: its places are open to every mentee again."""
    set_reservation(
        edition=reservation.edition,
        partnership=reservation.partnership,
        mentor_organization=reservation.mentor_organization,
        places=0,
        actor=actor,
        request=request,
    )
