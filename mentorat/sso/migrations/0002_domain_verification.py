"""Email domains route and link accounts only once their control is proven (DNS TXT
record or a platform admin's approval). Domains added before, on the admin's word
alone, go back to pending with a token of their own: they must be proven again."""

import secrets

from django.db import migrations, models


def back_to_pending(apps, schema_editor):
    EmailDomain = apps.get_model("sso", "EmailDomain")
    for email_domain in EmailDomain.objects.all():
        email_domain.token = secrets.token_hex(16)
        email_domain.status = "pending"
        email_domain.verified_at = None
        email_domain.save(update_fields=["token", "status", "verified_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("sso", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="emaildomain",
            name="domain",
            field=models.CharField(max_length=253, verbose_name="email domain"),
        ),
        migrations.AlterField(
            model_name="emaildomain",
            name="verified_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="verified at"),
        ),
        migrations.AddField(
            model_name="emaildomain",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "waiting for proof"),
                    ("verified", "verified"),
                    ("failed", "check failed"),
                ],
                default="pending",
                max_length=16,
                verbose_name="status",
            ),
        ),
        migrations.AddField(
            model_name="emaildomain",
            name="token",
            field=models.CharField(
                default="", editable=False, max_length=64, verbose_name="verification token"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="emaildomain",
            name="method",
            field=models.CharField(
                blank=True,
                choices=[("dns", "DNS record"), ("platform_admin", "approved by a platform admin")],
                max_length=16,
                verbose_name="verified by",
            ),
        ),
        migrations.AddField(
            model_name="emaildomain",
            name="checked_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="last checked at"),
        ),
        migrations.AddField(
            model_name="emaildomain",
            name="failure",
            field=models.CharField(
                blank=True,
                choices=[
                    ("no_record", "no record"),
                    ("wrong_value", "wrong value"),
                    ("dns_error", "DNS error"),
                    ("taken", "verified by another organisation"),
                ],
                max_length=16,
                verbose_name="reason of the failure",
            ),
        ),
        migrations.AddField(
            model_name="emaildomain",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, null=True, verbose_name="claimed at"),
        ),
        migrations.RunPython(back_to_pending, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="emaildomain",
            constraint=models.UniqueConstraint(
                condition=models.Q(status="verified"),
                fields=("domain",),
                name="sso_domain_verified_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="emaildomain",
            constraint=models.UniqueConstraint(
                fields=("connection", "domain"), name="sso_domain_claimed_once_per_connection"
            ),
        ),
    ]
