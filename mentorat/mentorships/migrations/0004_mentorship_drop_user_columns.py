"""The applications are now the pair's only link to its people: they become required, the
user columns go, and the constraints move to the applications with the same meaning (an
application belongs to one edition, so "one active pair per mentee application" is "one
per mentee and edition")."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("mentorships", "0003_fill_mentorship_applications")]

    operations = [
        migrations.RemoveConstraint(
            model_name="mentorship", name="mentorship_one_active_per_mentee"
        ),
        migrations.RemoveConstraint(model_name="mentorship", name="mentorship_two_people"),
        migrations.RemoveField(model_name="mentorship", name="mentor"),
        migrations.RemoveField(model_name="mentorship", name="mentee"),
        migrations.AlterField(
            model_name="mentorship",
            name="mentor_application",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="mentorships_as_mentor",
                to="applications.application",
                verbose_name="mentor's application",
            ),
        ),
        migrations.AlterField(
            model_name="mentorship",
            name="mentee_application",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="mentorships_as_mentee",
                to="applications.application",
                verbose_name="mentee's application",
            ),
        ),
        migrations.AddConstraint(
            model_name="mentorship",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "active")),
                fields=("mentee_application",),
                name="mentorship_one_active_per_mentee",
            ),
        ),
        migrations.AddConstraint(
            model_name="mentorship",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("mentor_application", models.F("mentee_application")), _negated=True
                ),
                name="mentorship_two_people",
            ),
        ),
    ]
