"""The proposals table, on screen and in CSV/XLSX exports (the same columns)."""

import django_tables2 as tables
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from musrenbang.areas.formatting import rupiah, thousands
from proposals.models import Category, Proposal, Recommendation, Status

NOWRAP = {"td": {"class": "nowrap"}}

STATUS_BADGE = {
    Status.ACCEPTED: "text-bg-success",
    Status.RETURNED: "text-bg-warning",
    Status.SUBMITTED: "text-bg-primary",
}


def status_badge(proposal) -> str:
    return format_html(
        '<span class="badge {}">{}</span>',
        STATUS_BADGE.get(proposal.status, "text-bg-secondary"),
        proposal.get_status_display(),
    )


def _cells(labels: dict) -> dict:
    """Each visible column's cell as ready HTML, with the choice labels looked up once."""
    return {
        "code": lambda p: format_html('<a href="{}">{}</a>', p.get_absolute_url(), p.code),
        "title": lambda p: escape(p.title),
        "category": lambda p: labels["category"][p.category],
        "kecamatan": lambda p: escape(p.kecamatan.name),
        "kelurahan": lambda p: escape(p.kelurahan.name),
        "rw": lambda p: escape(p.rw.name),
        "catalogue_item": lambda p: escape(p.catalogue_item.name) if p.catalogue_item_id else "—",
        "volume": lambda p: thousands(p.volume),
        "measure": lambda p: escape(p.measure),
        "cost": lambda p: rupiah(p.cost),
        "target_unit": lambda p: escape(p.target_unit.short_name),
        "status": lambda p: labels["status"][p.status],
        "recommendation": lambda p: labels["recommendation"].get(p.recommendation, "—"),
    }


CELL_CLASS = {"code": "nowrap", "rw": "nowrap", "volume": "text-end", "cost": "text-end nowrap"}


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
        return status_badge(record)

    def html_rows(self) -> list[str]:
        """The current page's rows as ready HTML for the screen.

        django-tables2 renders every cell through the template engine; at 50 rows × 13
        columns that cost ten times the page's queries, so the screen table is printed from
        here (sorting, paging and the exports stay django-tables2's).
        """
        labels = {
            "category": {value: escape(label) for value, label in Category.choices},
            "recommendation": {value: escape(label) for value, label in Recommendation.choices},
            "status": {
                value: format_html(
                    '<span class="badge {}">{}</span>',
                    STATUS_BADGE.get(value, "text-bg-secondary"),
                    label,
                )
                for value, label in Status.choices
            },
        }
        cells = _cells(labels)
        columns = [(CELL_CLASS.get(c.name, ""), cells[c.name]) for c in self.columns]
        return [
            mark_safe(
                "<tr>"
                + "".join(
                    f'<td class="{css}">{cell(row.record)}</td>'
                    if css
                    else f"<td>{cell(row.record)}</td>"
                    for css, cell in columns
                )
                + "</tr>"
            )
            for row in self.page.object_list
        ]

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
