"""The sessions table: what happens where and when, and how far each sidang has come."""

import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from sessions.models import Sidang


class SidangTable(tables.Table):
    kind = tables.Column(verbose_name=_("Jenis"), linkify=True)
    area = tables.Column(verbose_name=_("Wilayah"), order_by="area__code")
    starts_at = tables.Column(verbose_name=_("Waktu"), attrs={"td": {"class": "text-nowrap"}})
    venue = tables.Column(verbose_name=_("Tempat"))
    mode = tables.Column(verbose_name=_("Moda"))
    state = tables.Column(verbose_name=_("Status"))
    detail = tables.Column(
        verbose_name=_("Rincian"), accessor="pk", orderable=False, exclude_from_export=True
    )

    class Meta:
        model = Sidang
        fields = []  # the columns above, in that order
        sequence = ["kind", "area", "starts_at", "venue", "mode", "state", "detail"]
        attrs = {"class": "table table-sm table-hover align-middle"}
        template_name = "sessions/_table.html"
        order_by = "starts_at"
        empty_text = _("Belum ada sidang yang cocok.")

    def render_area(self, record):
        return record.area.display_name

    def render_starts_at(self, value):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")

    def render_mode(self, record):
        return record.get_mode_display()

    def render_state(self, record):
        return render_to_string("sessions/_state.html", {"sidang": record})

    def render_detail(self, record):
        return format_html(
            '<a href="{}">{}<span class="visually-hidden"> {}</span></a>',
            record.get_absolute_url(),
            _("Buka"),
            record,
        )
