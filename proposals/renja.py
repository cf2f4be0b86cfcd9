"""What the Renja team works with: the cycle's sub kegiatan list, imported from a spreadsheet
(read by spreadsheet.read_rows, the proposal import's reader and limits), and the XLSX of the
accommodated proposals grouped by the responsible SKPD/UKPD."""

import io
from collections.abc import Iterable
from itertools import groupby
from typing import NamedTuple

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from areas import audit
from areas.formatting import spreadsheet_text
from areas.models import User
from proposals.import_rows import _cleaned
from proposals.models import Cycle, Decision, SubActivity
from proposals.spreadsheet import UTF_8, ImportRejected, Problem, is_blank, normalized, read_rows

# The file's columns (Indonesian whatever the page's language, like the proposal import's), the
# field each fills, and its longest text.
COLUMNS = [
    ("Kode program", "program_code", 30),
    ("Program", "program_name", 255),
    ("Kode kegiatan", "activity_code", 30),
    ("Kegiatan", "activity_name", 255),
    ("Kode sub kegiatan", "code", 30),
    ("Sub kegiatan", "name", 255),
]
HEADERS = [header for header, _field, _limit in COLUMNS]
FIELDS = [field for _header, field, _limit in COLUMNS]


class SubActivitiesImported(NamedTuple):
    created: int
    updated: int
    notes: list[Problem]  # cells changed on the way in (control characters left out), by row


def sub_activities_import(
    *, cycle: Cycle, data: bytes, file_name: str, by: User, encoding: str = UTF_8
) -> SubActivitiesImported:
    """The cycle's sub kegiatan from the file: a known code updated, a new one added, or, if any
    row is wrong, nothing at all (ImportRejected names every wrong row)."""
    header, rows = read_rows(data, file_name, encoding=encoding)
    positions = _positions(header)
    lines, problems, notes = {}, [], []
    for number, values in rows:
        line = _line(number, values, positions, problems, notes)
        if line is None:
            continue
        if line["code"] in lines:
            first = lines[line["code"]][0]
            message = _("Kode sub kegiatan %(code)s sudah ada di baris %(row)s.")
            problems.append(
                Problem(number, HEADERS[4], message % {"code": line["code"], "row": first})
            )
            continue
        lines[line["code"]] = (number, line)
    if problems:
        raise ImportRejected(sorted(problems))
    created, updated = _write(cycle, [line for _number, line in lines.values()])
    return SubActivitiesImported(created, updated, notes)


def _positions(header: tuple) -> dict[str, int]:
    found = {normalized(cell): index for index, cell in enumerate(header) if not is_blank(cell)}
    missing = [h for h in HEADERS if normalized(h) not in found]
    if missing:
        raise ImportRejected(
            [
                Problem(
                    None,
                    "",
                    _("Kolom wajib tidak ada di baris 1: %(columns)s.")
                    % {"columns": ", ".join(missing)},
                )
            ]
        )
    return {field: found[normalized(h)] for h, field, _limit in COLUMNS}


def _line(number, values, positions, problems, notes) -> dict | None:
    """One row's fields, or None with its problems added."""
    line, wrong = {}, False
    for header, field, limit in COLUMNS:
        index = positions[field]
        value = values[index] if index < len(values) else None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text, changes = _cleaned("" if value is None else str(value).strip(), header)
        text = text.strip()
        notes += [Problem(number, header, change) for change in changes]
        if not text:
            problems.append(
                Problem(number, header, _("%(column)s wajib diisi.") % {"column": header})
            )
            wrong = True
        elif len(text) > limit:
            message = _("%(column)s paling banyak %(max)s karakter (terisi %(length)s).")
            problems.append(
                Problem(
                    number, header, message % {"column": header, "max": limit, "length": len(text)}
                )
            )
            wrong = True
        line[field] = text
    return None if wrong else line


@transaction.atomic
def _write(cycle: Cycle, lines: list[dict]) -> tuple[int, int]:
    existing = {s.code: s for s in SubActivity.objects.select_for_update().filter(cycle=cycle)}
    fresh, changed, pairs = [], [], []
    for line in lines:
        current = existing.get(line["code"])
        if current is None:
            fresh.append(SubActivity(cycle=cycle, **line))
            pairs.append((None, fresh[-1]))
        elif any(getattr(current, field) != line[field] for field in FIELDS):
            before = SubActivity(**{f: getattr(current, f) for f in ["pk", "cycle_id", *FIELDS]})
            for field in FIELDS:
                setattr(current, field, line[field])
            changed.append(current)
            pairs.append((before, current))
    SubActivity.objects.bulk_create(fresh)
    SubActivity.objects.bulk_update(changed, FIELDS)
    audit.record(pairs)
    return len(fresh), len(changed)


