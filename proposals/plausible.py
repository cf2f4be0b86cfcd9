"""What a proposal's figures may plausibly be: one rule for the proposal form and the importer.

An RT number of ASCII digits, coordinates inside DKI Jakarta, a volume within its catalogue
item's limit (or the system's) and a cost within the system's ceiling.
"""

import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from areas.formatting import rupiah, thousands

# DKI Jakarta from its southern border to the northern islands of Kepulauan Seribu (degrees).
LATITUDE_BOUNDS = (Decimal("-6.40"), Decimal("-5.19"))
LONGITUDE_BOUNDS = (Decimal("106.39"), Decimal("106.98"))
# The cost is stored as a 64-bit whole number: no setting may raise the ceiling above it.
BIGINT_MAX = 2**63 - 1

# ASCII digits only: str.isdigit(), int() and the regex \d also take "٣" or "３", which would
# be stored as "00٣" and sort, print and match as nobody expects.
_RT = re.compile(r"[0-9]{1,3}")
_STORED_RT = re.compile(r"[0-9]{3}")


def rt_number(text: str) -> str:
    """An RT as typed ("3", "03", "003") in its stored form "003"; ValidationError otherwise."""
    text = text.strip()
    if not _RT.fullmatch(text) or int(text) == 0:
        raise ValidationError(_rt_message(), code="rt")
    return text.zfill(3)


def _rt_message() -> str:
    return _("RT ditulis dengan angka 0–9, dari 001 sampai 999 (mis. 003).")


def volume_limit(max_volume: Decimal | None) -> Decimal:
    """The largest volume of one proposal: its catalogue item's limit, else the system's."""
    return max_volume if max_volume is not None else Decimal(settings.PROPOSAL_MAX_VOLUME)


def _degrees(value: Decimal) -> str:
    return str(value).replace(".", ",")


def _outside(value, bounds: tuple[Decimal, Decimal]) -> bool:
    return value is not None and not bounds[0] <= Decimal(value) <= bounds[1]


def proposal_problems(
    *,
    rt: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    volume: Decimal | None = None,
    unit_price: int | None = None,
    max_volume: Decimal | None = None,
) -> dict[str, str]:
    """What is implausible in a proposal's figures, by field ("rt", "latitude", "longitude",
    "volume", "unit_price" for the cost); empty when all is well. A value that is None (not
    given, or already refused) is not checked. `rt` is in its stored form ("003"); `max_volume`
    is the catalogue item's limit, if it has one."""
    problems = {}
    if rt and (not _STORED_RT.fullmatch(rt) or rt == "000"):
        problems["rt"] = _rt_message()
    for field, value, bounds, label in (
        ("latitude", latitude, LATITUDE_BOUNDS, _("Lintang")),
        ("longitude", longitude, LONGITUDE_BOUNDS, _("Bujur")),
    ):
        if _outside(value, bounds):
            problems[field] = _(
                "%(field)s di luar wilayah DKI Jakarta: isi antara %(low)s dan %(high)s."
            ) % {"field": label, "low": _degrees(bounds[0]), "high": _degrees(bounds[1])}
    limit = volume_limit(max_volume)
    if volume is not None and volume > limit:
        if max_volume is not None:
            message = _("Volume paling besar %(max)s untuk item kamus ini.")
        else:
            message = _("Volume paling besar %(max)s.")
        problems["volume"] = message % {"max": thousands(limit)}
    elif volume is not None and unit_price not in (None, ""):
        ceiling = min(settings.PROPOSAL_MAX_COST, BIGINT_MAX)
        if volume * int(unit_price) > ceiling:
            problems["unit_price"] = _(
                "Perkiraan biaya (volume × harga satuan) paling besar %(max)s."
            ) % {"max": rupiah(ceiling)}
    return problems
