"""Writes on partnerships and their agreements. Callers check permissions first (see
`mentorat.permissions.partnerships`); these functions enforce the business rules and
write the audit trail on both sides' logs."""

from collections.abc import Mapping
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorat.accounts.models import User
from mentorat.audit.services import record
from mentorat.lib.errors import DomainError
from mentorat.organizations.models import (
    Organization,
    Partnership,
    PartnershipKind,
    PartnershipStatus,
)
from mentorat.organizations.services import check_approved
from mentorat.partnerships import selectors, tasks
from mentorat.partnerships.models import Agreement, AgreementSignature, Commitment, CommitmentKind
from mentorat.permissions.programs import forget_shared
from mentorat.programs.models import Edition, Program

# Partnerships that still bind the two organisations (a new proposal would duplicate them).
LIVE = (PartnershipStatus.PROPOSED, PartnershipStatus.ACTIVE)


def _record_both(
    partnership: Partnership,
    *,
    action: str,
    actor: User,
    data: dict[str, object] | None = None,
    request: HttpRequest | None = None,
    target: object | None = None,
) -> None:
    for side in (partnership.organization, partnership.partner):
        record(
            action=action,
            actor=actor,
            organization=side,
            target=target or partnership,  # type: ignore[arg-type]
            data=data,
            request=request,
        )


def _locked(partnership: Partnership) -> Partnership:
    return (
        Partnership.objects.select_for_update()
        .select_related("organization", "partner")
        .get(pk=partnership.pk)
    )


@transaction.atomic
def propose_partnership(
    *,
    organization: Organization,
    partner: Organization,
    kind: PartnershipKind | str,
    message: str,
    actor: User,
    request: HttpRequest | None = None,
) -> Partnership:
    """`organization` proposes a partnership to `partner`, whose admins are emailed.

    Both must be approved by the platform; a proposal or an active partnership between
    the two (either direction) must not exist already."""
    check_approved(organization)
    if not partner.is_approved or partner.pk == organization.pk:
        raise DomainError(_("This organisation cannot receive a partnership proposal."))
    if kind not in PartnershipKind.values:
        raise DomainError(_("Kind: choose one of the options."))
    # Lock both organisations so that two admins proposing to each other at once do not
    # create two proposals.
    list(Organization.objects.select_for_update().filter(pk__in=[organization.pk, partner.pk]))
    if Partnership.objects.filter(
        Q(organization=organization, partner=partner)
        | Q(organization=partner, partner=organization),
        status__in=LIVE,
    ).exists():
        raise DomainError(
            _("A partnership with %(partner)s is already proposed or active.")
            % {"partner": partner.name}
        )
    partnership = Partnership.objects.create(
        organization=organization,
        partner=partner,
        kind=kind,
        message=message.strip(),
        status=PartnershipStatus.PROPOSED,
        proposed_at=timezone.now(),
    )
    _record_both(
        partnership, action="partnerships.partnership.proposed", actor=actor, request=request
    )
    transaction.on_commit(lambda: tasks.send_partnership_email.enqueue(partnership.pk, "proposed"))
    return partnership


def _answer(
    partnership: Partnership, *, status: PartnershipStatus, reason: str, actor: User
) -> Partnership:
    partnership = _locked(partnership)
    if partnership.status != PartnershipStatus.PROPOSED:
        raise DomainError(_("This proposal has already been answered."))
    partnership.status = status
    partnership.decided_at = timezone.now()
    partnership.decision_reason = reason.strip()
    if status == PartnershipStatus.ACTIVE:
        partnership.started_on = timezone.localdate()
    partnership.save(update_fields=["status", "decided_at", "decision_reason", "started_on"])
    return partnership


@transaction.atomic
def accept_partnership(
    *, partnership: Partnership, actor: User, request: HttpRequest | None = None
) -> Partnership:
    """The partner accepts the proposal: the partnership is active from today, and the
    two organisations may share programs with each other."""
    check_approved(partnership.partner)
    partnership = _answer(partnership, status=PartnershipStatus.ACTIVE, reason="", actor=actor)
    _record_both(
        partnership, action="partnerships.partnership.accepted", actor=actor, request=request
    )
    transaction.on_commit(lambda: tasks.send_partnership_email.enqueue(partnership.pk, "accepted"))
    return partnership


