"""Numbers and dates as Indonesians write them (Rp 1.250.000, 73,88 %, 1.451, 26 Februari
2024), and text made fit for a spreadsheet cell."""

import datetime
import re
from decimal import Decimal

DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]


def thousands(value: int | Decimal | None) -> str:
    """1451 → "1.451"; decimals keep two places with a comma: 12.5 → "12,50"."""
    if value is None:
        return ""
    if isinstance(value, Decimal) and value != value.to_integral_value():
        whole, _, fraction = f"{value:,.2f}".partition(".")
        return whole.replace(",", ".") + "," + fraction
    return f"{int(value):,}".replace(",", ".")


def rupiah(value: int | Decimal | None) -> str:
    if value is None:
        return ""
    return f"Rp {thousands(int(value))}"


def percent(part: int, whole: int) -> str:
    """Share of `whole`, two decimals, Indonesian form: "73,88 %"."""
    if not whole:
        return "0,00 %"
    return f"{Decimal(part) * 100 / Decimal(whole):.2f}".replace(".", ",") + " %"


def date_short(moment: datetime.date) -> str:
    """'26 Februari 2024'."""
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"


# A spreadsheet reads a cell starting with one of these as a formula (or, for tab and carriage
# return, shifts it into one): "=HYPERLINK(…)" typed as a proposal's title must stay text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# What no document should carry, whatever text was stored (by hand, by an old import): control
# characters but tab and line breaks (an XLSX cannot hold them at all), the marks that reverse or
# reorder the text shown (a name that reads backwards), a byte-order mark, the two
# non-characters XML refuses, and halves of a UTF-16 pair (no UTF-8 file can hold them).
UNPRINTABLE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
    r"\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff\ud800-\udfff]"
)


def printable_text(text: str) -> str:
    """`text` without the characters of UNPRINTABLE; everything else as it was."""
    return UNPRINTABLE.sub("", text)


def spreadsheet_text(value):
    """A value for a CSV/XLSX cell: text loses what no sheet can hold (printable_text), and text
    that a spreadsheet would take for a formula gets a leading apostrophe (OWASP's advice);
    numbers and everything else pass unchanged."""
    if not isinstance(value, str):
        return value
    value = printable_text(value)
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
