"""Row-level checks of a parsed file: every problem of every row, each message naming the
line and the column, and what the import would do with the valid rows.

Pure functions: the database state they need (people already known, their applications,
pending invitations) comes in a `Snapshot` that the services read in a few queries."""

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from datetime import date
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mentorat.applications.imports.columns import BY_CODE, Column, Kind, loose_key, text_key
from mentorat.applications.imports.parsing import Row, Table
from mentorat.applications.models import ApplicationStatus
from mentorat.lib.errors import DomainError
from mentorat.participants.models import Gender, Goal, Language, PriorityGroup
from mentorat.participants.services import ProfileData, check_profile_data, sensitive_values
from mentorat.programs.models import ParticipantRole
from mentorat.reference.regions import REGIONS
from mentorat.reference.rome import ROME_DOMAINS

MAX_SKILLS = 30
# Statuses an import may set, and those of existing applications it may change.
IMPORTABLE_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.WAITLISTED,
    ApplicationStatus.ACCEPTED,
)
UPDATABLE_STATUSES = (*IMPORTABLE_STATUSES, ApplicationStatus.INFO_REQUESTED)
# An import moves applications forward only: a decision taken on the platform is not
# undone by importing the original list again.
_PROGRESS = {
    ApplicationStatus.SUBMITTED: 0,
    ApplicationStatus.INFO_REQUESTED: 0,
    ApplicationStatus.WAITLISTED: 1,
    ApplicationStatus.ACCEPTED: 2,
}
# "é" read with the wrong encoding shows as "Ã©", "’" as "â€™".
_GARBLED = re.compile(r"Ã[\u0080-\u00bf\u0152-\u2122]|â€[\u0080-\u2122]")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_YEAR_FIRST = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_LIST_SEPARATORS = re.compile(r"[;|\n]")


class Action(StrEnum):
    """What importing a row does. CREATE and ENROLL look the same to the importer: the
    preview must not tell whether an address is unknown or has a record elsewhere."""

    CREATE = "create"  # new person on the platform
    # Someone whose record the importer may not change and does not know (an account or
    # a record of another organisation): enrolled and invited, their details untouched.
    ENROLL = "enroll"
    UPDATE = "update"  # unclaimed record the importer's organisation owns: details updated
    # Known to the importer (their member, or their application is in the edition) but
    # not theirs to change (an account holder, or a record of another organisation).
    APPLICATION_ONLY = "application_only"
    SKIP = "skip"  # application closed (withdrawn, declined…): left alone


@dataclass(frozen=True)
class KnownPerson:
    """A person of the file who is on the platform, as the importer may see them (see
    `mentorat.permissions.people`)."""

    user_id: int
    # Has signed in or set a password: their name and profile are theirs to edit.
    claimed: bool
    # An unclaimed record owned by one of the importer's organisations: they may update it.
    managed: bool = False
    # A member of an organisation where the importer is staff: already in their lists.
    member: bool = False


@dataclass(frozen=True)
class KnownApplication:
    pk: int
    status: str
    role: str
    organization_id: int | None


@dataclass
class Snapshot:
    """What the database already holds about the people of a file."""

    people: dict[str, KnownPerson] = field(default_factory=dict)
    applications: dict[int, KnownApplication] = field(default_factory=dict)  # by user id
    pending_invitations: set[tuple[str, int, str]] = field(default_factory=set)


@dataclass(frozen=True)
class Rules:
    """Who imports, into what: allowed organisations by id, the default one, the role
    given to rows without one, the organisations whose existing applications the
    importer may update (None: all) and whether they may set decided statuses."""

    organizations: dict[int, str]
    organization_slugs: dict[int, str]
    default_organization_id: int
    default_role: str = ""
    scope: frozenset[int] | None = None
    may_decide: bool = True


