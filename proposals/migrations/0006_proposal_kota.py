"""Keep each proposal's kota on the row, so the scope is a test on the row's own keys.

A planning officer's newest-first page then reads one (kota, code) index range instead of
walking every other kota's proposals through a join on the RW's code.
"""

import django.db.models.deletion
from django.db import migrations, models

BACKFILL = """
UPDATE proposals_proposal
SET kota_id = (SELECT parent_id FROM areas_area WHERE areas_area.id = proposals_proposal.kecamatan_id)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("areas", "0001_initial"),
        ("proposals", "0005_table_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="proposal",
            name="kota",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="areas.area",
                verbose_name="kota",
            ),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="proposal",
            name="kota",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="areas.area",
                verbose_name="kota",
            ),
        ),
        migrations.AddIndex(
            model_name="proposal",
            index=models.Index(
                fields=["kota", "-code"], include=["id"], name="proposal_kota_code_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="proposal",
            index=models.Index(
                fields=["kecamatan", "-code"], include=["id"], name="proposal_kecamatan_code_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="proposal",
            index=models.Index(
                fields=["kota", "-cost", "-code"], include=["id"], name="proposal_kota_cost_idx"
            ),
        ),
    ]
