"""The recap's tables, described once: the page draws them as HTML tables, the XLSX as sheets.

A table names the Recap list it shows, its columns and, for some, the row that sums them up.
A column says where a row keeps its figure and what kind of figure it is (a count, a sum of
money, a share...): the kind decides how the page writes it and the sheet's number format.
The page and the sheet differ only where a column says so (a heading, a page-only column).
"""

import io
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote

from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font

from areas.formatting import spreadsheet_text
from musrenbang.public import recap_format
from musrenbang.public.recap import AreaRow, Recap
from proposals.models import Stage


@dataclass(frozen=True)
class Kind:
    """A kind of figure: how the page writes it, where it sits, and its number format."""

    text: Callable[[Any], Any]
    end: bool = False  # right-aligned, and so is its heading
    nowrap: bool = False
    number_format: str | None = None


TEXT = Kind(text=lambda value: value)
COUNT = Kind(text=recap_format.count, end=True, number_format="#,##0")
MONEY = Kind(text=recap_format.money, end=True, nowrap=True, number_format="#,##0")
SHARE = Kind(text=str, end=True, nowrap=True, number_format="0.00%")  # see _share()
DATE = Kind(text=recap_format.day, number_format="DD/MM/YYYY")

# Where a row keeps a figure: its attribute, or (row, recap) → figure.
Value = str | Callable[[Any, Recap], Any]
# What a page cell shows instead of the figure: an attribute, or (row, recap, printed) → text.
Cell = str | Callable[[Any, Recap, bool], Any]


@dataclass(frozen=True)
class Column:
    heading: Promise
    value: Value
    kind: Kind = TEXT
    sheet_heading: Promise | None = None  # where the sheet says more ("Jumlah usulan")
    cell: Cell | None = None
    header: bool = False  # the cell that names the row (<th scope="row">)
    nowrap: bool = False
    on_page: bool | Callable[[Recap], bool] = True
    in_sheet: bool = True

    @property
    def css(self) -> str:
        """The class of its cells on the page."""
        end = "text-end" if self.kind.end else ""
        nowrap = "text-nowrap" if self.kind.nowrap or self.nowrap else ""
        return f"{end} {nowrap}".strip()


@dataclass(frozen=True)
class Table:
    name: str  # data-table="…" and the caption's id on the page
    caption: Promise
    sheet: Promise  # the sheet's name
    rows: str  # the Recap attribute listing the rows
    columns: tuple[Column, ...]
    total: Callable[[Recap], Any] | None = None  # the row summing up the table (page only)
    empty: Promise | None = None  # what the page says when there is no row
    sheet_total: bool = False  # the sheet ends with the total row too


