"""Fill the applications of existing pairs from (edition, person, role).

A person has at most one application per edition (`application_one_per_edition`), so
(edition, user) finds it; pairs made by the platform always have one. A pair created by
hand without one (shell, admin) gets an accepted application on its side rather than
being lost, marked `source="migration"`."""

from django.db import migrations


def fill(apps, schema_editor):
    Mentorship = apps.get_model("mentorships", "Mentorship")
    Application = apps.get_model("applications", "Application")

    def application_of(pair, user_id, role):
        found = Application.objects.filter(edition_id=pair.edition_id, user_id=user_id).first()
        if found is not None:
            return found
        return Application.objects.create(
            edition_id=pair.edition_id,
            user_id=user_id,
            role=role,
            status="accepted",
            submitted_at=pair.created_at,
            accepted_at=pair.created_at,
            decided_at=pair.created_at,
            source="migration",
        )

    for pair in Mentorship.objects.order_by("pk").iterator():
        pair.mentor_application = application_of(pair, pair.mentor_id, "mentor")
        pair.mentee_application = application_of(pair, pair.mentee_id, "mentee")
        pair.save(update_fields=["mentor_application", "mentee_application"])


def refill_users(apps, schema_editor):
    """Going back: the people again from the applications."""
    Mentorship = apps.get_model("mentorships", "Mentorship")
    for pair in Mentorship.objects.select_related("mentor_application", "mentee_application"):
        pair.mentor_id = pair.mentor_application.user_id
        pair.mentee_id = pair.mentee_application.user_id
        pair.save(update_fields=["mentor", "mentee"])


class Migration(migrations.Migration):
    dependencies = [("mentorships", "0002_mentorship_applications")]

    operations = [migrations.RunPython(fill, refill_users)]
