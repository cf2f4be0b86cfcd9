"""The public recap of a cycle (/rekap/): the page, its printable PDF and its XLSX tables.

Open to everyone, signed in or not; it shows aggregates only (musrenbang.recap reads them).
"""

import io
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_safe
from openpyxl import Workbook
from openpyxl.styles import Font

from areas.formatting import spreadsheet_text
from musrenbang.public import charts
from musrenbang.public.recap import Recap, choose_cycle, cycles, recap_cached
from sessions.pdf import css_string, pdf_from_html

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COUNT, MONEY, SHARE = "#,##0", "#,##0", "0.00%"


@require_safe
def recap(request):
    choices, data = _recap(request)
    context = {"cycles": choices, "recap": data, "print": False}
    if data:
        query = _query(data)
        context.update(
            charts=_charts(data),
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
                "charts": _charts(data),
                "print": True,
                "title": title,
                "footer": css_string(title),
            },
        )
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
        content = _workbook(data)
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


def _charts(data: Recap) -> dict[str, str]:
    """The same SVG charts for the page and the PDF, titled in the active language."""
    held, running, waiting = _("Ditutup"), _("Berlangsung"), _("Belum dilaksanakan")
    found = {
        "kecamatan": charts.bar_chart(
            chart_id="chart-kecamatan",
            title=_("Jumlah usulan per kecamatan"),
            items=[(row.name, row.proposals) for row in data.kecamatan],
        ),
        "categories": charts.stacked_chart(
            chart_id="chart-categories",
            title=_("Komposisi usulan per kategori"),
            rows=[(_("Semua usulan"), [row.proposals for row in data.categories])],
            series=[
                (row.label, charts.PALETTE[i % len(charts.PALETTE)])
                for i, row in enumerate(data.categories)
            ],
        ),
        "funnel": charts.funnel_chart(
            chart_id="chart-funnel",
            title=_("Alur usulan sampai diakomodir"),
            stages=[(stage.label, stage.count) for stage in data.funnel],
        ),
        "units": charts.bar_chart(
            chart_id="chart-units",
            title=_("Jumlah usulan per UKPD teknis"),
            items=[(unit.short_name, unit.proposals) for unit in data.units],
        ),
        "survey": charts.stacked_chart(
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
        ),
        "sessions": charts.stacked_chart(
            chart_id="chart-sessions",
            title=_("Progres sidang"),
            rows=[
                (
                    _("%(kind)s: %(held)s dari %(expected)s")
                    % {"kind": p.label, "held": p.held, "expected": p.expected},
                    [p.held, p.running, p.waiting],
                )
                for p in data.sessions
            ],
            series=[(held, charts.BRAND), (running, charts.AMBER), (waiting, charts.GREY)],
        ),
    }
    if data.chosen:
        found["kelurahan"] = charts.bar_chart(
            chart_id="chart-kelurahan",
            title=_("Jumlah usulan per kelurahan di Kecamatan %(name)s")
            % {"name": data.chosen.name},
            items=[(row.name, row.proposals) for row in data.kelurahan],
        )
    return found


def _fraction(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _sheets(data: Recap) -> list[tuple[str, list[tuple[str, str | None]], list[list]]]:
    """Each table of the recap as (sheet name, [(header, number format)], rows)."""
    proposals, cost = (_("Jumlah usulan"), COUNT), (_("Perkiraan biaya (Rp)"), MONEY)
    share = (_("Persentase"), SHARE)
    total = data.total
    return [
        (
            _("Per kecamatan"),
            [(_("Kecamatan"), None), proposals, share, cost],
            [[r.name, r.proposals, _fraction(r.proposals, total), r.cost] for r in data.kecamatan],
        ),
        (
            _("Per kelurahan"),
            [
                (_("Kecamatan"), None),
                (_("Kelurahan"), None),
                proposals,
                cost,
                (_("Prioritas kelurahan"), COUNT),
                (_("Sidang kelompok"), None),
            ],
            [
                [
                    r.parent_name,
                    r.name,
                    r.proposals,
                    r.cost,
                    r.kelurahan_priorities,
                    str(r.session_state) or _("Belum dijadwalkan"),
                ]
                for r in data.kelurahan
            ],
        ),
        (
            _("Per kategori"),
            [(_("Kategori"), None), proposals, share, cost],
            [
                [str(r.label), r.proposals, _fraction(r.proposals, total), r.cost]
                for r in data.categories
            ],
        ),
        (
            _("Per UKPD"),
            [(_("UKPD teknis"), None), proposals, cost],
            [[u.name, u.proposals, u.cost] for u in data.units],
        ),
        (
            _("Alur usulan"),
            [(_("Tahap"), None), (_("Jumlah"), COUNT), (_("Persentase dari usulan"), SHARE)],
            [[str(s.label), s.count, _fraction(s.count, total)] for s in data.funnel],
        ),
        (
            _("Alur per kecamatan"),
            [
                (_("Kecamatan"), None),
                (_("Usulan"), COUNT),
                (_("Prioritas kelurahan"), COUNT),
                (_("Prioritas kecamatan"), COUNT),
                (_("Diakomodir"), COUNT),
            ],
            [
                [
                    r.name,
                    r.proposals,
                    r.kelurahan_priorities,
                    r.kecamatan_priorities,
                    r.accommodated,
                ]
                for r in data.kecamatan
            ],
        ),
        (
            _("Survei per UKPD"),
            [
                (_("UKPD teknis"), None),
                (_("Usulan fisik"), COUNT),
                (_("Disurvei"), COUNT),
                (_("Direkomendasikan"), COUNT),
                (_("Tidak direkomendasikan"), COUNT),
                (_("Belum disurvei"), COUNT),
            ],
            [
                [u.name, u.physical, u.surveyed, u.recommended, u.not_recommended, u.pending]
                for u in data.surveyed_units
            ],
        ),
        (
            _("Progres sidang"),
            [
                (_("Jenis sidang"), None),
                (_("Ditutup"), COUNT),
                (_("Berlangsung"), COUNT),
                (_("Jumlah sidang"), COUNT),
                (_("Persentase ditutup"), SHARE),
                (_("Mulai"), "DD/MM/YYYY"),
                (_("Selesai"), "DD/MM/YYYY"),
            ],
            [
                [
                    str(p.label),
                    p.held,
                    p.running,
                    p.expected,
                    _fraction(p.held, p.expected),
                    p.starts,
                    p.ends or p.starts,
                ]
                for p in data.sessions
            ],
        ),
    ]


def _workbook(data: Recap) -> bytes:
    """One sheet per table, Indonesian headers, numbers stored as numbers."""
    book = Workbook()
    book.remove(book.active)
    for title, columns, rows in _sheets(data):
        sheet = book.create_sheet(title[:31])
        sheet.append([header for header, _format in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([spreadsheet_text(value) for value in row])
        for index, (header, number_format) in enumerate(columns, start=1):
            letter = sheet.cell(row=1, column=index).column_letter
            if number_format:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = number_format
            longest = max([len(str(header)), *(len(str(row[index - 1] or "")) for row in rows)])
            sheet.column_dimensions[letter].width = min(longest + 4, 70)
        sheet.freeze_panes = "A2"
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
