"""Every program has its matching settings row.

`create_program` always created it, but the management pages used to create a missing
one (with the model's defaults) when they were displayed. They now only read it, so the
programs that never had one get it here, with the same defaults."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def create_missing_settings(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    program_model = apps.get_model("programs", "Program")
    settings_model = apps.get_model("programs", "MatchingSettings")
    missing = program_model.objects.filter(matching_settings__isnull=True).values_list(
        "pk", flat=True
    )
    settings_model.objects.bulk_create(settings_model(program_id=pk) for pk in missing)


class Migration(migrations.Migration):
    dependencies = [("programs", "0002_matching_answer_days")]

    operations = [migrations.RunPython(create_missing_settings, migrations.RunPython.noop)]
