"""Reading an import spreadsheet: the limits a file must keep to, checked as it is read, and the
encoding a CSV file is read in."""

import io
import time
import zipfile

import pytest

from proposals.spreadsheet import (
    EXAMPLE_ROW,
    HEADERS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_SHEET_ROWS,
    WINDOWS_1252,
    ImportRejected,
    read_rows,
)
from tests.proposals.files import blank_rows_xlsx, header_row, xlsx_of

# Refusing a bomb takes milliseconds; the bound leaves room for a slow, busy test machine.
SECONDS = 5


def refusal(data: bytes, name: str, **options) -> str:
    with pytest.raises(ImportRejected) as rejected:
        read_rows(data, name, **options)
    [problem] = rejected.value.problems
    assert problem.row is None
    return problem.message


def timed_refusal(data: bytes, name: str) -> tuple[str, float]:
    start = time.monotonic()
    message = refusal(data, name)
    return message, time.monotonic() - start


def test_more_than_20000_rows_are_refused():
    lines = [";".join(HEADERS)] + ["31.71.04.1002.001;Judul"] * 20_001
    message = refusal("\n".join(lines).encode(), "banyak.csv")
    assert "lebih dari 20.000 baris" in message


# -- XLSX expanding past the limits -----------------------------------------------------------


def test_an_xlsx_of_1_7_million_blank_rows_is_refused_in_seconds():
    bomb = blank_rows_xlsx(1_700_000)
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        expanded = archive.getinfo("xl/worksheets/sheet1.xml").file_size
    assert len(bomb) < 6_000_000 and expanded > 25_000_000  # within the size limits: counted

    message, seconds = timed_refusal(bomb, "kosong.xlsx")

    assert "lebih dari 25.000 baris (baris kosong ikut dihitung)" in message
    assert seconds < SECONDS


def test_a_sheet_claiming_two_million_rows_is_refused_before_reading():
    sheet = xlsx_of(header_row(), dimension="A1:Z2000000")
    message, seconds = timed_refusal(sheet, "klaim.xlsx")
    assert "lebih dari 25.000 baris" in message
    assert seconds < SECONDS


def test_rows_far_below_the_table_are_counted_as_the_blank_rows_between():
    far = xlsx_of(header_row() + b'<row r="1048576"><c r="A1048576"><v>1</v></c></row>')
    message, seconds = timed_refusal(far, "jauh.xlsx")
    assert "lebih dari 25.000 baris" in message
    assert seconds < SECONDS


def test_a_part_that_unzips_past_50_mb_is_refused_from_the_zip_directory():
    padded = xlsx_of(header_row() + b" " * (51 * 1024 * 1024))
    message, seconds = timed_refusal(padded, "besar.xlsx")
    assert "lebih dari 50 MB setelah dibuka" in message
    assert seconds < SECONDS


def test_a_part_compressed_past_100_times_is_refused():
    padded = xlsx_of(header_row() + b" " * (5 * 1024 * 1024))
    message = refusal(padded, "mampat.xlsx")
    assert "dimampatkan secara tidak wajar" in message


def test_a_sheet_of_too_many_blank_cells_is_refused_as_it_unzips():
    cells = b"".join(b'<c r="A%d" s="1"/>' % number for number in range(MAX_CELLS + 1))
    message = refusal(xlsx_of(header_row() + b'<row r="2">' + cells + b"</row>"), "sel.xlsx")
    assert "lebih dari 600.000 sel" in message


def test_a_full_sheet_of_the_template_is_within_the_limits():
    """20,000 rows of the template's 14 columns, as openpyxl writes them: 15 MB unzipped."""

    def cell(reference: str, value) -> str:
        if isinstance(value, str):
            return f'<c r="{reference}" t="inlineStr"><is><t>{value}</t></is></c>'
        return f'<c r="{reference}"><v>{value}</v></c>'

    letters = "ABCDEFGHIJKLMN"
    rows = "".join(
        f'<row r="{number}">'
        + "".join(
            cell(f"{letter}{number}", value)
            for letter, value in zip(letters, EXAMPLE_ROW, strict=True)
        )
        + "</row>"
        for number in range(2, 20_002)
    )
    header, data_rows = read_rows(xlsx_of(header_row() + rows.encode()), "penuh.xlsx")
    assert list(header) == HEADERS
    assert len(data_rows) == 20_000


# -- Rows, columns and cells, as they are read (CSV and XLSX alike) -----------------------------


def test_blank_lines_past_the_sheet_limit_are_refused():
    data = (";".join(HEADERS) + "\n" + "\n" * MAX_SHEET_ROWS).encode()
    assert "lebih dari 25.000 baris" in refusal(data, "kosong.csv")


def test_a_row_with_data_in_too_many_columns_is_named():
    header = ";".join(HEADERS)
    wide = ";".join(["x"] * (MAX_COLUMNS + 1))
    message = refusal(f"{header}\n31.71.04.1002.001;Judul\n{wide}\n".encode(), "lebar.csv")
    assert message == (
        "Baris 3 berisi data di lebih dari 20 kolom. Hapus kolom yang tidak dipakai; "
        "templat impor memakai 14 kolom."
    )


def test_blank_cells_count_towards_the_cells_limit():
    row = "31.71.04.1002.001;Judul" + ";" * 28  # 30 cells, two of them filled
    data = "\n".join([";".join(HEADERS), *[row] * 20_001]).encode()
    assert "lebih dari 600.000 sel" in refusal(data, "sel.csv")


# -- The encoding of a CSV file ---------------------------------------------------------------

HEADER_LINE = ";".join(HEADERS).encode()
CAFE_ROW = "31.71.04.1002.001;Kafé RW 001".encode("cp1252")  # é is byte 0xE9: not UTF-8


def test_a_csv_with_an_invalid_utf8_byte_is_refused_naming_line_and_byte():
    data = b"\r\n".join([HEADER_LINE, b"31.71.04.1002.001;Judul", CAFE_ROW])
    assert CAFE_ROW.index(b"\xe9") + 1 == 22
    assert refusal(data, "lama.csv") == (
        "Baris 3, bita 22: bukan UTF-8 yang sah. Simpan ulang sebagai CSV UTF-8, atau pilih "
        "pengodean Windows-1252 bila berkas dibuat di Excel lama."
    )


def test_a_csv_chosen_as_windows_1252_is_read_in_it():
    data = b"\r\n".join([HEADER_LINE, CAFE_ROW])
    _header, [(number, values)] = read_rows(data, "lama.csv", encoding=WINDOWS_1252)
    assert (number, values[:2]) == (2, ("31.71.04.1002.001", "Kafé RW 001"))


def test_a_byte_order_mark_says_utf8_whatever_was_chosen():
    data = "\ufeff".encode() + b"\r\n".join([HEADER_LINE, "x;Kafé".encode()])
    _header, [(_number, values)] = read_rows(data, "baru.csv", encoding=WINDOWS_1252)
    assert values[1] == "Kafé"


def test_a_byte_windows_1252_leaves_undefined_is_refused_naming_it():
    data = b"\n".join([HEADER_LINE, b"x;ab\x81"])
    message = refusal(data, "aneh.csv", encoding=WINDOWS_1252)
    assert message.startswith("Baris 2, bita 5: bukan Windows-1252 yang sah.")
