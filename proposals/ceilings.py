"""The planning office's pagu indikatif kewilayahan for a cycle: read from a sheet (kode
wilayah, pagu), or a kota total split over the kecamatan or the kelurahan by their RW count.
Every row is checked before anything is written: one bad row imports nothing."""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from areas import audit
from areas.models import Area, Level, Role, User
from areas.scope import reach
from proposals.models import Ceiling, Cycle
from proposals.spreadsheet import (
    UTF_8,
    ImportRejected,
    Problem,
    is_blank,
    normalized,
    read_rows,
)

# The amount: whole rupiah, digits grouped by "." or spaces or not at all ("Rp" allowed).
AMOUNT = re.compile(r"(?:rp\.?\s*)?(\d{1,3}(?:[.\s]\d{3})+|\d+)(?:,0+)?", re.IGNORECASE)
MAX_AMOUNT = 10**15  # a thousand trillion rupiah: past any kota's budget
CODE_HEADERS = {"kode wilayah", "kode"}
AMOUNT_HEADERS = {"pagu", "pagu indikatif", "pagu indikatif (rp)", "pagu (rp)"}


class CeilingError(Exception):
    """What the planning office asked cannot be done; the message says why."""


@dataclass
class AreaCeiling:
    """A kecamatan or kelurahan of the cycle's kota as the page lists it."""

    area: Area
    rw: int
    amount: int | None


def may_set_ceilings(user: User, cycle: Cycle) -> bool:
    return reach(user).holds(Role.PLANNING, cycle.kota.code)


def ceiling_areas(cycle: Cycle) -> list[AreaCeiling]:
    """The kota's kecamatan and kelurahan in code order, each with its RW count and its
    ceiling in the cycle; one query."""
    amount = Ceiling.objects.filter(cycle=cycle, area=OuterRef("pk")).values("amount")[:1]
    areas = (
        Area.objects.filter(
            code__startswith=cycle.kota.code + ".",
            level__in=[Level.KECAMATAN, Level.KELURAHAN],
        )
        .annotate(rw=Count("children", filter=Q(children__level=Level.RW)), amount=Subquery(amount))
        .order_by("code")
    )
    rows = [AreaCeiling(a, a.rw, a.amount) for a in areas]
    kelurahan_rw: dict[int, int] = {}
    for row in rows:
        if row.area.level == Level.KELURAHAN:
            kelurahan_rw[row.area.parent_id] = kelurahan_rw.get(row.area.parent_id, 0) + row.rw
    for row in rows:  # a kecamatan's RW are those of its kelurahan
        if row.area.level == Level.KECAMATAN:
            row.rw = kelurahan_rw.get(row.area.pk, 0)
    return rows


def parse_amount(value) -> int | None:
    """Whole rupiah from a cell: a number, or text such as "1.500.000.000"; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        return int(value) if value == int(value) else None
    match = AMOUNT.fullmatch(str(value).strip())
    if not match:
        return None
    return int(re.sub(r"[.\s]", "", match.group(1)))


def ceilings_from_sheet(
    *, cycle: Cycle, data: bytes, name: str, encoding: str = UTF_8
) -> dict[int, int]:
    """The amounts of a sheet by area id. Raises ImportRejected with every problem, by row."""
    header, rows = read_rows(data, name, encoding=encoding)
    titles = [normalized(h) if not is_blank(h) else "" for h in header]
    code_at = next((i for i, t in enumerate(titles) if t in CODE_HEADERS), None)
    amount_at = next((i for i, t in enumerate(titles) if t in AMOUNT_HEADERS), None)
    if code_at is None or amount_at is None:
        raise ImportRejected(
            [Problem(1, "", _('Baris 1 harus berisi judul kolom "kode wilayah" dan "pagu".'))]
        )
    areas = {row.area.code: row.area for row in ceiling_areas(cycle)}
    amounts, seen, problems = {}, {}, []
    for number, values in rows:
        code = str(values[code_at] if code_at < len(values) else "").strip()
        raw = values[amount_at] if amount_at < len(values) else None
        area = areas.get(code)
        if area is None:
            problems.append(
                Problem(
                    number,
                    "kode wilayah",
                    _("Kode wilayah %(code)s bukan kecamatan atau kelurahan %(kota)s.")
                    % {"code": code or "—", "kota": cycle.kota.name},
                )
            )
        elif code in seen:
            problems.append(
                Problem(
                    number,
                    "kode wilayah",
                    _("Kode wilayah %(code)s sudah ada di baris %(row)s.")
                    % {"code": code, "row": seen[code]},
                )
            )
        amount = None if is_blank(raw) else parse_amount(raw)
        if amount is None or not 0 < amount <= MAX_AMOUNT:
            problems.append(
                Problem(
                    number,
                    "pagu",
                    _("Pagu harus bilangan bulat rupiah lebih dari 0, mis. 1500000000."),
                )
            )
        elif area is not None and code not in seen:
            amounts[area.pk] = amount
        seen.setdefault(code, number)
    if problems:
        raise ImportRejected(problems)
    return amounts


def split_by_weight(total: int, weights: dict[int, int]) -> dict[int, int]:
    """`total` split in proportion to `weights`, in whole rupiah that add up to it exactly:
    each gets the whole part of its share, and the rupiah left over go to the largest
    remainders (ties: the first key)."""
    whole = sum(weights.values())
    if whole <= 0:
        raise CeilingError(_("Tidak ada RW untuk dasar pembagian."))
    parts = {key: total * weight // whole for key, weight in weights.items()}
    left = total - sum(parts.values())
    by_remainder = sorted(weights, key=lambda key: (-(total * weights[key] % whole), key))
    for key in by_remainder[:left]:
        parts[key] += 1
    return parts


def split_by_rw(*, cycle: Cycle, total: int, level: str) -> dict[int, int]:
    """A kota total over the kota's kecamatan (or kelurahan) by their RW count."""
    weights = {row.area.pk: row.rw for row in ceiling_areas(cycle) if row.area.level == level}
    return {pk: amount for pk, amount in split_by_weight(total, weights).items() if amount > 0}


@transaction.atomic
def ceilings_set(*, cycle: Cycle, amounts: dict[int, int], by: User) -> int:
    """Set these ceilings (area id → rupiah) in the cycle, replacing what those areas had."""
    if not may_set_ceilings(by, cycle):
        raise CeilingError(_("Pagu indikatif ditetapkan oleh Suku Badan Perencanaan kota ini."))
    existing = {c.area_id: c for c in Ceiling.objects.select_for_update().filter(cycle=cycle)}
    changed, created = [], []
    for area_id, amount in amounts.items():
        ceiling = existing.get(area_id)
        if ceiling is None:
            created.append(Ceiling(cycle=cycle, area_id=area_id, amount=amount))
        elif ceiling.amount != amount:
            before = Ceiling(pk=ceiling.pk, cycle=cycle, area_id=area_id, amount=ceiling.amount)
            ceiling.amount = amount
            changed.append((before, ceiling))
    Ceiling.objects.bulk_create(created)
    Ceiling.objects.bulk_update([after for _before, after in changed], ["amount"])
    audit.record([*((None, c) for c in created), *changed])
    return len(created) + len(changed)