@dataclass
class RowResult:
    line: int
    email: str
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    action: Action = Action.CREATE
    first_name: str = ""
    last_name: str = ""
    language: str = ""
    role: str = ""
    status: str = ""
    organization_id: int = 0
    profile: ProfileData = field(default_factory=ProfileData)
    invite: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Report:
    rows: list[RowResult]
    ignored_columns: list[str]
    columns: list[Column]

    @property
    def error_rows(self) -> list[RowResult]:
        return [r for r in self.rows if r.errors]

    @property
    def ok_rows(self) -> list[RowResult]:
        return [r for r in self.rows if not r.errors]

    def count(self, action: Action) -> int:
        return sum(1 for r in self.rows if r.ok and r.action == action)

    @property
    def invitations(self) -> int:
        return sum(1 for r in self.rows if r.ok and r.invite)


# Vocabularies ----------------------------------------------------------------------------------


class Vocabulary:
    """Accepted spellings of coded values: codes, labels in every interface language
    (and the masculine form of inclusive ones, "Boursier·ère" → "boursier") and
    synonyms. Exact spelling wins; without accents only when that is unambiguous
    ("mentore" is a mentor, "mentoré" a mentee)."""

    def __init__(
        self,
        choices: Callable[[], Iterable[tuple[str, object]]],
        synonyms: dict[str, Iterable[str]] | None = None,
    ) -> None:
        self.exact: dict[str, str] = {}
        loose: dict[str, set[str]] = {}
        spellings: list[tuple[str, str]] = []
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                for code, label in choices():
                    spellings += [(code, code), (str(label), code)]
                    spellings.append((re.sub(r"·\w+", "", str(label)), code))
        for code, words in (synonyms or {}).items():
            spellings += [(word, code) for word in words]
        for spelling, code in spellings:
            self.exact.setdefault(text_key(spelling), code)
            loose.setdefault(loose_key(spelling), set()).add(code)
        self.loose = {key: codes.pop() for key, codes in loose.items() if len(codes) == 1}
        self._choices = choices

    def find(self, value: str) -> str | None:
        return self.exact.get(text_key(value)) or self.loose.get(loose_key(value))

    def labels(self) -> list[str]:
        """Labels in the current language."""
        return [str(label) for _code, label in self._choices()]

    def label(self, code: str) -> str:
        return next((str(label) for c, label in self._choices() if c == code), code)

    def examples(self) -> str:
        labels = self.labels()
        shown = ", ".join(labels[:8])
        return f"{shown}…" if len(labels) > 8 else shown


@functools.cache
def vocabularies() -> dict[str, Vocabulary]:
    """The vocabularies of the coded columns (built once: they hold every language)."""
    return {
        "role": Vocabulary(
            lambda: ParticipantRole.choices,
            {
                ParticipantRole.MENTOR: ("mentore", "mentors", "parrain", "marraine"),
                ParticipantRole.MENTEE: ("mentoré", "mentorée", "mentees", "filleul", "filleule"),
            },
        ),
        "status": Vocabulary(
            lambda: [(s.value, s.label) for s in IMPORTABLE_STATUSES],
            {
                ApplicationStatus.SUBMITTED: ("soumis", "soumise", "déposée", "candidat"),
                ApplicationStatus.WAITLISTED: ("en attente", "liste d'attente", "waiting list"),
                ApplicationStatus.ACCEPTED: ("accepté", "acceptée", "retenu", "retenue", "admis"),
            },
        ),
        "language": Vocabulary(
            lambda: [("fr", _("French")), ("en", _("English"))],
            {"fr": ("français", "francais", "fra"), "en": ("anglais", "eng")},
        ),
        "gender": Vocabulary(
            lambda: [(c, label) for c, label in Gender.choices if c != Gender.SELF_DESCRIBED],
            {
                Gender.WOMAN: ("f", "femme", "female", "mme", "madame"),
                Gender.MAN: ("h", "m", "homme", "male", "m.", "monsieur"),
                Gender.NON_BINARY: ("nb", "non binaire", "non-binaire"),
            },
        ),
        "rome_domain": Vocabulary(lambda: ROME_DOMAINS),
        "region": Vocabulary(lambda: REGIONS),
        "goals": Vocabulary(lambda: Goal.choices),
        "languages": Vocabulary(
            lambda: Language.choices,
            {"fr": ("français", "francais"), "en": ("anglais",), "fsl": ("lsf",)},
        ),
        "priority_groups": Vocabulary(
            lambda: PriorityGroup.choices,
            {
                PriorityGroup.SCHOLARSHIP_HOLDER: ("boursier", "boursière"),
                PriorityGroup.JOBSEEKER: ("demandeur d'emploi", "demandeuse d'emploi"),
                PriorityGroup.PRIORITY_NEIGHBOURHOOD: ("qpv",),
                PriorityGroup.DISABILITY: ("rqth", "handicap"),
                PriorityGroup.VOCATIONAL_PUPIL: ("lycéen professionnel", "lycée professionnel"),
            },
        ),
    }