@transaction.atomic
def decline_partnership(
    *, partnership: Partnership, reason: str, actor: User, request: HttpRequest | None = None
) -> Partnership:
    """The partner declines the proposal, with a reason sent to the proposer's admins."""
    if not reason.strip():
        message = _("Reason: say why, the other organisation's admins receive it.")
        raise DomainError(message, field_errors={"reason": [message]})
    partnership = _answer(
        partnership, status=PartnershipStatus.DECLINED, reason=reason, actor=actor
    )
    _record_both(
        partnership,
        action="partnerships.partnership.declined",
        actor=actor,
        data={"reason": partnership.decision_reason},
        request=request,
    )
    transaction.on_commit(lambda: tasks.send_partnership_email.enqueue(partnership.pk, "declined"))
    return partnership


def programs_shared_between(first: Organization, second: Organization) -> "list[Program]":
    """Programs of either organisation shared with the other."""
    return list(
        Program.objects.filter(
            Q(organization=first, shared_with=second) | Q(organization=second, shared_with=first)
        ).distinct()
    )


@transaction.atomic
def end_partnership(
    *,
    partnership: Partnership,
    actor: User,
    reason: str = "",
    request: HttpRequest | None = None,
) -> Partnership:
    """End an active partnership today (either side's admin).

    Sharing needs a current partnership (`programs.services.partner_organizations`), so
    the programs either side shared with the other stop being shared now, unless another
    active partnership still links the two: the other side's coordinators no longer
    follow their people there. Applications, pairs and their follow-up are untouched;
    signed agreements stay as the record of what was agreed."""
    partnership = _locked(partnership)
    if partnership.status != PartnershipStatus.ACTIVE:
        raise DomainError(_("Only an active partnership can be ended."))
    partnership.status = PartnershipStatus.ENDED
    partnership.ended_on = timezone.localdate()
    partnership.decision_reason = reason.strip() or partnership.decision_reason
    partnership.save(update_fields=["status", "ended_on", "decision_reason"])
    first, second = partnership.organization, partnership.partner
    still_linked = (
        Partnership.objects.filter(
            Q(organization=first, partner=second) | Q(organization=second, partner=first),
            status=PartnershipStatus.ACTIVE,
        )
        .exclude(pk=partnership.pk)
        .exists()
    )
    unshared: list[int] = []
    if not still_linked:
        for program in programs_shared_between(first, second):
            other = second if program.organization_id == first.pk else first
            program.shared_with.remove(other)
            forget_shared(program)
            unshared.append(program.pk)
    _record_both(
        partnership,
        action="partnerships.partnership.ended",
        actor=actor,
        data={"reason": reason.strip(), "programs_unshared": unshared},
        request=request,
    )
    transaction.on_commit(lambda: tasks.send_partnership_email.enqueue(partnership.pk, "ended"))
    return partnership


def _check_period(
    partnership: Partnership, *, school_year: int | None, edition: Edition | None
) -> None:
    if (school_year is None) == (edition is None):
        message = _("Period: choose a school year or a program edition, not both.")
        raise DomainError(message, field_errors={"school_year": [message]})
    if school_year is not None and not 2000 <= school_year <= 2100:
        message = _("School year: enter the first year, such as 2026 for 2026–2027.")
        raise DomainError(message, field_errors={"school_year": [message]})
    if edition is not None and edition.program.organization_id not in (
        partnership.organization_id,
        partnership.partner_id,
    ):
        message = _("Edition: choose an edition of a program of one of the two organisations.")
        raise DomainError(message, field_errors={"edition": [message]})


