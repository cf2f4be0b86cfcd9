"""The public recap of a cycle (/rekap/): the page, its printable PDF and its XLSX tables.

Open to everyone, signed in or not; it shows aggregates only (recap.py reads them, and
recap_tables.py lays out the tables of the page and of the XLSX).
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_safe

from areas.pdf import css_string, pdf_from_html
from musrenbang.public import charts
from musrenbang.public.recap import Recap, choose_cycle, cycles, recap_cached
from musrenbang.public.recap_format import count, money
from musrenbang.public.recap_tables import page_tables, workbook
from proposals.models import Stage

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_safe
def recap(request):
    choices, data = _recap(request)
    context = {"cycles": choices, "recap": data, "print": False}
    if data:
        query = _query(data)
        context.update(
            figures=_figures(data),
            charts=_charts(data),
            tables=page_tables(data, printed=False),
            pdf_url=f"{reverse('recap_pdf')}?{query}",
            xlsx_url=f"{reverse('recap_xlsx')}?{query}",
        )
    return render(request, "recap/recap.html", context)


@require_safe
def recap_pdf(request):
    """The recap to print: always in Indonesian, like every document the office signs off."""
    with override("id"):
        data = _recap(request)[1]
        if data is None:
            raise Http404
        title = _("Rekap Musrenbang %(year)s %(kota)s") % {
            "year": data.cycle.year,
            "kota": data.cycle.kota.name,
        }
        html = render_to_string(
            "pdf/rekap.html",
            {
                "recap": data,
                "figures": _rows_of(_figures(data), 3),
                "charts": _charts(data, charts.PAGE),
                "tables": page_tables(data, printed=True),
                "print": True,
                "title": title,
                "footer": css_string(title),
            },
        )
    # A stored name may hold what no PDF can show: a control character (an empty box, and a
    # text layer that no longer copies), or a mark that prints the rest of the name backwards.
    pdf = pdf_from_html(html)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="rekap-musrenbang-{data.cycle.year}.pdf"'
    return response


@require_safe
def recap_xlsx(request):
    with override("id"):
        data = _recap(request)[1]
        if data is None:
            raise Http404
        content = workbook(data)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="rekap-musrenbang-{data.cycle.year}.xlsx"'
    )
    return response


def _recap(request) -> tuple[list, Recap | None]:
    """The cycles to choose from and the recap of the chosen one (the latest by default)."""
    choices = cycles()
    cycle = choose_cycle(choices, request.GET.get("siklus"))
    if cycle is None:
        return choices, None
    return choices, recap_cached(cycle, kecamatan_code=request.GET.get("kecamatan", ""))


def _query(data: Recap) -> str:
    params = {"siklus": data.cycle.pk}
    if data.chosen:
        params["kecamatan"] = data.chosen.code
    return urlencode(params)


@dataclass(frozen=True)
class Figure:
    """One of the figures heading the page: what it counts, the figure, a line on it."""

    name: str  # data-figure="…"
    label: str
    value: str
    note: str


def _figures(data: Recap) -> list[Figure]:
    def part_of(part: int, whole: int) -> str:
        return _("%(part)s dari %(whole)s") % {"part": count(part), "whole": count(whole)}

    return [
        Figure(
            "rw",
            _("RW"),
            count(data.rw),
            _("rembuk RW di %(kelurahan)s kelurahan dan %(kecamatan)s kecamatan")
            % {"kelurahan": count(data.kelurahan_count), "kecamatan": count(len(data.kecamatan))},
        ),
        Figure("total", _("Usulan"), count(data.total), _("usulan diajukan RW")),
        Figure(
            "cost",
            _("Perkiraan biaya"),
            money(data.cost),
            _("jumlah perkiraan biaya semua usulan"),
        ),
        Figure(
            "sessions",
            _("Sidang terlaksana"),
            part_of(data.sessions_held, data.sessions_expected),
            _("sidang pleno, sidang kelompok dan musrenbang kecamatan yang sudah ditutup"),
        ),
        Figure(
            "surveyed",
            _("Survei UKPD"),
            part_of(data.surveyed, data.physical),
            _("usulan fisik sudah disurvei"),
        ),
        Figure(
            "accommodated",
            _("Diakomodir"),
            count(data.kota_row.accommodated),
            _("usulan masuk Renja tahun berikutnya atau anggaran berjalan"),
        ),
    ]


def _rows_of(figures: list[Figure], size: int) -> list[list[Figure]]:
    """The figures in rows of size, as the PDF's heading boxes are printed."""
    return [figures[start : start + size] for start in range(0, len(figures), size)]


