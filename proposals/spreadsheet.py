"""The import spreadsheet's format: its columns and templates, and reading an XLSX or CSV file."""

import csv
import io
import warnings
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024

RW = "Kode RW"
TITLE = "Judul"
PROBLEM = "Permasalahan dan alasan"
ITEM = "Kode kamus"
CATEGORY = "Kategori"
UNIT = "Kode UKPD"
VOLUME = "Volume"
MEASURE = "Satuan"
PRICE = "Harga satuan"
ADDRESS = "Alamat"
RT = "RT"
LATITUDE = "Lintang"
LONGITUDE = "Bujur"
BENEFICIARIES = "Penerima manfaat"

# The file format is a contract with the officials' spreadsheets, so the headers stay Indonesian
# whatever the language of the page.
HEADERS = [
    RW,
    TITLE,
    PROBLEM,
    ITEM,
    CATEGORY,
    UNIT,
    VOLUME,
    MEASURE,
    PRICE,
    ADDRESS,
    RT,
    LATITUDE,
    LONGITUDE,
    BENEFICIARIES,
]
REQUIRED_HEADERS = [RW, TITLE, PROBLEM, VOLUME, ADDRESS]

EXAMPLE_ROW = [
    "31.71.04.1002.001",
    "Betonisasi jalan lingkungan RT 003",
    "Jalan rusak dan tergenang setiap hujan.",
    "BM-01",
    "fisik",
    "binamarga",
    120,
    "m2",
    450_000,
    "Jl. Kenari II",
    "003",
    -6.1862,
    106.8505,
    250,
]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing to fix: the spreadsheet row (None for the whole file), column and message."""

    row: int | None
    column: str
    message: str


class ImportRejected(Exception):
    """The file was not imported; `problems` says why (nothing was written)."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems[0].message if problems else "")
        self.problems = problems


def _file_error(message: str) -> ImportRejected:
    return ImportRejected([Problem(None, "", message)])


# -- Reading the file -------------------------------------------------------------------------


def normalized(text: str) -> str:
    """A header or name as compared: spaces collapsed, case folded."""
    return " ".join(str(text).split()).casefold()


