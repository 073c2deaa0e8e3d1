"""Writes on people and their profiles, one person at a time: the profile and application
forms go through `update_profile`. The bulk import (`mentorat.applications.imports`)
writes in bulk instead, with the same checks: `check_profile_data` here and
`managed_person_ids` from `mentorat.permissions.people`.

Who may change a person's data is decided by `mentorat.permissions.people`: the person
themselves, and for a record nobody has claimed yet, the staff of the organisation that
owns it. Both services apply it to their `actor` (None: the platform itself, e.g. the
demo loader or a management command)."""

from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models.functions import Lower
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorat.accounts.models import User
from mentorat.audit.services import record
from mentorat.lib.errors import DomainError
from mentorat.participants.consent_texts import current_text
from mentorat.participants.models import (
    AVAILABILITY_SLOTS,
    Gender,
    Goal,
    Language,
    PriorityGroup,
    Profile,
    SensitiveDataConsent,
    SensitiveDataKind,
    Skill,
    SkillKind,
)
from mentorat.permissions.people import can_change_person
from mentorat.reference.regions import REGION_NAMES
from mentorat.reference.rome import ROME_DOMAINS

_LIST_CODES: dict[str, set[str]] = {
    "goals": set(Goal.values),
    "languages": set(Language.values),
    "availability": {code for code, _label in AVAILABILITY_SLOTS},
    "priority_groups": set(PriorityGroup.values),
}
_ROME_CODES = {code for code, _label in ROME_DOMAINS}


