"""Creates the database cache table (settings.CACHES, used when REDIS_URL is unset).

allauth's rate limits and used TOTP codes live in the cache, and a missing table makes
every sign-in fail, so `migrate` creates it: an upgrade needs no extra step. The
command is idempotent; switching to the database cache later needs
`manage.py createcachetable`.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
