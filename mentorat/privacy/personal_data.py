"""Personal data held by the libraries the platform uses (allauth, sessions, axes,
Django's admin and tasks), declared here since their apps are not ours."""

from mentorat.lib.personal_data import (
    Basis,
    Category,
    Erasure,
    ModelData,
    PersonalField,
    Purpose,
    link,
)

ACCOUNT = Purpose.ACCOUNT
SECURITY = Purpose.SECURITY
CONTRACT = Basis.CONTRACT
INTEREST = Basis.LEGITIMATE_INTEREST
# A closed account keeps none of these rows.
GONE_WITH_ACCOUNT = PersonalField(Category.TECHNICAL, ACCOUNT, CONTRACT, Erasure.DELETE_ROW)
SIGN_IN = PersonalField(Category.TECHNICAL, SECURITY, INTEREST, Erasure.DELETE_ROW)
AXES_TECHNICAL = {
    "http_accept": "the browser's Accept header",
    "path_info": "the sign-in page's path",
}

DATA_MAP: tuple[ModelData, ...] = (
    ModelData(
        model="account.EmailAddress",
        subjects=("user",),
        fields={
            "email": PersonalField(Category.CONTACT, ACCOUNT, CONTRACT, Erasure.DELETE_ROW),
        },
    ),
    ModelData(
        model="account.EmailConfirmation",
        subjects=("email_address__user",),
        fields={"key": GONE_WITH_ACCOUNT},
    ),
    ModelData(
        # The TOTP secret and the recovery codes of two-factor authentication.
        model="mfa.Authenticator",
        subjects=("user",),
        fields={"data": GONE_WITH_ACCOUNT},
        not_personal={"type": "the kind of second factor (a code)"},
    ),
    ModelData(
        # The session's data are signed and encoded: no relation leads to the account.
        # A closed account is inactive, so its sessions no longer sign anyone in, and
        # they expire with the idle timeout.
        model="sessions.Session",
        subjects=(),
        fields={"session_data": GONE_WITH_ACCOUNT},
        not_personal={"session_key": "a random key"},
    ),
    # Sign-in attempts, found by the address typed (`username`).
    ModelData(
        model="axes.AccessAttempt",
        subjects=(),
        email_fields=("username",),
        fields={
            "username": SIGN_IN,
            "ip_address": SIGN_IN,
            "user_agent": SIGN_IN,
            "get_data": SIGN_IN,
            "post_data": SIGN_IN,
        },
        not_personal=AXES_TECHNICAL,
    ),
    ModelData(
        model="axes.AccessLog",
        subjects=(),
        email_fields=("username",),
        fields={"username": SIGN_IN, "ip_address": SIGN_IN, "user_agent": SIGN_IN},
        not_personal=AXES_TECHNICAL | {"session_hash": "a digest of the session key"},
    ),
    ModelData(
        model="axes.AccessFailureLog",
        subjects=(),
        email_fields=("username",),
        fields={"username": SIGN_IN, "ip_address": SIGN_IN, "user_agent": SIGN_IN},
        not_personal=AXES_TECHNICAL,
    ),
    ModelData(
        # Django's admin history (platform admins only).
        model="admin.LogEntry",
        subjects=("user",),
        fields={
            "user": link("user", purpose=SECURITY, basis=INTEREST),
            # The changed object as text ("Jeanne Martin"), and what changed.
            "object_repr": PersonalField(Category.IDENTITY, SECURITY, INTEREST),
            "change_message": PersonalField(Category.TECHNICAL, SECURITY, INTEREST),
        },
        not_personal={"object_id": "a row id"},
    ),
)

TASKS_HOLD_IDS = "tasks take ids, never personal values"

NOT_PERSONAL_MODELS: dict[str, str] = {
    "auth.Permission": "Django's permission names",
    "auth.Group": "names of groups of permissions",
    "contenttypes.ContentType": "names of the models",
    "axes.AccessAttemptExpiration": "when a sign-in attempt record expires",
    # Arguments, results and tracebacks of background tasks: ids only (STYLE.md).
    "django_tasks_database.DBTaskResult": TASKS_HOLD_IDS,
}
