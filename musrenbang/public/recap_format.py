"""The recap's figures written the way the active language writes them: "1.451", "Rp 1.250.000",
"73,88 %" and "2 Desember 2026" on Indonesian pages; "1,451", "Rp 1,250,000", "73.88%" and
"2 December 2026" on English ones. The PDF and the XLSX are made in Indonesian (override("id")),
so they keep the Indonesian forms."""

import datetime
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext


def count(value: int | None) -> str:
    if value is None:
        return ""
    return formats.number_format(value, 0, force_grouping=True)


def money(value: int | None) -> str:
    if value is None:
        return ""
    return f"Rp {count(value)}"


def share(part: int, whole: int) -> str:
    """`part` as a percentage of `whole`, two decimals; "0,00 %" of nothing."""
    value = Decimal(part) * 100 / Decimal(whole) if whole else Decimal(0)
    # Rounded as areas.formatting.percent rounds; number_format would cut the third decimal off.
    value = value.quantize(Decimal("0.01"))
    # Translators: a percentage; Indonesian puts a space before the sign, English does not.
    return gettext("%(share)s %%") % {"share": formats.number_format(value, 2)}


def day(value: datetime.date) -> str:
    return formats.date_format(value, "DATE_FORMAT")
