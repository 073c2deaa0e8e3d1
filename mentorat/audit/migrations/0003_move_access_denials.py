"""Move the refusals of outsiders out of the organisations' audit logs.

Until now `access.*.denied` entries were written to the log of the organisation whose
page was asked for, with the email of the person asking (often a minor, often outside
the organisation). Each becomes a `SecurityEvent` under the account's pseudonym — at
most the live rate limit per account and window, so a past flood is not carried over —
and the entry is deleted. Entries whose account no longer exists are only deleted:
they can no longer be pseudonymised. Not reversible: the emails are gone on purpose.
"""

from django.conf import settings
from django.db import migrations
from django.utils.crypto import salted_hmac

# Frozen copies of mentorat.audit.pseudonyms and the services' defaults, so that later
# changes there cannot change what this migration did.
_SALT = "mentorat.audit.SecurityEvent.user_pseudonym"
_LENGTH = 32
_BATCH = 1000


def _pseudonym(user_id):
    return salted_hmac(_SALT, str(user_id), algorithm="sha256").hexdigest()[:_LENGTH]


def move_access_denials(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    SecurityEvent = apps.get_model("audit", "SecurityEvent")
    limit = int(getattr(settings, "SECURITY_EVENT_RATE_LIMIT", 20))
    window = int(getattr(settings, "SECURITY_EVENT_RATE_WINDOW", 3600))
    denials = AuditEntry.objects.filter(action__startswith="access.")
    rows = (
        denials.filter(actor__isnull=False)
        .order_by("actor_id", "created_at", "id")
        .values_list("actor_id", "action", "target_type", "target_id", "created_at")
    )
    current_actor, pseudonym, per_window, batch = None, "", {}, []
    for actor_id, action, target_type, target_id, created_at in rows.iterator(
        chunk_size=_BATCH
    ):
        if actor_id != current_actor:  # rows come grouped by account
            current_actor, pseudonym, per_window = actor_id, _pseudonym(actor_id), {}
        window_start = int(created_at.timestamp() // window)
        per_window[window_start] = per_window.get(window_start, 0) + 1
        if per_window[window_start] > limit:
            continue
        batch.append(
            SecurityEvent(
                created_at=created_at,
                user_pseudonym=pseudonym,
                kind=action,
                target_type=target_type,
                target_id=target_id,
            )
        )
        if len(batch) >= _BATCH:
            SecurityEvent.objects.bulk_create(batch)
            batch = []
    SecurityEvent.objects.bulk_create(batch)
    denials.delete()


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_securityevent")]

    operations = [
        migrations.RunPython(move_access_denials, migrations.RunPython.noop, elidable=True)
    ]
