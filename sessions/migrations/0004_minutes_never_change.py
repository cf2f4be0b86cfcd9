"""The stored berita acara never changes: no update (nor delete, on PostgreSQL), and none is
added to a sidang already closed. Same reasoning as 0002 for SQLite and deletes."""

from django.db import migrations

FROZEN = "berita acara final tidak dapat diubah"

POSTGRES = f"""
CREATE FUNCTION sidang_minutes_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM 1 FROM sidang_sidang WHERE id = NEW.sidang_id AND state = 'closed';
        IF FOUND THEN
            RAISE EXCEPTION '{FROZEN}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '{FROZEN}' USING ERRCODE = 'check_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER sidang_minutes_guard
    BEFORE INSERT OR UPDATE OR DELETE ON sidang_minutes
    FOR EACH ROW EXECUTE FUNCTION sidang_minutes_guard();
"""

POSTGRES_REVERSE = """
DROP TRIGGER sidang_minutes_guard ON sidang_minutes;
DROP FUNCTION sidang_minutes_guard();
"""

SQLITE = [
    f"""CREATE TRIGGER sidang_minutes_closed_insert BEFORE INSERT ON sidang_minutes
        WHEN (SELECT state FROM sidang_sidang WHERE id = NEW.sidang_id) = 'closed'
        BEGIN SELECT RAISE(ABORT, '{FROZEN}'); END""",
    f"""CREATE TRIGGER sidang_minutes_update BEFORE UPDATE ON sidang_minutes
        BEGIN SELECT RAISE(ABORT, '{FROZEN}'); END""",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE)
    elif schema_editor.connection.vendor == "sqlite":
        for name in ("sidang_minutes_closed_insert", "sidang_minutes_update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("sidang", "0003_minutes")]

    operations = [migrations.RunPython(forwards, backwards)]
