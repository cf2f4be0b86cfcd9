"""Tell PostgreSQL's planner that a proposal's RW decides its kelurahan, kecamatan and kota.

Without it the planner multiplies the selectivities of `kota = … AND kecamatan = … AND
kelurahan = …` as if independent, expects a handful of rows, and sorts thousands instead of
reading the (kelurahan, code) index in order. SQLite has no such statistics and needs none.
"""

from django.db import migrations

FORWARD = """
CREATE STATISTICS IF NOT EXISTS proposal_area_dependencies (dependencies)
    ON kota_id, kecamatan_id, kelurahan_id, rw_id FROM proposals_proposal;
ANALYZE proposals_proposal;
"""
REVERSE = "DROP STATISTICS IF EXISTS proposal_area_dependencies;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVERSE)


class Migration(migrations.Migration):
    dependencies = [("proposals", "0006_proposal_kota")]

    operations = [migrations.RunPython(forwards, backwards)]