def _fraction(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _share(heading: Promise, part: str, whole: Callable[[Any, Recap], int]) -> Column:
    """A share of the row's `part`: the page shows the row's own `share`, the sheet the
    fraction it stands for, as a percentage."""

    def value(row, recap: Recap) -> float:
        return _fraction(getattr(row, part), whole(row, recap))

    return Column(heading, value, SHARE, cell="share")


def _all_proposals(row, recap: Recap) -> int:
    return recap.total


def _session_state(row: AreaRow, recap: Recap) -> str:
    return str(row.session_state) or gettext("Belum dijadwalkan")


def _kecamatan_link(row: AreaRow, recap: Recap, printed: bool):
    """On the page, the kecamatan's name leads to its kelurahan; on paper it is just a name."""
    if printed:
        return row.name
    current = recap.chosen is not None and recap.chosen.code == row.code
    return format_html(
        '<a href="?siklus={}&amp;kecamatan={}#recap-kelurahan"{}>{}</a>',
        recap.cycle.pk,
        quote(row.code),
        mark_safe(' aria-current="true"') if current else "",
        row.name,
    )


def _surveyed(unit, recap: Recap, printed: bool):
    return format_html(
        '{} <span class="text-body-secondary">({})</span>',
        recap_format.count(unit.surveyed),
        unit.surveyed_share,
    )


def _schedule(progress, recap: Recap, printed: bool) -> str:
    if not progress.starts:
        return "—"
    return " – ".join(DATE.text(day) for day in (progress.starts, progress.ends) if day)


def _all_kecamatan(recap: Recap) -> AreaRow:
    """The kota's figures under the kecamatan table; with no proposal at all, no 100 %."""
    share = recap_format.share(recap.total, recap.total) if recap.total else ""
    return AreaRow(
        code="", name="", rw=recap.rw, proposals=recap.total, cost=recap.cost, share=share
    )


RW = Column(_("RW"), "rw", COUNT, sheet_heading=_("Jumlah RW"))
PROPOSALS = Column(_("Usulan"), "proposals", COUNT, sheet_heading=_("Jumlah usulan"))
COST = Column(_("Perkiraan biaya"), "cost", MONEY, sheet_heading=_("Perkiraan biaya (Rp)"))
SHARE_OF_ALL = _share(_("Persentase"), "proposals", _all_proposals)
KELURAHAN_PRIORITIES = Column(_("Prioritas kelurahan"), "kelurahan_priorities", COUNT)
UNIT = Column(_("UKPD teknis"), "name", header=True)
KECAMATAN = Column(_("Kecamatan"), "name", header=True)

# Where the work of the accommodated proposals stands, per kecamatan and per UKPD pelaksana.
REALISATION = (
    Column(_("Diakomodir"), "accommodated", COUNT),
    Column(_("Belum dimulai"), "not_started", COUNT),
    Column(_("Berjalan"), "under_way", COUNT),
    Column(Stage.DONE.label, "done", COUNT),
    Column(Stage.CANCELLED.label, "cancelled", COUNT),
    Column(
        _("Belum bergerak"),
        "stale",
        COUNT,
        sheet_heading=_("Belum bergerak (tanpa laporan melewati batas bulan siklus)"),
    ),
)


def _ceiling(row: AreaRow, recap: Recap, printed: bool) -> str:
    """A kecamatan without a pagu indikatif shows a dash, not an empty cell."""
    return "—" if row.ceiling is None else MONEY.text(row.ceiling)


# In the order of the workbook's sheets; the page places each table in its own section.
TABLES = (
    Table(
        name="kecamatan",
        caption=_("Jumlah RW, usulan dan perkiraan biaya per kecamatan"),
        sheet=_("Per kecamatan"),
        rows="kecamatan",
        columns=(
            replace(KECAMATAN, cell=_kecamatan_link),
            RW,
            PROPOSALS,
            SHARE_OF_ALL,
            COST,
        ),
        total=_all_kecamatan,
    ),
    Table(
        name="kelurahan",
        caption=_("Jumlah RW, usulan, perkiraan biaya dan prioritas per kelurahan"),
        sheet=_("Per kelurahan"),
        rows="kelurahan",
        columns=(
            # The page names the kecamatan only when it lists the kelurahan of them all.
            Column(_("Kecamatan"), "parent_name", on_page=lambda recap: recap.chosen is None),
            Column(_("Kelurahan"), "name", header=True),
            RW,
            PROPOSALS,
            COST,
            KELURAHAN_PRIORITIES,
            Column(_("Sidang kelompok"), _session_state),
        ),
        total=lambda recap: recap.chosen,
    ),
    Table(
        name="categories",
        caption=_("Jumlah usulan dan perkiraan biaya per kategori"),
        sheet=_("Per kategori"),
        rows="categories",
        columns=(Column(_("Kategori"), "label", header=True), PROPOSALS, SHARE_OF_ALL, COST),
        empty=_("Belum ada usulan."),
    ),
    Table(
        name="sources",
        caption=_("Jumlah usulan, perkiraan biaya dan yang diakomodir per sumber"),
        sheet=_("Per sumber"),
        rows="sources",
        columns=(
            Column(_("Sumber"), "label", header=True),
            PROPOSALS,
            SHARE_OF_ALL,
            COST,
            Column(_("Diakomodir"), "accommodated", COUNT),
        ),
        empty=_("Belum ada usulan."),
    ),
    Table(
        name="units",
        caption=_("Jumlah usulan dan perkiraan biaya per UKPD teknis tujuan"),
        sheet=_("Per UKPD"),
        rows="units",
        columns=(UNIT, PROPOSALS, COST),
        empty=_("Belum ada usulan."),
    ),
    Table(
        name="funnel",
        caption=_("Jumlah usulan pada setiap tahap"),
        sheet=_("Alur usulan"),
        rows="funnel",
        columns=(
            Column(_("Tahap"), "label", header=True),
            Column(pgettext_lazy("banyaknya", "Jumlah"), "count", COUNT),
            _share(_("Persentase dari usulan"), "count", _all_proposals),
        ),
    ),
    Table(
        name="funnel-kecamatan",
        caption=_("Alur usulan per kecamatan"),
        sheet=_("Alur per kecamatan"),
        rows="kecamatan",
        columns=(
            KECAMATAN,
            Column(_("Usulan"), "proposals", COUNT),
            KELURAHAN_PRIORITIES,
            Column(_("Prioritas kecamatan"), "kecamatan_priorities", COUNT),
            Column(_("Diakomodir"), "accommodated", COUNT),
            Column(_("Musrenbang kecamatan"), _session_state, in_sheet=False),
        ),
        total=lambda recap: recap.kota_row,
    ),
    Table(
        name="ceiling",
        caption=_("Pagu indikatif, usulan prioritas dan usulan yang diakomodir per kecamatan"),
        sheet=_("Pagu per kecamatan"),
        rows="kecamatan",
        columns=(
            KECAMATAN,
            Column(
                _("Pagu indikatif"),
                "ceiling",
                MONEY,
                sheet_heading=_("Pagu indikatif (Rp)"),
                cell=_ceiling,
            ),
            Column(
                _("Prioritas kecamatan"),
                "prioritised_cost",
                MONEY,
                sheet_heading=_("Biaya prioritas kecamatan (Rp)"),
            ),
            Column(
                _("Diakomodir"),
                "accommodated_cost",
                MONEY,
                sheet_heading=_("Biaya usulan yang diakomodir (Rp)"),
            ),
        ),
        total=lambda recap: recap.kota_row,
        sheet_total=True,
    ),
    Table(
        name="survey",
        caption=_("Usulan fisik per UKPD teknis: disurvei dan hasil rekomendasinya"),
        sheet=_("Survei per UKPD"),
        rows="surveyed_units",
        columns=(
            replace(UNIT, cell="short_name"),
            Column(_("Usulan fisik"), "physical", COUNT),
            Column(_("Disurvei"), "surveyed", COUNT, cell=_surveyed, nowrap=True),
            Column(_("Direkomendasikan"), "recommended", COUNT),
            Column(_("Tidak direkomendasikan"), "not_recommended", COUNT),
            Column(_("Belum disurvei"), "pending", COUNT),
        ),
        empty=_("Belum ada usulan fisik."),
    ),
    Table(
        name="sessions",
        caption=_("Sidang yang sudah ditutup dari seluruh sidang yang harus diadakan"),
        sheet=_("Progres sidang"),
        rows="sessions",
        columns=(
            Column(_("Jenis sidang"), "label", header=True),
            Column(_("Jadwal"), "starts", cell=_schedule, in_sheet=False),
            Column(_("Ditutup"), "held", COUNT),
            Column(_("Berlangsung"), "running", COUNT),
            Column(_("Jumlah sidang"), "expected", COUNT),
            _share(_("Persentase ditutup"), "held", lambda progress, recap: progress.expected),
            Column(_("Mulai"), "starts", DATE, on_page=False),
            Column(
                _("Selesai"),
                lambda progress, recap: progress.ends or progress.starts,
                DATE,
                on_page=False,
            ),
        ),
    ),
    Table(
        name="realisation-kecamatan",
        caption=_("Realisasi usulan yang diakomodir per kecamatan"),
        sheet=_("Realisasi per kecamatan"),
        rows="realisation_kecamatan",
        columns=(KECAMATAN, *REALISATION),
        total=lambda recap: recap.realisation_total,
    ),
    Table(
        name="realisation-units",
        caption=_("Realisasi usulan yang diakomodir per UKPD pelaksana"),
        sheet=_("Realisasi per UKPD"),
        rows="realisation_units",
        columns=(replace(UNIT, heading=_("UKPD pelaksana"), cell="short_name"), *REALISATION),
        empty=_("Belum ada usulan yang diakomodir."),
    ),
)


def _figure(column: Column, row, recap: Recap):
    if isinstance(column.value, str):
        return getattr(row, column.value)
    return column.value(row, recap)


# -- The page --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageCell:
    content: Any
    css: str = ""
    header: bool = False
    label: Any = ""  # its column's heading, written beside it where a phone stacks the row


@dataclass(frozen=True)
class PageTable:
    """One table as recap/_table.html draws it."""

    name: str
    caption: Promise
    headings: list[PageCell]
    rows: list[list[PageCell]]
    total: list[PageCell] | None
    empty: Promise | None


def page_tables(recap: Recap, *, printed: bool) -> dict[str, PageTable]:
    """The tables of the page (or, `printed`, of its PDF), by name with "_" for "-"."""
    return {table.name.replace("-", "_"): _page_table(table, recap, printed) for table in TABLES}


def _page_table(table: Table, recap: Recap, printed: bool) -> PageTable:
    columns = [c for c in table.columns if _on_page(c, recap)]
    total = table.total(recap) if table.total else None
    return PageTable(
        name=table.name,
        caption=table.caption,
        headings=[PageCell(c.heading, "text-end" if c.kind.end else "") for c in columns],
        rows=[[_page_cell(c, row, recap, printed) for c in columns] for row in _rows(table, recap)],
        total=None if total is None else [_total_cell(c, total, recap) for c in columns],
        empty=table.empty,
    )


def _on_page(column: Column, recap: Recap) -> bool:
    return column.on_page(recap) if callable(column.on_page) else column.on_page


def _rows(table: Table, recap: Recap) -> list:
    return getattr(recap, table.rows)


def _page_cell(column: Column, row, recap: Recap, printed: bool) -> PageCell:
    if column.cell is None:
        content = column.kind.text(_figure(column, row, recap))
    elif isinstance(column.cell, str):
        content = getattr(row, column.cell)
    else:
        content = column.cell(row, recap, printed)
    return PageCell(content, column.css, column.header, column.heading)


def _total_cell(column: Column, row, recap: Recap) -> PageCell:
    """The total row: "Jumlah" where the rows have their name, nothing under text."""
    if column.header:
        return PageCell(pgettext("baris jumlah tabel", "Jumlah"), header=True)
    if column.kind is TEXT:
        return PageCell("", column.css)
    return _page_cell(column, row, recap, printed=True)


# -- The workbook ----------------------------------------------------------------------------


def workbook(recap: Recap) -> bytes:
    """One sheet per table, headings in bold, numbers stored as numbers."""
    book = Workbook()
    book.remove(book.active)
    for table in TABLES:
        columns = [column for column in table.columns if column.in_sheet]
        rows = [[_sheet_value(c, row, recap) for c in columns] for row in _rows(table, recap)]
        if table.sheet_total and table.total:
            total = table.total(recap)
            rows.append(
                [
                    pgettext("baris jumlah tabel", "Jumlah")
                    if c.header
                    else (None if c.kind is TEXT else _sheet_value(c, total, recap))
                    for c in columns
                ]
            )
        _write_sheet(book.create_sheet(str(table.sheet)[:31]), columns, rows)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _sheet_value(column: Column, row, recap: Recap):
    value = _figure(column, row, recap)
    return str(value) if isinstance(value, Promise) else value


def _write_sheet(sheet, columns: list[Column], rows: list[list]) -> None:
    headings = [str(column.sheet_heading or column.heading) for column in columns]
    sheet.append(headings)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([spreadsheet_text(value) for value in row])
    for index, (heading, column) in enumerate(zip(headings, columns, strict=True), start=1):
        if column.kind.number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = column.kind.number_format
        longest = max([len(heading), *(len(str(row[index - 1] or "")) for row in rows)])
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = min(longest + 4, 70)
    sheet.freeze_panes = "A2"
