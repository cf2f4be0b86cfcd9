"""The table shows catalogue items by name from areas.memo: writing one replaces the generation
token too (areas 0006)."""

from django.db import migrations

TABLE = "proposals_catalogueitem"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f"CREATE TRIGGER {TABLE}_generation AFTER INSERT OR UPDATE OR DELETE ON {TABLE} "
            "FOR EACH STATEMENT EXECUTE FUNCTION areas_generation_bump();"
        )
    elif vendor == "sqlite":
        for op in ("INSERT", "UPDATE", "DELETE"):
            schema_editor.execute(
                f"CREATE TRIGGER {TABLE}_generation_{op.lower()} AFTER {op} ON {TABLE} BEGIN "
                "INSERT OR REPLACE INTO areas_generation (id, token) VALUES (1, random()); END;"
            )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER {TABLE}_generation ON {TABLE};")
    elif vendor == "sqlite":
        for op in ("insert", "update", "delete"):
            schema_editor.execute(f"DROP TRIGGER {TABLE}_generation_{op};")


class Migration(migrations.Migration):
    dependencies = [
        ("areas", "0006_generation"),
        ("proposals", "0015_pokir"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