_PROFILE_FIELDS = {f.name for f in fields(ProfileData)}
_YES = {"yes", "y", "oui", "o", "true", "vrai", "1", "x"}
_NO = {"no", "n", "non", "false", "faux", "0"}


# Checking ------------------------------------------------------------------------------------


class _CellError(Exception):
    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def check_table(*, table: Table, rules: Rules, snapshot: Snapshot) -> Report:
    """Check every row and decide what importing it would do."""
    context = _FileContext(
        table=table,
        rules=rules,
        snapshot=snapshot,
        vocabs=vocabularies(),
        organizations=_organization_lookup(rules),
    )
    first_line_of: dict[str, int] = {}
    results: list[RowResult] = []
    for row in table.rows:
        result = _check_row(row, context)
        if result.email:
            earlier = first_line_of.setdefault(result.email, row.line)
            if earlier != row.line:
                result.errors.append(
                    _cell_message(
                        row.line,
                        table,
                        "email",
                        _("“%(value)s” already appears on line %(line)s.")
                        % {"value": result.email, "line": earlier},
                    )
                )
        results.append(result)
    return Report(rows=results, ignored_columns=table.ignored, columns=table.columns)


def _organization_lookup(rules: Rules) -> dict[str, int]:
    lookup: dict[str, int] = {}
    for pk, name in rules.organizations.items():
        lookup[text_key(name)] = pk
        lookup[loose_key(name)] = pk
        slug = rules.organization_slugs.get(pk, "")
        if slug:
            lookup[text_key(slug)] = pk
            lookup[loose_key(slug)] = pk
    return lookup


def _cell_message(line: int, table: Table, code: str, problem: str) -> str:
    return _("Line %(line)s, column %(column)s: %(problem)s") % {
        "line": line,
        "column": table.headers.get(code, code),
        "problem": problem,
    }


def _line_message(line: int, problem: str) -> str:
    return _("Line %(line)s: %(problem)s") % {"line": line, "problem": problem}


@dataclass(frozen=True)
class _FileContext:
    """What every row of a file is checked against."""

    table: Table
    rules: Rules
    snapshot: Snapshot
    vocabs: dict[str, Vocabulary]
    organizations: dict[str, int]  # organisation names and slugs (normalised) to ids


@dataclass
class _RowCheck:
    """One row being checked: its cells, the values cleaned so far and the result."""

    row: Row
    table: Table
    result: RowResult
    values: dict[str, object] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)  # columns already reported, not twice

    def cell_error(self, code: str, problem: str) -> None:
        self.result.errors.append(_cell_message(self.row.line, self.table, code, problem))

    def line_error(self, problem: str) -> None:
        self.result.errors.append(_line_message(self.row.line, problem))


def _check_row(row: Row, context: _FileContext) -> RowResult:
    rules, snapshot = context.rules, context.snapshot
    check = _RowCheck(row=row, table=context.table, result=RowResult(line=row.line, email=""))
    if not _check_shape(check):
        return check.result
    _clean_cells(check, context)
    email = _check_email(check)
    if email is None:
        return check.result
    person = snapshot.people.get(email)
    application = snapshot.applications.get(person.user_id) if person else None
    _check_identity(check, person, application)
    _check_role(check, rules, application)
    _check_status(check, rules, application)
    _check_existing_application(check, rules, application)
    _choose_organization(check, rules, application, person)
    _check_profile(check)
    _plan_invitation(check, snapshot, email)
    return check.result


