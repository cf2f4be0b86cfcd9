"""The import spreadsheet's format: its columns and templates, and reading an XLSX or CSV file."""

import codecs
import csv
import io
import re
import warnings
import zipfile
import zlib
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

MAX_BYTES = 10 * 1024 * 1024  # the file as uploaded
MAX_ROWS = 20_000  # proposals in one file
# Limits on what a file holds, checked as it is read: a small file may expand to millions of
# blank rows or cells, and reading them would hold a worker for longer than the server allows.
MAX_SHEET_ROWS = MAX_ROWS + 5_000  # rows read, blank ones included
MAX_CELLS = MAX_ROWS * 30  # cells read, blank ones included (3 to 4 s of reading)
MAX_XLSX_EXPANDED = 50 * 1024 * 1024  # an XLSX's parts once unzipped
MAX_XLSX_RATIO = 100  # how far a part over 1 MB may be compressed (real sheets: 5 to 30 times)
MAX_XLSX_MARKUP = 4_000_000  # XML tags in all parts (20,000 rows of the template: 1.5 million)
MAX_XLSX_PARTS = 1_000

# The encodings a CSV file may be read in: UTF-8, or the one old Excel saves "CSV" in on Windows.
UTF_8 = "utf-8"
WINDOWS_1252 = "cp1252"
ENCODINGS = [
    (UTF_8, gettext_lazy("UTF-8 (bawaan)")),
    (WINDOWS_1252, gettext_lazy("Windows-1252 (Excel lama)")),
]

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
MAX_COLUMNS = len(HEADERS) + 6  # columns holding something: the template's, a number, notes

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


def read_rows(
    data: bytes, name: str, *, encoding: str = UTF_8
) -> tuple[tuple, list[tuple[int, tuple]]]:
    """The header row and the non-blank data rows, each with its row number as shown.

    A CSV file is decoded in `encoding` (one of ENCODINGS), never in a guessed one. Raises
    ImportRejected for a file that is empty, not an XLSX or CSV, or past a limit; the limits
    are checked as the file is read, so a file past one is refused without reading the rest.
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
        rows = _csv_rows(data, encoding)
    else:
        raise _file_error(_("Format berkas tidak didukung. Unggah berkas .xlsx atau .csv."))
    return _take_rows(rows)


def _grouped(number: int) -> str:
    return number_format(number, force_grouping=True)


def _too_many_rows() -> ImportRejected:
    return _file_error(
        _(
            "Lembar kerja berisi lebih dari %(max)s baris (baris kosong ikut dihitung). Hapus "
            "baris kosong di bawah tabel, atau bagilah menjadi beberapa berkas."
        )
        % {"max": _grouped(MAX_SHEET_ROWS)}
    )


def _too_many_cells() -> ImportRejected:
    return _file_error(
        _(
            "Lembar kerja berisi lebih dari %(max)s sel (sel kosong ikut dihitung). Hapus baris "
            "dan kolom kosong di sekitar tabel, atau bagilah menjadi beberapa berkas."
        )
        % {"max": _grouped(MAX_CELLS)}
    )


def _not_xlsx() -> ImportRejected:
    return _file_error(_("Berkas ini bukan lembar kerja XLSX yang sah."))


def _xlsx_rows(data: bytes):
    _xlsx_check(data)
    # openpyxl reports a damaged or foreign file with many exception types (zip, XML, key and
    # value errors), some only while the rows are read; all of them mean "not a usable XLSX".
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        raise _not_xlsx() from error
    try:
        if not workbook.worksheets:
            raise _file_error(_("Berkas XLSX tidak berisi lembar kerja."))
        sheet = workbook.worksheets[0]
        if not hasattr(sheet, "reset_dimensions"):
            raise _file_error(_("Lembar pertama berkas XLSX harus berisi tabel usulan."))
        # The size the file states for the sheet is refused when too large, before any row
        # is read; otherwise it is not trusted (some programs write "A1"), and what is there
        # is read, within the limits.
        if (sheet.max_row or 0) > MAX_SHEET_ROWS:
            raise _too_many_rows()
        if (sheet.max_row or 0) * (sheet.max_column or 0) > MAX_CELLS:
            raise _too_many_cells()
        sheet.reset_dimensions()
        try:
            yield from sheet.iter_rows(min_row=1, values_only=True)
        except Exception as error:
            raise _file_error(_("Berkas XLSX rusak dan tidak dapat dibaca.")) from error
    finally:
        workbook.close()


# An XML start tag of a row or a cell, with or without a namespace prefix ("<row ", "<x:c>").
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_CHUNK = 1024 * 1024


def _xlsx_check(data: bytes) -> None:
    """Refuse an XLSX that would expand past the limits before openpyxl parses any of it (it
    reads a whole sheet just to size it when the sheet does not state its size): first from
    the zip directory, then by counting the rows, cells and tags of each part as it unzips,
    stopping at the first limit passed."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            _directory_check(parts)
            markup = 0
            for part in parts:
                markup = _part_check(archive, part, markup)
    # zipfile's ways of saying "damaged, encrypted, or compressed in an unknown way".
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, ValueError) as error:
        raise _not_xlsx() from error