@dataclass
class ProfileData:
    """Profile values to write. `None` means "leave as it is", so that an import with a
    few columns updates only those columns. Skills are given by name; unknown names are
    added to the vocabulary as free (non-curated) skills."""

    field: str | None = None
    occupation: str | None = None
    target_occupation: str | None = None
    rome_domain: str | None = None
    region: str | None = None
    years_of_experience: int | None = None
    goals: list[str] | None = None
    languages: list[str] | None = None
    remote_ok: bool | None = None
    availability: list[str] | None = None
    birth_date: date | None = None
    gender: str | None = None
    gender_self_description: str | None = None
    prefers_same_gender_mentor: bool | None = None
    prefers_career_changer_mentor: bool | None = None
    changed_careers: bool | None = None
    priority_groups: list[str] | None = None
    skills_offered: list[str] | None = None
    skills_wanted: list[str] | None = None
    # The kinds of sensitive data (`SensitiveDataKind`) the person explicitly consents
    # to by ticking the consent boxes of a form; None when no consent box was shown
    # (an import, a program): then only consents already given cover sensitive values.
    sensitive_consents: list[str] | None = None

    def given(self) -> dict[str, Any]:
        """The profile values to write (consents excluded), by field name."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if getattr(self, f.name) is not None and f.name != "sensitive_consents"
        }


def check_profile_data(data: ProfileData) -> None:
    """Raise DomainError naming the first field whose value is not allowed."""
    values = data.given()
    if values.get("rome_domain") and values["rome_domain"] not in _ROME_CODES:
        raise DomainError(
            _("Occupation domain: unknown value “%(value)s”.") % {"value": values["rome_domain"]}
        )
    if values.get("region") and values["region"] not in REGION_NAMES:
        raise DomainError(_("Region: unknown value “%(value)s”.") % {"value": values["region"]})
    if values.get("gender") and values["gender"] not in Gender.values:
        raise DomainError(_("Gender: unknown value “%(value)s”.") % {"value": values["gender"]})
    labels = {
        "goals": _("Goals"),
        "languages": _("Languages"),
        "availability": _("Weekly availability"),
        "priority_groups": _("Priority groups"),
    }
    for name, allowed in _LIST_CODES.items():
        unknown = [v for v in values.get(name, []) if v not in allowed]
        if unknown:
            raise DomainError(
                _("%(field)s: unknown value “%(value)s”.")
                % {"field": labels[name], "value": unknown[0]}
            )
    birth_date = values.get("birth_date")
    if birth_date is not None and not (date(1900, 1, 1) <= birth_date <= timezone.localdate()):
        raise DomainError(_("Date of birth: this date is not possible."))
    years = values.get("years_of_experience")
    if years is not None and not 0 <= years <= 70:
        raise DomainError(_("Years of professional experience: enter a number from 0 to 70."))


def skills_by_name(names: list[str]) -> list[Skill]:
    """The skills with these names (case-insensitive), adding unknown ones as free skills."""
    wanted = list(dict.fromkeys(n.strip()[:100] for n in names if n.strip()))
    existing: dict[str, Skill] = {
        s.name.lower(): s
        for s in Skill.objects.annotate(lowered=Lower("name")).filter(
            lowered__in=[n.lower() for n in wanted]
        )
    }
    result: list[Skill] = []
    for name in wanted:
        found = existing.get(name.lower())
        if found is None:
            found = Skill.objects.create(name=name, kind=SkillKind.FIELD, is_curated=False)
            existing[name.lower()] = found
        result.append(found)
    return result


@transaction.atomic
def update_profile(*, user: User, data: ProfileData, actor: User | None = None) -> Profile:
    """Create or update `user`'s profile with the given values (see ProfileData).

    Raises DomainError if `actor` may not change `user`'s data (`can_change_person`):
    someone else's account, or a record another organisation owns. A record is owned
    from its first application or membership on: a caller that has just created the
    person gives them their application (`import_application`) before their profile.

    Sensitive priority groups (`SENSITIVE_PRIORITY_GROUPS`) are stored only under the
    person's own active consent: given now (`data.sensitive_consents`, with `actor` the
    person themself) or earlier; otherwise DomainError naming the field, and nothing is
    written. A sensitive value the person removes takes its consent with it
    (withdrawn), so that a value is in the profile exactly while its consent is active."""
    if actor is not None and not can_change_person(actor, user):
        raise DomainError(_("You cannot change this person's details."))
    check_profile_data(data)
    profile, created = Profile.objects.get_or_create(user=user)
    values = data.given()
    skills_offered = values.pop("skills_offered", None)
    skills_wanted = values.pop("skills_wanted", None)
    if "priority_groups" in values:
        _check_sensitive_consents(
            user=user,
            groups=values["priority_groups"],
            stated=data.sensitive_consents,
            actor=actor,
        )
    for name, value in values.items():
        setattr(profile, name, value)
    profile.save()
    if skills_offered is not None:
        profile.skills_offered.set(skills_by_name(skills_offered))
    if skills_wanted is not None:
        profile.skills_wanted.set(skills_by_name(skills_wanted))
    record(
        action="participants.profile.created" if created else "participants.profile.updated",
        actor=actor,
        target=profile,
        # Field names only: the audit log must not copy personal data such as gender.
        data={
            "fields": sorted(values)
            + [s for s in ("skills_offered", "skills_wanted") if s in data.given()]
        },
    )
    return profile


@transaction.atomic
def upsert_person(
    *,
    email: str,
    first_name: str = "",
    last_name: str = "",
    language: str = "",
    actor: User | None = None,
) -> tuple[User, bool]:
    """The person with this email (case-insensitive), created without a usable password
    if new; names and language are updated only when given and only if `actor` may
    change this person's data (`can_change_person`). Otherwise they are left as they are,
    silently, as the import does: an error would tell the caller that the address has
    a record elsewhere. Returns (user, created)."""
    email = email.strip().lower()
    if not email or "@" not in email:
        raise DomainError(_("Email address: “%(value)s” is not valid.") % {"value": email})
    if language and language not in {"fr", "en"}:
        raise DomainError(_("Language: unknown value “%(value)s”.") % {"value": language})
    user = User.objects.select_for_update().filter(email__iexact=email).first()
    created = user is None
    if user is None:
        user = User(email=email, language=language or "fr")
        user.set_unusable_password()
    elif actor is not None and not can_change_person(actor, user):
        return user, False
    changed = False
    for name, value in (
        ("first_name", first_name),
        ("last_name", last_name),
        ("language", language),
    ):
        if value and getattr(user, name) != value:
            setattr(user, name, value)
            changed = True
    if created or changed:
        user.save()
    if created:
        record(
            action="participants.person.created", actor=actor, target=user, data={"email": email}
        )
    return user, created


# Sensitive data (GDPR Art. 9) --------------------------------------------------------------


def _refused(kind: str, *, by_the_person: bool) -> DomainError:
    label = PriorityGroup(kind).label
    if by_the_person:
        return DomainError(
            _(
                "Priority groups: “%(value)s” is health data, kept only with your explicit "
                "consent: tick the consent box to give it, or untick it."
            )
            % {"value": label}
        )
    return DomainError(
        _(
            "Priority groups: “%(value)s” is health data that only the person can give, "
            "with their explicit consent, on their own profile."
        )
        % {"value": label}
    )


def _check_sensitive_consents(
    *, user: User, groups: list[str], stated: list[str] | None, actor: User | None
) -> None:
    """Give, keep or withdraw `user`'s consents so that they cover exactly the sensitive
    values of `groups`, or raise DomainError (see `update_profile`)."""
    by_the_person = actor is not None and actor.pk == user.pk
    active = {
        consent.kind: consent
        for consent in SensitiveDataConsent.objects.select_for_update().filter(
            user=user, withdrawn_at__isnull=True
        )
    }
    for kind in SensitiveDataKind.values:
        if kind not in groups:
            if kind in active:
                _close_consent(consent=active[kind], actor=actor)
            continue
        ticked = by_the_person and stated is not None and kind in stated
        # A form that showed the box and came back unticked is a refusal, even over an
        # earlier consent; without a box, only an earlier consent covers the value.
        if (stated is not None and not ticked) or (kind not in active and not ticked):
            raise _refused(kind, by_the_person=by_the_person)
        if kind not in active:
            _open_consent(user=user, kind=kind, actor=actor)


def _open_consent(
    *, user: User, kind: str, actor: User | None, request: HttpRequest | None = None
) -> SensitiveDataConsent:
    consent = SensitiveDataConsent.objects.create(
        user=user, kind=kind, text_version=current_text(kind).version, given_at=timezone.now()
    )
    record(
        action="participants.sensitive_consent.given",
        actor=actor,
        target=consent,
        # Neither the kind nor the value: the entry must not tell what the data are.
        data={"text_version": consent.text_version},
        request=request,
    )
    return consent


def _close_consent(
    *, consent: SensitiveDataConsent, actor: User | None, request: HttpRequest | None = None
) -> None:
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    record(
        action="participants.sensitive_consent.withdrawn",
        actor=actor,
        target=consent,
        data={"text_version": consent.text_version},
        request=request,
    )


@transaction.atomic
def withdraw_sensitive_consent(
    *, user: User, kind: str, actor: User | None, request: HttpRequest | None = None
) -> SensitiveDataConsent | None:
    """Withdraw `user`'s active consent to `kind` and remove that value from their
    profile in the same transaction, so that matching, reports and exports never see it
    again. (Applications keep no copy of the profile: removing it there is enough.)

    Only the person may withdraw (`actor` is `user`, or None for the platform itself).
    Returns the withdrawn consent, or None when none was active: withdrawing twice
    changes nothing."""
    if actor is not None and actor.pk != user.pk:
        raise DomainError(_("Only the person concerned can withdraw this consent."))
    if kind not in SensitiveDataKind.values:
        raise DomainError(_("Consent: unknown value “%(value)s”.") % {"value": kind})
    consent = (
        SensitiveDataConsent.objects.select_for_update()
        .filter(user=user, kind=kind, withdrawn_at__isnull=True)
        .first()
    )
    if consent is None:
        return None
    profile = Profile.objects.select_for_update().filter(user=user).first()
    if profile is not None and kind in profile.priority_groups:
        profile.priority_groups = [g for g in profile.priority_groups if g != kind]
        profile.save(update_fields=["priority_groups", "updated_at"])
    _close_consent(consent=consent, actor=actor, request=request)
    return consent


def sensitive_values(groups: list[str]) -> list[str]:
    """The sensitive values among priority group codes (for checks made without a
    person at hand, such as an imported file)."""
    return [group for group in groups if group in SensitiveDataKind.values]
