"""Database triggers for the invariants a CHECK cannot express (DESIGN §5).

- A ranking never holds more *utama* than its sidang's quota.
- A closed sidang, its attendance and its ranking never change.

PostgreSQL also refuses deleting a closed sidang's rows; SQLite, the embedded first-run engine,
guards inserts and updates only, because Django empties SQLite tables with DELETE between tests
(PostgreSQL's TRUNCATE does not fire row triggers).
"""

from django.db import migrations

CLOSED = "sidang ditutup: tidak dapat diubah"
QUOTA = "jumlah utama melebihi kuota sidang"

POSTGRES = f"""
CREATE FUNCTION sidang_guard_child() RETURNS trigger AS $$
DECLARE
    target bigint;
    target_state text;
    target_quota integer;
    utama integer;
BEGIN
    IF TG_OP = 'DELETE' THEN
        target := OLD.sidang_id;
    ELSE
        target := NEW.sidang_id;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.sidang_id <> NEW.sidang_id THEN
        PERFORM 1 FROM sidang_sidang WHERE id = OLD.sidang_id AND state = 'closed';
        IF FOUND THEN
            RAISE EXCEPTION '{CLOSED}' USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    -- Lock the sidang row: writes to one ranking are counted one after another.
    SELECT state, quota INTO target_state, target_quota
        FROM sidang_sidang WHERE id = target FOR UPDATE;
    IF target_state = 'closed' THEN
        RAISE EXCEPTION '{CLOSED}' USING ERRCODE = 'check_violation';
    END IF;
    -- PL/pgSQL does not short-circuit: NEW.decision exists on candidates only.
    IF TG_TABLE_NAME = 'sidang_candidate' AND TG_OP <> 'DELETE' THEN
        IF NEW.decision = 'utama' THEN
            SELECT count(*) INTO utama FROM sidang_candidate
                WHERE sidang_id = target AND decision = 'utama';
            IF utama > target_quota THEN
                RAISE EXCEPTION '{QUOTA}' USING ERRCODE = 'check_violation';
            END IF;
        END IF;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER sidang_candidate_guard
    AFTER INSERT OR UPDATE OR DELETE ON sidang_candidate
    FOR EACH ROW EXECUTE FUNCTION sidang_guard_child();
CREATE TRIGGER sidang_participant_guard
    AFTER INSERT OR UPDATE OR DELETE ON sidang_participant
    FOR EACH ROW EXECUTE FUNCTION sidang_guard_child();

CREATE FUNCTION sidang_guard_closed() RETURNS trigger AS $$
BEGIN
    IF OLD.state = 'closed' THEN
        RAISE EXCEPTION '{CLOSED}' USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER sidang_closed_guard
    BEFORE UPDATE OR DELETE ON sidang_sidang
    FOR EACH ROW EXECUTE FUNCTION sidang_guard_closed();
"""

POSTGRES_REVERSE = """
DROP TRIGGER sidang_closed_guard ON sidang_sidang;
DROP FUNCTION sidang_guard_closed();
DROP TRIGGER sidang_participant_guard ON sidang_participant;
DROP TRIGGER sidang_candidate_guard ON sidang_candidate;
DROP FUNCTION sidang_guard_child();
"""


def _sqlite_child_guards(table: str) -> list[str]:
    closed = "(SELECT state FROM sidang_sidang WHERE id = {row}.sidang_id) = 'closed'"
    return [
        f"""CREATE TRIGGER {table}_closed_insert BEFORE INSERT ON {table}
            WHEN {closed.format(row="NEW")}
            BEGIN SELECT RAISE(ABORT, '{CLOSED}'); END""",
        f"""CREATE TRIGGER {table}_closed_update BEFORE UPDATE ON {table}
            WHEN {closed.format(row="OLD")} OR {closed.format(row="NEW")}
            BEGIN SELECT RAISE(ABORT, '{CLOSED}'); END""",
    ]


def _sqlite_quota_guard(event: str) -> str:
    return f"""CREATE TRIGGER sidang_candidate_quota_{event.lower()} AFTER {event}
        ON sidang_candidate
        WHEN NEW.decision = 'utama' AND (
            SELECT count(*) FROM sidang_candidate
            WHERE sidang_id = NEW.sidang_id AND decision = 'utama'
        ) > (SELECT quota FROM sidang_sidang WHERE id = NEW.sidang_id)
        BEGIN SELECT RAISE(ABORT, '{QUOTA}'); END"""


SQLITE = [
    *_sqlite_child_guards("sidang_candidate"),
    *_sqlite_child_guards("sidang_participant"),
    _sqlite_quota_guard("INSERT"),
    _sqlite_quota_guard("UPDATE"),
    f"""CREATE TRIGGER sidang_sidang_closed_update BEFORE UPDATE ON sidang_sidang
        WHEN OLD.state = 'closed'
        BEGIN SELECT RAISE(ABORT, '{CLOSED}'); END""",
]

SQLITE_TRIGGERS = [
    "sidang_candidate_closed_insert",
    "sidang_candidate_closed_update",
    "sidang_participant_closed_insert",
    "sidang_participant_closed_update",
    "sidang_candidate_quota_insert",
    "sidang_candidate_quota_update",
    "sidang_sidang_closed_update",
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
        for name in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("sidang", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