def _check_shape(check: _RowCheck) -> bool:
    """Report a line with more values than columns; False (stop checking the row) when
    its values are not split by the file's separator."""
    row, table = check.row, check.table
    if row.overflow:
        check.line_error(
            _(
                "this line has more values than there are column names; check the "
                "separator and the quotation marks."
            )
        )
    elif table.separator and row.read == 1 and len(table.columns) > 1:
        lone = next((v for v in row.cells.values() if v), "")
        if any(s in lone for s in (";", ",", "\t")):
            check.line_error(
                _("the values are not separated like the column names (%(separator)s).")
                % {"separator": table.separator_label}
            )
            return False
    return True


def _clean_cells(check: _RowCheck, context: _FileContext) -> None:
    for code, raw in check.row.cells.items():
        if not raw:
            continue
        try:
            check.values[code] = _clean(BY_CODE[code], raw, context)
        except _CellError as error:
            check.cell_error(code, error.problem)
            check.failed.add(code)


def _check_email(check: _RowCheck) -> str | None:
    """The row's valid address, or None (the row can be checked no further)."""
    email = check.values.get("email")
    result = check.result
    result.email = email if isinstance(email, str) else check.row.cells.get("email", "").lower()
    if not check.row.cells.get("email"):
        check.cell_error("email", _("this value is required."))
        result.email = ""
    return email if isinstance(email, str) else None


def _check_identity(
    check: _RowCheck, person: KnownPerson | None, application: KnownApplication | None
) -> None:
    """Name and language, and what the import may change about the person."""
    result = check.result
    result.first_name = _text(check.values.get("first_name"))
    result.last_name = _text(check.values.get("last_name"))
    result.language = _text(check.values.get("language"))
    if person is None or _unknown_to_importer(person, application):
        # Whether the address has a record elsewhere must not show: same checks, same
        # notes, same invitation as for an address new to the platform.
        result.action = Action.CREATE if person is None else Action.ENROLL
        _require_names(check)
    elif person.managed:
        result.action = Action.UPDATE
    else:
        result.action = Action.APPLICATION_ONLY
        if person.claimed and person.member:
            result.notes.append(_("Has an account: their own details stay as they wrote them."))
        else:
            result.notes.append(_("Their details stay as they are: only the application changes."))


def _require_names(check: _RowCheck) -> None:
    for code in ("first_name", "last_name"):
        if code in check.values or code in check.failed:
            continue
        if code in check.table.codes:
            check.cell_error(code, _("this value is required for people new to your organisation."))
        else:
            check.line_error(
                _("the column “%(column)s” is needed to add people new to your organisation.")
                % {"column": code}
            )


def _check_role(check: _RowCheck, rules: Rules, application: KnownApplication | None) -> None:
    role = _text(check.values.get("role")) or (application.role if application else "")
    role = role or rules.default_role
    if not role and "role" not in check.failed:
        if "role" in check.table.codes:
            check.cell_error("role", _("this value is required (mentor or mentee)."))
        else:
            check.line_error(
                _("the role is missing: add a “role” column or choose a role for the file.")
            )
    check.result.role = role


def _check_status(check: _RowCheck, rules: Rules, application: KnownApplication | None) -> None:
    """Only coordinators set decided statuses; an application never goes back a step."""
    result = check.result
    status = _text(check.values.get("status"))
    if status and status != ApplicationStatus.SUBMITTED and not rules.may_decide:
        check.cell_error(
            "status",
            _(
                "only the program's coordinators can import accepted or waiting-list "
                "applications; leave this column empty."
            ),
        )
    result.status = status
    if application is not None and status and application.status in _PROGRESS:
        current = ApplicationStatus(application.status)
        if _PROGRESS[ApplicationStatus(status)] <= _PROGRESS[current]:
            result.status = ""
            if status != current:
                result.notes.append(
                    _("Status kept: the application is already %(status)s.")
                    % {"status": current.label.lower()}
                )


