"""Sensitive priority groups stored before explicit consents were recorded have no
consent behind them (GDPR Art. 9.2.a): they are removed from the profiles. People who
want to give them again tick the consent box on their profile. Not reversible: what was
removed is not kept anywhere."""

from django.db import migrations

# The sensitive values at the time of this migration (SensitiveDataKind).
SENSITIVE = ("disability",)


def remove_unconsented(apps, schema_editor):  # type: ignore[no-untyped-def]
    Profile = apps.get_model("participants", "Profile")
    Consent = apps.get_model("participants", "SensitiveDataConsent")
    for profile in Profile.objects.only("pk", "user_id", "priority_groups").iterator():
        groups = list(profile.priority_groups or [])
        kept = [
            group
            for group in groups
            if group not in SENSITIVE
            or Consent.objects.filter(
                user_id=profile.user_id, kind=group, withdrawn_at__isnull=True
            ).exists()
        ]
        if kept != groups:
            profile.priority_groups = kept
            profile.save(update_fields=["priority_groups"])


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0003_sensitive_data_consent"),
    ]

    operations = [
        migrations.RunPython(remove_unconsented, migrations.RunPython.noop),
    ]
