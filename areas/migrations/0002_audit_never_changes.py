"""The audit trail never changes (DESIGN §5): the database refuses to update or delete an
auditlog entry or an axes sign-in/failure record, whoever asks and from wherever.

One exception: axes stamps a sign-in's logout_time once, on sign-out. PostgreSQL refuses
deletes too; SQLite guards updates only, because Django empties SQLite tables with DELETE
between tests (PostgreSQL's TRUNCATE does not fire row triggers), as in sidang 0002.
"""

from django.db import migrations

FROZEN = "catatan audit tidak dapat diubah atau dihapus"

POSTGRES = f"""
CREATE FUNCTION audit_never_changes() RETURNS trigger AS $$
BEGIN
    -- Nested: PL/pgSQL does not short-circuit, and only axes_accesslog has logout_time.
    IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'axes_accesslog' THEN
        IF to_jsonb(OLD) ->> 'logout_time' IS NULL
            AND (to_jsonb(NEW) - 'logout_time') = (to_jsonb(OLD) - 'logout_time') THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION '{FROZEN}' USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""
TABLES = ["auditlog_logentry", "axes_accesslog", "axes_accessfailurelog"]
POSTGRES += "".join(
    f"""
CREATE TRIGGER {table}_never_changes BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION audit_never_changes();"""
    for table in TABLES
)
POSTGRES_REVERSE = "".join(f"DROP TRIGGER {t}_never_changes ON {t};\n" for t in TABLES)
POSTGRES_REVERSE += "DROP FUNCTION audit_never_changes();"

_ACCESSLOG_KEPT = (
    "id",
    "user_agent",
    "ip_address",
    "username",
    "http_accept",
    "path_info",
    "attempt_time",
    "session_hash",
)
SQLITE = {
    "auditlog_logentry": "",
    "axes_accessfailurelog": "",
    "axes_accesslog": "WHEN OLD.logout_time IS NOT NULL OR "
    + " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in _ACCESSLOG_KEPT),
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES)
    elif schema_editor.connection.vendor == "sqlite":
        for table, when in SQLITE.items():
            schema_editor.execute(
                f"CREATE TRIGGER {table}_never_changes BEFORE UPDATE ON {table} {when} "
                f"BEGIN SELECT RAISE(ABORT, '{FROZEN}'); END"
            )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE)
    elif schema_editor.connection.vendor == "sqlite":
        for table in SQLITE:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_never_changes")


class Migration(migrations.Migration):
    dependencies = [
        ("areas", "0001_initial"),
        ("auditlog", "0017_add_actor_email"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
