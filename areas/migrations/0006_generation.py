"""The generation token (areas.models.Generation) and the triggers that replace it whenever the
rows areas.memo keeps per process change: in the same transaction as the change, whoever writes
(the admin, a bulk insert, a management command, plain SQL). PostgreSQL: one trigger per
statement; SQLite: per row (it has no statement triggers)."""

from django.db import migrations, models

TABLES = [
    "areas_area",
    "areas_technicalunit",
    "areas_assignment",
    "areas_dapil",
    "areas_dapil_kecamatan",
]

POSTGRES_FUNCTION = """
CREATE FUNCTION areas_generation_bump() RETURNS trigger AS $$
BEGIN
    INSERT INTO areas_generation (id, token) VALUES (1, (random() * 9e18)::bigint)
        ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""


def postgres_trigger(table: str) -> str:
    return (
        f"CREATE TRIGGER {table}_generation AFTER INSERT OR UPDATE OR DELETE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION areas_generation_bump();"
    )


def sqlite_triggers(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_generation_{op.lower()} AFTER {op} ON {table} BEGIN "
        "INSERT OR REPLACE INTO areas_generation (id, token) VALUES (1, random()); END;"
        for op in ("INSERT", "UPDATE", "DELETE")
    ]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION)
        for table in TABLES:
            schema_editor.execute(postgres_trigger(table))
    elif vendor == "sqlite":
        for table in TABLES:
            for sql in sqlite_triggers(table):
                schema_editor.execute(sql)
    schema_editor.execute("INSERT INTO areas_generation (id, token) VALUES (1, 1)")


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER {table}_generation ON {table};")
        schema_editor.execute("DROP FUNCTION areas_generation_bump();")
    elif vendor == "sqlite":
        for table in TABLES:
            for op in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER {table}_generation_{op};")


class Migration(migrations.Migration):
    dependencies = [
        ("areas", "0005_dapil"),
    ]

    operations = [
        migrations.CreateModel(
            name="Generation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.BigIntegerField()),
            ],
            options={"verbose_name": "generasi data rujukan"},
        ),
        migrations.RunPython(forwards, backwards),
    ]
