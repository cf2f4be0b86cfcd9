"""Writes over areas: the Kemendagri tree, RWs, and the record of a changed password."""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from areas import audit
from areas.models import Area, Level, User

AREAS_FILE = Path(__file__).resolve().parent / "data" / "wilayah-dki.csv"

# The reference file says "kota/kab"; the model's level is "kota".
_FILE_LEVELS = {
    "provinsi": Level.PROVINSI,
    "kota/kab": Level.KOTA,
    "kecamatan": Level.KECAMATAN,
    "kelurahan": Level.KELURAHAN,
}


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@transaction.atomic
def areas_load(*, path: Path = AREAS_FILE) -> LoadResult:
    """Create or update every area in the Kemendagri file (codes, names, parents). Idempotent."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [
            (row["kode"].strip(), row["nama"].strip(), _FILE_LEVELS[row["level"].strip()])
            for row in csv.DictReader(handle)
        ]
    existing = {area.code: area for area in Area.objects.filter(code__in=[r[0] for r in rows])}
    result = LoadResult()
    # Level by level, parents before children: one INSERT a level for what is new.
    for depth in sorted({code.count(".") for code, _, _ in rows}):
        new = []
        for code, name, level in (row for row in rows if row[0].count(".") == depth):
            parent = existing.get(code.rsplit(".", 1)[0]) if "." in code else None
            area = existing.get(code)
            if area is None:
                new.append(Area(code=code, name=name, level=level, parent=parent))
            elif (area.name, area.level, area.parent_id) != (name, level, parent and parent.pk):
                area.name, area.level, area.parent = name, level, parent
                area.save(update_fields=["name", "level", "parent"])
                result.updated += 1
            else:
                result.unchanged += 1
        for area in Area.objects.bulk_create(new):
            existing[area.code] = area
        audit.record((None, area) for area in new)
        result.created += len(new)
    return result


def rw_code(kelurahan: Area, number: int) -> str:
    return f"{kelurahan.code}.{number:03d}"


@transaction.atomic
def rw_ensure(*, kelurahan: Area, count: int) -> list[Area]:
    """Make sure the kelurahan has RW 001 … RW `count`; returns them in order. Idempotent."""
    if kelurahan.level != Level.KELURAHAN:
        raise ValueError(f"{kelurahan} is not a kelurahan")
    codes = [rw_code(kelurahan, n) for n in range(1, count + 1)]
    present = set(Area.objects.filter(code__in=codes).values_list("code", flat=True))
    Area.objects.bulk_create(
        [
            Area(code=code, name=f"RW {code.rsplit('.', 1)[-1]}", level=Level.RW, parent=kelurahan)
            for code in codes
            if code not in present
        ]
    )
    return list(Area.objects.filter(code__in=codes).order_by("code"))


def password_changed(*, user: User, by: User | None) -> None:
    """Record in the audit trail that `user`'s password was changed: by themselves, or set by
    `by` (the planning office in the admin). auditlog leaves the password out of its entries,
    rightly, so without this nobody could tell. Written in Indonesian, as the record is."""
    own = by is not None and by.pk == user.pk
    audit.record_change(
        user,
        {"password": ["(rahasia)", "diubah" if user.has_usable_password() else "dinonaktifkan"]},
        additional_data={
            "kata_sandi": "diubah sendiri" if own else "diatur oleh pengelola",
            "oleh": by.get_username() if by is not None else "",
        },
    )
