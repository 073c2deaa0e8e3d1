"""Reads of the erasure: which rows of the data map are about a person, the organisations
that must handle their request, the legal reasons to keep data, and the request lists."""

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from allauth.account.models import EmailAddress
from django.apps import apps
from django.db import models
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils.translation import ngettext

from mentorat.accounts.models import User
from mentorat.applications.models import DECIDABLE, Application, ApplicationStatus
from mentorat.lib.personal_data import TARGET, ModelData
from mentorat.matching.models import MentorRequest, RequestStatus
from mentorat.mentorships.models import Mentorship, MentorshipStatus
from mentorat.organizations.models import Membership, Organization
from mentorat.privacy.datamap import declarations
from mentorat.privacy.erasure.models import ErasureRequest, ErasureStatus

# A key naming any row: its model's label in lower case and its primary key as text, the
# way a generic target names it (`AuditEntry.target_type`, `target_id`).
RowKey = tuple[str, str]


def model_of(declaration: ModelData) -> type[models.Model]:
    """The model a declaration is about."""
    return apps.get_model(declaration.model)


@dataclass
class Identity:
    """What identifies a person, read once before anything is erased: their account id,
    their email addresses (lower case) and their full name."""

    user_id: int
    addresses: frozenset[str]
    full_name: str

    @property
    def label(self) -> str:
        """The pseudonymous name that replaces the person's name or address in texts."""
        return f"erased-{self.user_id}"

    @property
    def strings(self) -> tuple[str, ...]:
        """The exact strings naming the person in texts written about them."""
        found = [*sorted(self.addresses)]
        # A full name of two parts at least; a lone first name would match other people.
        if " " in self.full_name.strip() and len(self.full_name.strip()) >= 5:
            found.append(self.full_name.strip())
        return tuple(found)

    @cached_property
    def keys(self) -> frozenset[RowKey]:
        """Every row of the data map about the person (generic targets aside). Read it
        before erasing anything: erased rows no longer lead to the person."""
        return person_keys(self)


def identity_of(person: User) -> Identity:
    """The person's identity, as their account and email addresses hold it now."""
    addresses = {person.email.lower()} if person.email else set()
    addresses |= {
        address.lower()
        for address in EmailAddress.objects.filter(user=person).values_list("email", flat=True)
    }
    return Identity(
        user_id=person.pk, addresses=frozenset(addresses), full_name=person.get_full_name()
    )


def _base(model: type[models.Model], pks: Iterable[Any] | None) -> QuerySet[Any]:
    queryset = model._base_manager.all()
    return queryset if pks is None else queryset.filter(pk__in=list(pks))


def subject_pks(
    model: type[models.Model], lookup: str, user_id: int, pks: Iterable[Any] | None = None
) -> set[Any]:
    """Rows (among `pks`) whose `lookup` leads to user `user_id` (`""`: the user row)."""
    condition = Q(pk=user_id) if lookup == "" else Q(**{lookup: user_id})
    return set(_base(model, pks).filter(condition).values_list("pk", flat=True).distinct())


def json_mentions(value: Any, needles: Iterable[str]) -> bool:
    """Whether a JSON value holds one of `needles` (lower case) in any of its strings."""
    if isinstance(value, str):
        low = value.lower()
        return any(needle in low for needle in needles)
    if isinstance(value, list):
        return any(json_mentions(item, needles) for item in value)
    if isinstance(value, dict):
        return any(json_mentions(k, needles) or json_mentions(v, needles) for k, v in value.items())
    return False


def text_search(
    model: type[models.Model], name: str, needles: Iterable[str], pks: Iterable[Any] | None = None
) -> QuerySet[Any]:
    """Rows whose field `name` (text or JSON) contains one of `needles`, case-insensitively
    (a pre-filter: JSON is searched as text, in its stored form)."""
    field_ = model._meta.get_field(name)
    condition = Q()
    queryset = _base(model, pks)
    if isinstance(field_, models.JSONField):
        queryset = queryset.annotate(_erasure_text=Cast(name, TextField()))
        for needle in needles:
            # SQLite stores JSON with non-ASCII characters escaped.
            for form in {needle, json.dumps(needle)[1:-1]}:
                condition |= Q(_erasure_text__icontains=form)
    else:
        for needle in needles:
            condition |= Q(**{f"{name}__icontains": needle})
    return queryset.filter(condition) if condition else queryset.none()