def is_blank(value) -> bool:
    """Whether a cell is empty: nothing, or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def read_rows(data: bytes, name: str) -> tuple[tuple, list[tuple[int, tuple]]]:
    """The header row and the non-blank data rows, each with its row number as shown.

    Raises ImportRejected for a file that is empty, not an XLSX or CSV, or too long.
    """
    if not data:
        raise _file_error(_("Berkas kosong."))
    lower = name.lower()
    if data.startswith(b"PK\x03\x04") or lower.endswith((".xlsx", ".xlsm")):
        rows = _xlsx_rows(data)
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _file_error(
            _("Berkas .xls (Excel 97–2003) tidak didukung. Simpan sebagai .xlsx lalu unggah lagi.")
        )
    elif lower.endswith((".csv", ".txt")):
        rows = _csv_rows(data)
    else:
        raise _file_error(_("Format berkas tidak didukung. Unggah berkas .xlsx atau .csv."))
    return _take_rows(rows)


def _xlsx_rows(data: bytes):
    # openpyxl reports a damaged or foreign file with many exception types (zip, XML, key and
    # value errors), some only while the rows are read; all of them mean "not a usable XLSX".
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        raise _file_error(_("Berkas ini bukan lembar kerja XLSX yang sah.")) from error
    try:
        if not workbook.worksheets:
            raise _file_error(_("Berkas XLSX tidak berisi lembar kerja."))
        sheet = workbook.worksheets[0]
        if not hasattr(sheet, "reset_dimensions"):
            raise _file_error(_("Lembar pertama berkas XLSX harus berisi tabel usulan."))
        # The stored dimensions may be wrong (some programs write "A1"); read what is there.
        sheet.reset_dimensions()
        try:
            yield from sheet.iter_rows(min_row=1, values_only=True)
        except Exception as error:
            raise _file_error(_("Berkas XLSX rusak dan tidak dapat dibaca.")) from error
    finally:
        workbook.close()


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Excel on Windows saves "CSV (comma delimited)" in the Windows code page.
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise _file_error(
            _("Berkas CSV harus berenkode UTF-8. Di Excel, simpan sebagai “CSV UTF-8”.")
        ) from error


def _csv_rows(data: bytes):
    if b"\x00" in data:  # a binary file (or UTF-16 text) under a .csv name
        raise _file_error(_("Berkas ini bukan CSV yang sah."))
    text = _decode(data)
    header_line = text.split("\n", 1)[0]
    counts = {delimiter: header_line.count(delimiter) for delimiter in (";", ",", "\t")}
    delimiter = max(counts, key=counts.get) if any(counts.values()) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as error:
        raise _file_error(
            _("Berkas CSV rusak di baris %(row)s dan tidak dapat dibaca.")
            % {"row": reader.line_num}
        ) from error


def _take_rows(rows) -> tuple[tuple, list[tuple[int, tuple]]]:
    header = None
    data_rows: list[tuple[int, tuple]] = []
    for number, values in enumerate(rows, start=1):
        values = tuple(values)
        if number == 1:
            header = values
            continue
        if all(is_blank(value) for value in values):
            continue
        if len(data_rows) == MAX_ROWS:
            raise _file_error(
                _("Berkas berisi lebih dari %(max)s baris usulan. Bagilah menjadi beberapa berkas.")
                % {"max": number_format(MAX_ROWS, force_grouping=True)}
            )
        data_rows.append((number, values))
    if header is None or all(is_blank(value) for value in header):
        raise _file_error(_("Baris 1 harus berisi judul kolom (lihat templat)."))
    if not data_rows:
        raise _file_error(_("Berkas tidak berisi usulan: semua baris di bawah judul kolom kosong."))
    return header, data_rows


def column_positions(header: tuple) -> dict[str, int]:
    """Where each known column sits; raises ImportRejected for missing or doubled headers."""
    known = {normalized(h): h for h in HEADERS}
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        if is_blank(cell):
            continue
        column = known.get(normalized(cell))
        if column is None:
            continue  # extra columns (a running number, notes) are allowed and ignored
        if column in positions:
            raise _file_error(
                _("Kolom “%(column)s” muncul dua kali di baris 1.") % {"column": column}
            )
        positions[column] = index
    missing = [h for h in REQUIRED_HEADERS if h not in positions]
    if missing:
        raise _file_error(
            _("Kolom wajib tidak ada di baris 1: %(columns)s. Gunakan templat impor.")
            % {"columns": ", ".join(missing)}
        )
    return positions


# -- Templates --------------------------------------------------------------------------------


def column_guide() -> list[tuple[str, str, str]]:
    """(column, when it is required, what to write) for the page and the template."""
    with_catalogue = _("Wajib bila Kode kamus kosong")
    return [
        (RW, _("Wajib"), _("Kode Kemendagri RW, mis. 31.71.04.1002.001.")),
        (TITLE, _("Wajib"), _("Paling banyak 200 karakter.")),
        (PROBLEM, _("Wajib"), _("Permasalahan di lokasi dan alasan usulan.")),
        (
            ITEM,
            _("Tidak"),
            _(
                "Kode item kamus usulan; kategori, UKPD, satuan dan harga diambil "
                "darinya bila dikosongkan."
            ),
        ),
        (CATEGORY, with_catalogue, _("fisik, pengadaan atau non_fisik.")),
        (UNIT, with_catalogue, _("Kode UKPD teknis tujuan, mis. binamarga.")),
        (VOLUME, _("Wajib"), _("Angka lebih dari 0, paling banyak 2 angka di belakang koma.")),
        (MEASURE, with_catalogue, _("Paling banyak 20 karakter, mis. m2.")),
        (PRICE, with_catalogue, _("Rupiah bulat, mis. 1.250.000 atau 1250000.")),
        (ADDRESS, _("Wajib"), _("Alamat lokasi, paling banyak 255 karakter.")),
        (RT, _("Tidak"), _("Nomor RT, paling banyak 3 digit.")),
        (LATITUDE, _("Tidak"), _("Desimal, mis. -6,1862; isi bersama Bujur.")),
        (LONGITUDE, _("Tidak"), _("Desimal, mis. 106,8505; isi bersama Lintang.")),
        (BENEFICIARIES, _("Tidak"), _("Jumlah jiwa, bilangan bulat; 0 bila kosong.")),
    ]


def template_xlsx() -> bytes:
    """An empty import template: the header row and one example row, plus a guide sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Usulan")
    sheet.append(HEADERS)
    sheet.append(EXAMPLE_ROW)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.cell(row=2, column=HEADERS.index(PRICE) + 1).number_format = "#,##0"
    for index, header in enumerate(HEADERS, start=1):
        width = max(len(header), len(str(EXAMPLE_ROW[index - 1]))) + 4
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet(_("Petunjuk"))
    guide.append([_("Kolom"), _("Wajib diisi"), _("Keterangan")])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for row in column_guide():
        guide.append(list(row))
    guide.append([])
    guide.append([_("Hapus baris contoh sebelum mengimpor. Satu baris untuk satu usulan.")])
    for letter, width in (("A", 26), ("B", 30), ("C", 90)):
        guide.column_dimensions[letter].width = width
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def template_csv() -> bytes:
    """The same template as CSV: UTF-8 with BOM and ";" so Excel in Indonesian opens it right."""
    example = [_csv_value(value) for value in EXAMPLE_ROW]
    output = io.StringIO(newline="")
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerow(example)
    return ("\ufeff" + output.getvalue()).encode("utf-8")


def _csv_value(value) -> str:
    if isinstance(value, float):
        return str(value).replace(".", ",")
    if isinstance(value, int) and value >= 10_000:
        return f"{value:,}".replace(",", ".")
    return str(value)