@transaction.atomic
def save_agreement(
    *,
    partnership: Partnership,
    agreement: Agreement | None = None,
    school_year: int | None,
    edition: Edition | None,
    terms: str,
    commitments: Mapping[tuple[int, str], int],
    actor: User,
    request: HttpRequest | None = None,
) -> Agreement:
    """Create or change an agreement of an active partnership (either side's admin).

    `commitments` maps (organisation id, `CommitmentKind`) to a quantity; zero removes
    the commitment. Changing an agreement withdraws the signatures given so far (each
    side signs the text it agreed to); a signed agreement cannot change any more."""
    partnership = _locked(partnership)
    if partnership.status != PartnershipStatus.ACTIVE:
        raise DomainError(_("Agreements are written for an active partnership."))
    _check_period(partnership, school_year=school_year, edition=edition)
    sides = {partnership.organization_id, partnership.partner_id}
    for (org_id, kind), quantity in commitments.items():
        if org_id not in sides or kind not in CommitmentKind.values or quantity < 0:
            raise DomainError(_("Commitments: a quantity is not valid."))
    if agreement is None:
        agreement = Agreement(partnership=partnership)
        action = "partnerships.agreement.created"
    else:
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if agreement.signatures.count() == 2:
            raise DomainError(
                _("This agreement is signed by both sides: it cannot change any more.")
            )
        action = "partnerships.agreement.updated"
    agreement.school_year = school_year
    agreement.edition = edition
    agreement.terms = terms.strip()
    agreement.save()
    withdrawn = agreement.signatures.all().delete()[0]
    agreement.commitments.all().delete()
    Commitment.objects.bulk_create(
        [
            Commitment(agreement=agreement, organization_id=org_id, kind=kind, quantity=quantity)
            for (org_id, kind), quantity in sorted(commitments.items())
            if quantity > 0
        ]
    )
    _record_both(
        partnership,
        action=action,
        actor=actor,
        target=agreement,
        data={
            "period": agreement.period_label,
            "commitments": {f"{o}:{k}": q for (o, k), q in sorted(commitments.items()) if q},
            "signatures_withdrawn": withdrawn,
        },
        request=request,
    )
    return agreement


@transaction.atomic
def sign_agreement(
    *,
    agreement: Agreement,
    organization: Organization,
    signatory_name: str,
    signatory_role: str,
    actor: User,
    request: HttpRequest | None = None,
) -> AgreementSignature:
    """Record that `organization` (one side, through its admin `actor`) accepts the
    agreement as it stands, signed by the named person, now."""
    agreement = (
        Agreement.objects.select_for_update().select_related("partnership").get(pk=agreement.pk)
    )
    partnership = agreement.partnership
    if organization.pk not in (partnership.organization_id, partnership.partner_id):
        raise DomainError(_("Only the two organisations of the partnership sign its agreements."))
    if partnership.status != PartnershipStatus.ACTIVE:
        raise DomainError(_("Agreements are signed for an active partnership."))
    if not signatory_name.strip() or not signatory_role.strip():
        message = _("Signatory: give the name and the role of the person who signs.")
        raise DomainError(message, field_errors={"signatory_name": [message]})
    if agreement.signatures.filter(organization=organization).exists():
        raise DomainError(
            _("%(organization)s has already signed this agreement.")
            % {"organization": organization.name}
        )
    signature = AgreementSignature.objects.create(
        agreement=agreement,
        organization=organization,
        signatory_name=signatory_name.strip(),
        signatory_role=signatory_role.strip(),
        signed_at=timezone.now(),
        recorded_by=actor,
    )
    _record_both(
        partnership,
        action="partnerships.agreement.signed",
        actor=actor,
        target=agreement,
        data={"side": organization.name},
        request=request,
    )
    return signature


def send_commitment_reminders(*, today: date) -> int:
    """Queue a reminder to both sides' coordinators for each agreement of an active
    partnership with commitments behind schedule (`AgreementProgress.behind`), at most
    once a week per agreement (the delivery ledger keys it by the week's Monday).
    Returns the number of agreements concerned. Called daily by
    `manage.py remind_partnership_commitments`."""
    week = (today - timedelta(days=today.weekday())).isoformat()
    agreements = Agreement.objects.filter(partnership__status=PartnershipStatus.ACTIVE)
    concerned = 0
    for progress in selectors.agreements_progress(agreements=agreements):
        behind = progress.behind(today=today)
        if not behind:
            continue
        concerned += 1
        lines = [
            [organization.name, line.label, str(line.pledged), line.enrolled_display]
            for organization, line in behind
        ]
        tasks.send_commitment_reminder.enqueue(progress.agreement.pk, week, lines)
    return concerned