def email_pks(
    declaration: ModelData, addresses: frozenset[str], pks: Iterable[Any] | None = None
) -> set[Any]:
    """Rows (among `pks`) whose email fields hold one of `addresses`."""
    model = model_of(declaration)
    found: set[Any] = set()
    if not addresses:
        return found
    for name in declaration.email_fields:
        if isinstance(model._meta.get_field(name), models.JSONField):
            for pk, value in text_search(model, name, addresses, pks).values_list("pk", name):
                if _holds_address(value, addresses):
                    found.add(pk)
        else:
            condition = Q()
            for address in addresses:
                condition |= Q(**{f"{name}__iexact": address})
            found |= set(_base(model, pks).filter(condition).values_list("pk", flat=True))
    return found


def _holds_address(value: Any, addresses: frozenset[str]) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in addresses
    if isinstance(value, list):
        return any(_holds_address(item, addresses) for item in value)
    return False


def target_pks(
    declaration: ModelData, keys: frozenset[RowKey], pks: Iterable[Any] | None = None
) -> set[Any]:
    """Rows (among `pks`) whose generic target names one of the rows `keys`."""
    if declaration.generic_target is None or not keys:
        return set()
    type_field, id_field = declaration.generic_target
    by_type: dict[str, list[str]] = defaultdict(list)
    for label, pk in keys:
        by_type[label].append(pk)
    condition = Q()
    for label, ids in by_type.items():
        condition |= Q(**{type_field: label, f"{id_field}__in": ids})
    return set(_base(model_of(declaration), pks).filter(condition).values_list("pk", flat=True))


def lookups_of(declaration: ModelData) -> set[str]:
    """Every lookup leading from a row of the model to a person: the model's subjects and
    the fields' own (`TARGET` aside)."""
    found = set(declaration.subjects)
    for declared in declaration.fields.values():
        if declared.subject is not None and declared.subject != TARGET:
            found.add(declared.subject)
    return found


def direct_pks(
    declaration: ModelData, identity: Identity, pks: Iterable[Any] | None = None
) -> set[Any]:
    """Rows (among `pks`) some lookup or email field of the declaration ties to the person."""
    model = model_of(declaration)
    pk_list = None if pks is None else list(pks)
    found: set[Any] = set()
    for lookup in lookups_of(declaration):
        found |= subject_pks(model, lookup, identity.user_id, pk_list)
    return found | email_pks(declaration, identity.addresses, pk_list)


def person_keys(identity: Identity) -> frozenset[RowKey]:
    """Every row of the data map tied to the person by a lookup or an address, as keys
    (the rows a generic target may name)."""
    keys: set[RowKey] = {("accounts.user", str(identity.user_id))}
    for declaration in declarations():
        if declaration.generic_target is not None:
            continue  # a log names rows; nothing names a log entry
        label = declaration.model.lower()
        keys |= {(label, str(pk)) for pk in direct_pks(declaration, identity)}
    return frozenset(keys)


def rows_about(declaration: ModelData, identity: Identity) -> set[Any]:
    """Primary keys of the declaration's rows about the person: through a lookup, an email
    field, or a generic target naming one of their rows."""
    found = direct_pks(declaration, identity)
    if declaration.generic_target is not None:
        found |= target_pks(declaration, identity.keys)
    return found


# --- Erasure requests ---------------------------------------------------------------