def _check_existing_application(
    check: _RowCheck, rules: Rules, application: KnownApplication | None
) -> None:
    """Another organisation's application is not the importer's; a closed one is left."""
    if application is None:
        return
    if rules.scope is not None and application.organization_id not in rules.scope:
        check.line_error(
            _(
                "this person is already registered in this edition by another "
                "organisation; ask the program's coordinators."
            )
        )
    if application.status not in UPDATABLE_STATUSES:
        result = check.result
        result.action = Action.SKIP
        result.notes = [
            _("Left as it is: the application is %(status)s.")
            % {"status": ApplicationStatus(application.status).label.lower()}
        ]


def _choose_organization(
    check: _RowCheck,
    rules: Rules,
    application: KnownApplication | None,
    person: KnownPerson | None,
) -> None:
    """The file's organisation, else the existing application's, else the default. The
    organisation of an unclaimed person's application is who owns their record
    (`mentorat.permissions.people`): only those who may change the person may move it."""
    organization_id = check.values.get("organization")
    if (
        isinstance(organization_id, int)
        and application is not None
        and application.organization_id != organization_id
        and person is not None
        and not (person.claimed or person.managed)
    ):
        check.line_error(
            _(
                "this application belongs to another organisation; only its coordinators "
                "can move it to another organisation."
            )
        )
    elif isinstance(organization_id, int):
        check.result.organization_id = organization_id
    elif application is not None and application.organization_id is not None:
        check.result.organization_id = application.organization_id
    else:
        check.result.organization_id = rules.default_organization_id


def _check_profile(check: _RowCheck) -> None:
    """Only the given cells, checked by the participants' own rules too."""
    result = check.result
    result.profile = ProfileData(
        **{code: value for code, value in check.values.items() if code in _PROFILE_FIELDS}  # type: ignore[arg-type]
    )
    if not result.errors:
        try:
            check_profile_data(result.profile)
        except DomainError as error:
            check.line_error(error.message)


def _plan_invitation(check: _RowCheck, snapshot: Snapshot, email: str) -> None:
    """Invite people the import adds or updates, unless an invitation is pending."""
    result = check.result
    if result.action in (Action.CREATE, Action.ENROLL, Action.UPDATE) and not result.errors:
        key = (email, result.organization_id, result.role)
        result.invite = key not in snapshot.pending_invitations
        if result.invite:
            result.notes.append(_("An invitation will be emailed."))


def _unknown_to_importer(person: KnownPerson, application: KnownApplication | None) -> bool:
    """The importer neither owns this record nor already sees the person (as a member of
    their organisation or through an application to this edition)."""
    return not (person.managed or person.member or application is not None)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _clean(column: Column, raw: str, context: _FileContext) -> object:
    """The cell's value as the import stores it, or a _CellError saying what is wrong."""
    _check_raw(column, raw)
    if column.code == "organization":
        return _organization(raw, context.organizations, context.rules)
    if column.kind == Kind.CHOICE:
        return _choice(raw, context.vocabs[column.code])
    if column.kind == Kind.CHOICES:
        codes = _choices(raw, context.vocabs[column.code])
        if column.code == "priority_groups":
            _refuse_sensitive(codes, context.vocabs[column.code])
        return codes
    return _PARSERS[column.kind](raw)


def _check_raw(column: Column, raw: str) -> None:
    if _GARBLED.search(raw):
        raise _CellError(
            _("“%(value)s” looks garbled (é shown as Ã©): save the file again as “CSV UTF-8”.")
            % {"value": raw}
        )
    if len(raw) > column.max_length and column.kind not in (Kind.CHOICES, Kind.NAMES):
        raise _CellError(
            _("at most %(n)s characters (this value has %(count)s).")
            % {"n": column.max_length, "count": len(raw)}
        )


