"""The proposals table, on screen and in CSV/XLSX exports (the same columns)."""

import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from musrenbang.areas.formatting import rupiah, thousands
from proposals.models import Proposal

NOWRAP = {"td": {"class": "nowrap"}}


class ProposalTable(tables.Table):
    code = tables.Column(verbose_name=_("Kode"), linkify=True)
    title = tables.Column(verbose_name=_("Judul"))
    category = tables.Column(verbose_name=_("Kategori"))
    kecamatan = tables.Column(
        verbose_name=_("Kecamatan"), accessor="kecamatan__name", order_by="kecamatan__code"
    )
    kelurahan = tables.Column(
        verbose_name=_("Kelurahan"), accessor="kelurahan__name", order_by="kelurahan__code"
    )
    rw = tables.Column(verbose_name=_("RW"), accessor="rw__name", order_by="rw__code", attrs=NOWRAP)
    catalogue_item = tables.Column(
        verbose_name=_("Item kamus"), accessor="catalogue_item__name", default="—"
    )
    volume = tables.Column(verbose_name=_("Volume"), attrs={"td": {"class": "text-end"}})
    measure = tables.Column(verbose_name=_("Satuan"))
    cost = tables.Column(verbose_name=_("Biaya (Rp)"), attrs={"td": {"class": "text-end nowrap"}})
    target_unit = tables.Column(verbose_name=_("UKPD"), accessor="target_unit__name")
    status = tables.Column(verbose_name=_("Status"))
    recommendation = tables.Column(verbose_name=_("Rekomendasi survei"), default="—")

    class Meta:
        model = Proposal
        fields = []  # the columns above, in that order
        sequence = [
            "code",
            "title",
            "category",
            "kecamatan",
            "kelurahan",
            "rw",
            "catalogue_item",
            "volume",
            "measure",
            "cost",
            "target_unit",
            "status",
            "recommendation",
        ]
        attrs = {"class": "table table-sm table-hover align-middle table-proposals"}
        order_by = "-code"
        empty_text = _("Tidak ada usulan yang cocok.")

    def render_target_unit(self, record):
        return record.target_unit.short_name

    def render_status(self, record):
        return render_to_string("proposals/_status.html", {"proposal": record})

    def render_volume(self, value):
        return thousands(value)

    def render_cost(self, value):
        return rupiah(value)

    # Exports carry plain values that spreadsheets can sum.
    def value_volume(self, value):
        return value

    def value_cost(self, value):
        return value

    def value_catalogue_item(self, record):
        return record.catalogue_item.name if record.catalogue_item_id else ""

    def value_target_unit(self, record):
        return record.target_unit.name

    def value_status(self, record):
        return record.get_status_display()

    def value_recommendation(self, record):
        return record.get_recommendation_display()