def organizations_holding(person: User) -> QuerySet[Organization]:
    """The organisations holding the person's data: their memberships, their
    applications' organisations and the owners of the programs they applied to."""
    member_of = Membership.objects.filter(user=person).values("organization_id")
    applied_with = Application.objects.filter(user=person).values("organization_id")
    owners = Application.objects.filter(user=person).values("edition__program__organization_id")
    return Organization.objects.filter(
        Q(pk__in=member_of) | Q(pk__in=applied_with) | Q(pk__in=owners)
    ).order_by("name")


def pending_request_of(person: User) -> ErasureRequest | None:
    """The person's pending request, if any."""
    return ErasureRequest.objects.filter(person=person, status=ErasureStatus.PENDING).first()


def latest_request_of(person: User) -> ErasureRequest | None:
    """The person's most recent request, if any."""
    return ErasureRequest.objects.filter(person=person).order_by("-requested_at", "-pk").first()


def requests_for_organization(organization: Organization) -> QuerySet[ErasureRequest]:
    """The requests the organisation handles: pending ones first, by deadline."""
    return (
        ErasureRequest.objects.filter(organizations=organization)
        .select_related("person", "decided_by")
        .annotate(
            is_open=models.Case(
                models.When(status=ErasureStatus.PENDING, then=0),
                default=1,
                output_field=models.IntegerField(),
            )
        )
        .order_by("is_open", "deadline", "pk")
    )


@dataclass(frozen=True)
class KeepReason:
    """A reason the organisation may have to keep some data, or to wait: `count` things
    described by `text`."""

    code: str
    text: str
    count: int


def reasons_to_keep(person: User, organization: Organization) -> list[KeepReason]:
    """What in the organisation's programs may justify keeping data or waiting before
    erasing: pairs still running, guardian consents awaited, applications still open,
    pending mentor requests. Only the organisation's own programs and people count, so
    that nothing of another organisation shows."""
    in_org = Q(edition__program__organization=organization) | Q(organization=organization)
    applications = Application.objects.filter(in_org, user=person)
    running = (
        Mentorship.objects.filter(status=MentorshipStatus.ACTIVE)
        .filter(
            Q(mentor_application__in=applications.values("pk"))
            | Q(mentee_application__in=applications.values("pk"))
        )
        .count()
    )
    consents = applications.filter(status=ApplicationStatus.AWAITING_GUARDIAN_CONSENT).count()
    open_ = applications.filter(status__in=DECIDABLE).count()
    requests = MentorRequest.objects.filter(
        Q(mentee__in=applications.values("pk")) | Q(mentor__in=applications.values("pk")),
        status=RequestStatus.PENDING,
    ).count()
    found = [
        KeepReason(
            "running_pair",
            ngettext(
                "%(count)d mentoring pair is still running: erasing ends it.",
                "%(count)d mentoring pairs are still running: erasing ends them.",
                running,
            )
            % {"count": running},
            running,
        ),
        KeepReason(
            "guardian_consent",
            ngettext(
                "%(count)d application is waiting for a guardian's consent.",
                "%(count)d applications are waiting for a guardian's consent.",
                consents,
            )
            % {"count": consents},
            consents,
        ),
        KeepReason(
            "open_application",
            ngettext(
                "%(count)d application is still open: erasing withdraws it.",
                "%(count)d applications are still open: erasing withdraws them.",
                open_,
            )
            % {"count": open_},
            open_,
        ),
        KeepReason(
            "pending_request",
            ngettext(
                "%(count)d mentor request is waiting for an answer: erasing cancels it.",
                "%(count)d mentor requests are waiting for an answer: erasing cancels them.",
                requests,
            )
            % {"count": requests},
            requests,
        ),
    ]
    return [reason for reason in found if reason.count]


def erased_email(user_id: int) -> str:
    """The non-deliverable address an erased account keeps (`erase_person`)."""
    return f"erased-{user_id}@invalid"


def erased_accounts() -> Q:
    """Accounts `erase_person` has closed: inactive, with the address `erased_email`
    gives them (the retention clean-up skips them)."""
    return Q(is_active=False, email__startswith="erased-", email__endswith="@invalid")
