"""A pair points at the two applications of its edition (issue 15): first the new columns,
nullable while 0003 fills them; the user columns become nullable so that 0004 can drop
them and going back can refill them."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0002_guardian_consent_details"),
        ("mentorships", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="mentorship",
            name="mentor_application",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="mentorships_as_mentor",
                to="applications.application",
                verbose_name="mentor's application",
            ),
        ),
        migrations.AddField(
            model_name="mentorship",
            name="mentee_application",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="mentorships_as_mentee",
                to="applications.application",
                verbose_name="mentee's application",
            ),
        ),
        migrations.AlterField(
            model_name="mentorship",
            name="mentor",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="mentorships_as_mentor",
                to=settings.AUTH_USER_MODEL,
                verbose_name="mentor",
            ),
        ),
        migrations.AlterField(
            model_name="mentorship",
            name="mentee",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="mentorships_as_mentee",
                to=settings.AUTH_USER_MODEL,
                verbose_name="mentee",
            ),
        ),
    ]
