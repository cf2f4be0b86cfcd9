"""Numbers as Indonesians write them: Rp 1.250.000, 73,88 %, 1.451."""

from decimal import Decimal


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


# A spreadsheet reads a cell starting with one of these as a formula (or, for tab and carriage
# return, shifts it into one): "=HYPERLINK(…)" typed as a proposal's title must stay text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value):
    """A value for a CSV/XLSX cell: text that a spreadsheet would take for a formula gets a
    leading apostrophe (OWASP's advice); numbers and everything else pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