def _directory_check(parts: list[zipfile.ZipInfo]) -> None:
    # The sizes are the ones the zip directory states; zipfile never unzips more than that.
    if len(parts) > MAX_XLSX_PARTS:
        raise _not_xlsx()
    if sum(part.file_size for part in parts) > MAX_XLSX_EXPANDED:
        raise _file_error(
            _(
                "Berkas XLSX ini lebih dari %(max)s MB setelah dibuka. Hapus baris dan kolom "
                "kosong di sekitar tabel, atau bagilah menjadi beberapa berkas."
            )
            % {"max": MAX_XLSX_EXPANDED // (1024 * 1024)}
        )
    if any(
        part.file_size > _CHUNK and part.file_size > MAX_XLSX_RATIO * part.compress_size
        for part in parts
    ):
        raise _file_error(
            _(
                "Berkas XLSX ini dimampatkan secara tidak wajar dan tidak dibuka. Simpan "
                "ulang dari program lembar kerja lalu unggah lagi."
            )
        )


def _part_check(archive: zipfile.ZipFile, part: zipfile.ZipInfo, markup: int) -> int:
    """Count one part's rows, cells and tags; return the tags counted so far in the file."""
    rows = cells = 0
    carried = b""
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            text = carried + chunk
            # A tag cut at the end of the chunk is counted with the next one.
            cut = text.rfind(b"<", max(len(text) - 64, 0))
            text, carried = (text, b"") if cut < 0 else (text[:cut], text[cut:])
            rows += len(_ROW_TAG.findall(text))
            cells += len(_CELL_TAG.findall(text))
            markup += text.count(b"<")
            if rows > MAX_SHEET_ROWS:
                raise _too_many_rows()
            if cells > MAX_CELLS:
                raise _too_many_cells()
            if markup > MAX_XLSX_MARKUP:
                raise _file_error(
                    _(
                        "Berkas XLSX ini terlalu rumit untuk dibaca. Salin tabel usulan saja ke "
                        "berkas baru, atau bagilah menjadi beberapa berkas."
                    )
                )
    return markup


def _decode(data: bytes, encoding: str) -> str:
    # A byte-order mark says UTF-8 whatever was chosen; without one, the chosen encoding is
    # the only one tried, so a wrong byte is reported instead of read as another letter.
    if data.startswith(codecs.BOM_UTF8):
        encoding, skip = UTF_8, len(codecs.BOM_UTF8)
    else:
        skip = 0
    try:
        return data[skip:].decode(encoding)
    except UnicodeDecodeError as error:
        offset = skip + error.start
        line_start = data.rfind(b"\n", 0, offset) + 1
        position = {"line": data.count(b"\n", 0, offset) + 1, "byte": offset - line_start + 1}
        if encoding == UTF_8:
            message = _(
                "Baris %(line)s, bita %(byte)s: bukan UTF-8 yang sah. Simpan ulang sebagai CSV "
                "UTF-8, atau pilih pengodean Windows-1252 bila berkas dibuat di Excel lama."
            )
        else:
            message = _(
                "Baris %(line)s, bita %(byte)s: bukan Windows-1252 yang sah. Simpan ulang "
                "sebagai CSV UTF-8, lalu pilih pengodean UTF-8."
            )
        raise _file_error(message % position) from error


def _csv_rows(data: bytes, encoding: str):
    if b"\x00" in data:  # a binary file (or UTF-16 text) under a .csv name
        raise _file_error(_("Berkas ini bukan CSV yang sah."))
    text = _decode(data, encoding)
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


def _width(values: tuple) -> int:
    """How many columns of the row hold something (blank cells at its end do not count)."""
    return next((i for i in range(len(values), 0, -1) if not is_blank(values[i - 1])), 0)


def _take_rows(rows) -> tuple[tuple, list[tuple[int, tuple]]]:
    header = None
    data_rows: list[tuple[int, tuple]] = []
    cells = 0
    for number, values in enumerate(rows, start=1):
        values = tuple(values)
        if number > MAX_SHEET_ROWS:
            raise _too_many_rows()
        cells += len(values)
        if cells > MAX_CELLS:
            raise _too_many_cells()
        if _width(values) > MAX_COLUMNS:
            raise _file_error(
                _(
                    "Baris %(row)s berisi data di lebih dari %(max)s kolom. Hapus kolom yang "
                    "tidak dipakai; templat impor memakai %(template)s kolom."
                )
                % {"row": number, "max": MAX_COLUMNS, "template": len(HEADERS)}
            )
        if number == 1:
            header = values
            continue
        if all(is_blank(value) for value in values):
            continue
        if len(data_rows) == MAX_ROWS:
            raise _file_error(
                _("Berkas berisi lebih dari %(max)s baris usulan. Bagilah menjadi beberapa berkas.")
                % {"max": _grouped(MAX_ROWS)}
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