def _organization(raw: str, organizations: dict[str, int], rules: Rules) -> int:
    found = organizations.get(text_key(raw)) or organizations.get(loose_key(raw))
    if found is None:
        names = ", ".join(rules.organizations.values())
        raise _CellError(
            _("“%(value)s” is not an organisation you can import people for (%(names)s).")
            % {"value": raw, "names": names}
        )
    return found


def _email(raw: str) -> str:
    email = raw.lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise _CellError(_("“%(value)s” is not a valid email address.") % {"value": raw}) from exc
    return email


def _text_as_is(raw: str) -> str:
    return raw


def _number(raw: str) -> int:
    try:
        number = int(raw)
    except ValueError as exc:
        raise _CellError(_("“%(value)s” is not a whole number.") % {"value": raw}) from exc
    if not 0 <= number <= 70:
        raise _CellError(_("enter a number from 0 to 70."))
    return number


def _yes_no(raw: str) -> bool:
    word = loose_key(raw)
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise _CellError(_("“%(value)s”: answer yes or no.") % {"value": raw})


def _choice(raw: str, vocabulary: Vocabulary) -> str:
    code = vocabulary.find(raw)
    if code is None:
        raise _unknown(raw, vocabulary)
    return code


def _choices(raw: str, vocabulary: Vocabulary) -> list[str]:
    codes: list[str] = []
    for part in _split(raw):
        code = vocabulary.find(part)
        if code is None and "," in part:
            sub = [vocabulary.find(p) for p in part.split(",") if p.strip()]
            if all(sub):
                codes += [c for c in sub if c]
                continue
        if code is None:
            raise _unknown(part, vocabulary)
        codes.append(code)
    return list(dict.fromkeys(codes))


def _refuse_sensitive(codes: list[str], vocabulary: Vocabulary) -> None:
    """A file cannot carry a person's explicit consent: sensitive data (GDPR Art. 9) are
    given by the person on their own profile (`mentorat.participants.services`)."""
    sensitive = sensitive_values(codes)
    if sensitive:
        raise _CellError(
            _(
                "“%(value)s” is health data: only the person can give it, with their "
                "explicit consent, on their profile. Remove it from the file."
            )
            % {"value": vocabulary.label(sensitive[0])}
        )


def _names(raw: str) -> list[str]:
    skills = list(dict.fromkeys(n.strip() for p in _split(raw) for n in p.split(",") if n.strip()))
    if len(skills) > MAX_SKILLS:
        raise _CellError(_("at most %(n)s skills.") % {"n": MAX_SKILLS})
    too_long = next((n for n in skills if len(n) > 100), None)
    if too_long:
        raise _CellError(
            _("“%(value)s”: a skill name has at most 100 characters.") % {"value": too_long[:40]}
        )
    return skills


def _split(raw: str) -> list[str]:
    return [p.strip() for p in _LIST_SEPARATORS.split(raw) if p.strip()]


def _unknown(value: str, vocabulary: Vocabulary) -> _CellError:
    return _CellError(
        _("“%(value)s” is not an accepted value (for example: %(examples)s).")
        % {"value": value, "examples": vocabulary.examples()}
    )


def _date(raw: str) -> date:
    problem = _CellError(
        _("“%(value)s” is not a valid date; write it as 14/03/2006 or 2006-03-14.") % {"value": raw}
    )
    match = _DAY_FIRST.match(raw)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _YEAR_FIRST.match(raw)
        if not match:
            raise problem
        year, month, day = (int(g) for g in match.groups())
    try:
        value = date(year, month, day)
    except ValueError as exc:
        raise problem from exc
    if not date(1900, 1, 1) <= value <= timezone.localdate():
        raise _CellError(_("“%(value)s”: this date is not possible.") % {"value": raw})
    return value


# Values of the other kinds of column (choices and organisations need more than the cell).
_PARSERS: dict[Kind, Callable[[str], object]] = {
    Kind.TEXT: _text_as_is,
    Kind.EMAIL: _email,
    Kind.DATE: _date,
    Kind.NUMBER: _number,
    Kind.YES_NO: _yes_no,
    Kind.NAMES: _names,
}