def template_rows() -> list[list[str]]:
    """The header row and one example line, for the page's guide."""
    return [
        HEADERS,
        [
            "1.03.10",
            "Program Penyelenggaraan Jalan",
            "1.03.10.2.01",
            "Penyelenggaraan Jalan Kabupaten/Kota",
            "1.03.10.2.01.0012",
            "Pembangunan Jalan",
        ],
    ]


# -- The Renja export ------------------------------------------------------------------------

EXPORT_HEADERS = [
    "Kode usulan",
    "Program",
    "Kegiatan",
    "Sub kegiatan",
    "Kecamatan",
    "Kelurahan",
    "RW",
    "Alamat",
    "Volume",
    "Satuan",
    "Pagu (Rp)",
    "Tahun anggaran",
]
AMOUNT_COLUMN = EXPORT_HEADERS.index("Pagu (Rp)") + 1
COLUMN_WIDTHS = (14, 40, 40, 40, 16, 16, 10, 30, 10, 8, 16, 10)


def accommodated(cycle: Cycle, proposals) -> Iterable[Decision]:
    """The accommodated decisions on `proposals` (a visible QuerySet) of the cycle, by unit."""
    return (
        Decision.objects.filter(
            kind__in=Decision.ACCOMMODATED, proposal__in=proposals, proposal__cycle=cycle
        )
        .select_related(
            "unit",
            "sub_activity",
            "proposal__kecamatan",
            "proposal__kelurahan",
            "proposal__rw",
            "proposal__survey",
        )
        .order_by("unit__name", "unit_id", "proposal__code")
    )


def _row(decision: Decision) -> list:
    proposal, sub = decision.proposal, decision.sub_activity
    survey = getattr(proposal, "survey", None)
    # A decision recorded before the Renja fields were asked may lack them: cells left empty.
    return [
        proposal.code,
        f"{sub.program_code} {sub.program_name}" if sub else "",
        f"{sub.activity_code} {sub.activity_name}" if sub else "",
        f"{sub.code} {sub.name}" if sub else "",
        proposal.kecamatan.name,
        proposal.kelurahan.name,
        proposal.rw.name,
        proposal.address,
        survey.revised_volume if survey is not None else proposal.volume,
        proposal.measure,
        decision.amount,
        decision.budget_year,
    ]


def renja_workbook(cycle: Cycle, decisions: Iterable[Decision]) -> bytes:
    """One sheet: per SKPD/UKPD a heading row, its proposals and a subtotal; a grand total."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Renja"
    bold = Font(bold=True)
    title = _("Usulan musrenbang yang diakomodir — %(cycle)s") % {"cycle": cycle}
    _append(sheet, [title], bold)
    _append(sheet, EXPORT_HEADERS, bold)
    total = 0
    for _unit, group in groupby(decisions, key=lambda d: d.unit_id):
        group = list(group)
        unit = group[0].unit.name if group[0].unit_id else _("SKPD/UKPD belum ditentukan")
        _append(sheet, [unit], bold)
        for decision in group:
            _append(sheet, _row(decision))
        subtotal = sum(d.amount or 0 for d in group)
        total += subtotal
        _append(sheet, _total_row(_("Jumlah %(unit)s") % {"unit": unit}, subtotal), bold)
    _append(sheet, _total_row(_("Jumlah seluruhnya"), total), bold)
    for row in sheet.iter_rows(min_row=3, min_col=AMOUNT_COLUMN, max_col=AMOUNT_COLUMN):
        row[0].number_format = "#,##0"
    for letter, width in zip("ABCDEFGHIJKL", COLUMN_WIDTHS, strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A3"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _total_row(label: str, amount: int) -> list:
    row = [label] + [None] * (len(EXPORT_HEADERS) - 1)
    row[AMOUNT_COLUMN - 1] = amount
    return row


def _append(sheet, values: list, font: Font | None = None) -> None:
    """A row of cells no spreadsheet runs as a formula and no stored text can break."""
    sheet.append([spreadsheet_text(value) for value in values])
    if font is not None:
        for cell in sheet[sheet.max_row]:
            cell.font = font
