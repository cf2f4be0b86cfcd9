"""Indexes for the proposals table at a million rows.

Free-text search uses PostgreSQL trigram indexes on UPPER(title) and UPPER(address), which is
what Django's icontains compares; SQLite, the embedded first-run engine, scans instead.
"""

from django.db import migrations

POSTGRES = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS proposal_title_trgm
    ON proposals_proposal USING gin (UPPER(title) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS proposal_address_trgm
    ON proposals_proposal USING gin (UPPER(address) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS proposal_code_upper ON proposals_proposal (UPPER(code));
"""

POSTGRES_REVERSE = """
DROP INDEX IF EXISTS proposal_code_upper;
DROP INDEX IF EXISTS proposal_address_trgm;
DROP INDEX IF EXISTS proposal_title_trgm;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("proposals", "0003_cycle_last_minutes_number_and_more")]

    operations = [migrations.RunPython(forwards, backwards)]