def _charts(data: Recap, width: int = charts.PHONE) -> dict[str, str]:
    """The same SVG charts for the page and the PDF, titled in the active language: the page's
    as wide as a phone, the PDF's as wide as its page (charts.PAGE)."""
    found = {
        "kecamatan": charts.bar_chart(
            width=width,
            chart_id="chart-kecamatan",
            title=_("Jumlah usulan per kecamatan"),
            items=[(row.name, row.proposals) for row in data.kecamatan],
        ),
        "categories": charts.stacked_chart(
            width=width,
            chart_id="chart-categories",
            title=_("Komposisi usulan per kategori"),
            rows=[(_("Semua usulan"), [row.proposals for row in data.categories])],
            series=[
                (row.label, charts.PALETTE[i % len(charts.PALETTE)])
                for i, row in enumerate(data.categories)
            ],
        ),
        "funnel": charts.funnel_chart(
            width=width,
            chart_id="chart-funnel",
            title=_("Alur usulan sampai diakomodir"),
            stages=[(stage.label, stage.count) for stage in data.funnel],
        ),
        "units": charts.bar_chart(
            width=width,
            chart_id="chart-units",
            title=_("Jumlah usulan per UKPD teknis"),
            items=[(unit.short_name, unit.proposals) for unit in data.units],
        ),
        "survey": _survey_chart(data, width),
        "sessions": _sessions_chart(data, width),
        "realisation": _realisation_chart(data, width),
    }
    if data.chosen:
        found["kelurahan"] = charts.bar_chart(
            width=width,
            chart_id="chart-kelurahan",
            title=_("Jumlah usulan per kelurahan di Kecamatan %(name)s")
            % {"name": data.chosen.name},
            items=[(row.name, row.proposals) for row in data.kelurahan],
        )
    return found


def _survey_chart(data: Recap, width: int) -> str:
    return charts.stacked_chart(
        width=width,
        chart_id="chart-survey",
        title=_("Progres survei usulan fisik per UKPD teknis"),
        rows=[
            (unit.short_name, [unit.recommended, unit.not_recommended, unit.pending])
            for unit in data.surveyed_units
        ],
        series=[
            (_("Direkomendasikan"), charts.GREEN),
            (_("Tidak direkomendasikan"), charts.RED),
            (_("Belum disurvei"), charts.GREY),
        ],
    )


def _sessions_chart(data: Recap, width: int) -> str:
    """Each kind of sidang: closed, under way and not yet held, of as many as it needs."""
    return charts.stacked_chart(
        width=width,
        chart_id="chart-sessions",
        title=_("Progres sidang"),
        rows=[
            (
                _("%(kind)s: %(held)s dari %(expected)s")
                % {"kind": p.label, "held": count(p.held), "expected": count(p.expected)},
                [p.held, p.running, p.waiting],
            )
            for p in data.sessions
        ],
        series=[
            (_("Ditutup"), charts.BRAND),
            (_("Berlangsung"), charts.AMBER),
            (_("Belum dilaksanakan"), charts.GREY),
        ],
    )


def _realisation_chart(data: Recap, width: int) -> str:
    """Each kecamatan's accommodated proposals: not started, under way, done, cancelled."""
    return charts.stacked_chart(
        width=width,
        chart_id="chart-realisation",
        title=_("Realisasi usulan yang diakomodir per kecamatan"),
        rows=[
            (row.name, [row.not_started, row.under_way, row.done, row.cancelled])
            for row in data.realisation_kecamatan
        ],
        series=[
            (_("Belum dimulai"), charts.GREY),
            (_("Berjalan"), charts.AMBER),
            (str(Stage.DONE.label), charts.GREEN),
            (str(Stage.CANCELLED.label), charts.RED),
        ],
    )
