"""The cache's table (settings.CACHES: Django's database cache, shared by every app server).

Made by a migration so that every `migrate` (a first run, a deployment, the tests) has it;
`createcachetable` leaves a table that exists alone, and so does this.
"""

from django.core.management import call_command
from django.db import migrations


def cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(cache_table, migrations.RunPython.noop, elidable=False)]
