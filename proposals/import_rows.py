"""Checking an import's rows: every cell read strictly, every problem kept by row and column."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import NamedTuple

from django.utils.translation import gettext as _

from areas import scope
from areas.formatting import printable_text
from areas.models import Area, Role, TechnicalUnit, User
from proposals import plausible
from proposals.models import Category, Cycle, rupiah_cost
from proposals.spreadsheet import (
    ADDRESS,
    BENEFICIARIES,
    CATEGORY,
    HEADERS,
    ITEM,
    LATITUDE,
    LONGITUDE,
    MEASURE,
    PRICE,
    PROBLEM,
    RT,
    RW,
    TITLE,
    UNIT,
    VOLUME,
    ImportRejected,
    Problem,
    column_positions,
    is_blank,
    normalized,
)

# Who may import: the RWs they hold under these roles are the ones a file may fill.
IMPORT_ROLES = frozenset({Role.PLANNING, Role.LURAH})

_COLUMN_ORDER = {header: index for index, header in enumerate(HEADERS)}
BIGINT_MAX = 2**63 - 1  # PositiveBigIntegerField on every engine
INT_MAX = 2**31 - 1  # PositiveIntegerField
VOLUME_MAX = Decimal("9999999999.99")  # DecimalField(max_digits=12, decimal_places=2)
TEXT_LIMITS = {TITLE: 200, ADDRESS: 255, MEASURE: 20, ITEM: 20, UNIT: 40, RW: 24}
_PLAUSIBLE_COLUMNS = {
    "rt": RT,
    "latitude": LATITUDE,
    "longitude": LONGITUDE,
    "volume": VOLUME,
    "unit_price": PRICE,
}


# -- Reading one cell -------------------------------------------------------------------------


class _Invalid(Exception):
    """A cell that cannot be used; the message says why."""


_INVISIBLE_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# The one column of several lines, as on the form (a textarea); elsewhere a line break typed
# into a cell (Alt+Enter) becomes a space.
MULTILINE = frozenset({PROBLEM})
_LINE_BREAK = re.compile(r"\r\n|[\r\n]")


def _cleaned(text: str, column: str) -> tuple[str, list[str]]:
    """A cell's text without what no form lets through (control characters: a NUL, which
    PostgreSQL cannot store, an escape...) nor any document shows right (a mark that prints the
    rest backwards, a stray byte-order mark), with a note of each change made."""
    notes = []
    if column not in MULTILINE and _LINE_BREAK.search(text):
        if _LINE_BREAK.search(text.strip()):  # not just an Enter left at the end
            notes.append(_("Enter di dalam sel diganti spasi karena kolom ini hanya satu baris"))
        text = _LINE_BREAK.sub(" ", text)
    cleaned = printable_text(text)
    if cleaned != text:
        notes.append(_("karakter kendali atau karakter tak terlihat dihapus"))
    return cleaned, notes


def _limited(text: str, column: str) -> str:
    limit = TEXT_LIMITS.get(column)
    if limit and len(text) > limit:
        raise _Invalid(
            _("%(column)s paling banyak %(max)s karakter (terisi %(length)s).")
            % {"column": column, "max": limit, "length": len(text)}
        )
    return text


def _optional(value, column: str) -> str:
    return _limited(_text(value), column)


def _required(value, column: str) -> str:
    text = _optional(value, column)
    if not text:
        raise _Invalid(_("%(column)s wajib diisi.") % {"column": column})
    return text


class _AmbiguousNumber(ValueError):
    """Is "1.250" a thousand and a quarter, or one and a quarter?"""


def _number(value, *, grouping: bool) -> Decimal:
    """A number from a cell. With `grouping`, "1.250,5" (Indonesian) and "1,250.5" are read
    whole; a lone "1.250" is refused as ambiguous rather than guessed."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.translate(_INVISIBLE_SPACES)
        if not re.fullmatch(r"[+-]?(\d+|\d{1,3}([.,]\d{3})+)?([.,]\d+)?", text) or not re.search(
            r"\d", text
        ):
            raise ValueError
        if "," in text and "." in text:
            thousands, point = (".", ",") if text.rfind(",") > text.rfind(".") else (",", ".")
            text = text.replace(thousands, "").replace(point, ".")
        elif grouping and (text.count(".") > 1 or text.count(",") > 1):
            text = text.replace(".", "").replace(",", "")
        elif grouping and re.fullmatch(r"[+-]?[1-9]\d{0,2}[.,]\d{3}", text):
            raise _AmbiguousNumber
        else:
            text = text.replace(",", ".")
        number = Decimal(text)
    else:
        raise ValueError
    if not number.is_finite():
        raise ValueError
    return number


def _volume(value) -> Decimal:
    try:
        volume = _number(value, grouping=True)
    except _AmbiguousNumber as error:
        raise _Invalid(
            _(
                "Volume “%(value)s” meragukan: tulis tanpa pemisah ribuan (mis. 1250) "
                "dan pakai koma untuk pecahan (mis. 1,25)."
            )
            % {"value": value}
        ) from error
    except (ValueError, InvalidOperation) as error:
        raise _Invalid(_("Volume harus angka lebih dari 0.")) from error
    if volume <= 0:
        raise _Invalid(_("Volume harus angka lebih dari 0."))
    if volume > VOLUME_MAX:
        raise _Invalid(_("Volume paling besar 9.999.999.999,99."))
    if volume != volume.quantize(Decimal("0.01")):
        raise _Invalid(_("Volume paling banyak 2 angka di belakang koma."))
    return volume.quantize(Decimal("0.01"))


_WHOLE = re.compile(r"(\d+|\d{1,3}(?:\.\d{3})+|\d{1,3}(?:,\d{3})+)(?:[.,]0{1,2})?")


def _whole(value, column: str, maximum: int, message: str) -> int:
    """A whole number ≥ 0: a numeric cell, or text such as 1250000, 1.250.000 or 1.250.000,00."""
    if isinstance(value, str):
        text = value.translate(_INVISIBLE_SPACES)
        if column == PRICE:
            text = re.sub(r"^rp\.?", "", text, flags=re.IGNORECASE)
        match = _WHOLE.fullmatch(text)
        if not match:
            raise _Invalid(message)
        number = Decimal(re.sub(r"[.,]", "", match.group(1)))
    else:
        try:
            number = _number(value, grouping=False)
        except (ValueError, InvalidOperation) as error:
            raise _Invalid(message) from error
        if number < 0 or number != number.to_integral_value():
            raise _Invalid(message)
    if number > maximum:
        raise _Invalid(_("%(column)s terlalu besar.") % {"column": column})
    return int(number)


def _rupiah(value) -> int:
    return _whole(
        value,
        PRICE,
        BIGINT_MAX,
        _("Harga satuan harus bilangan bulat rupiah, mis. 1.250.000 atau 1250000."),
    )


def _beneficiaries(value) -> int:
    return _whole(
        value,
        BENEFICIARIES,
        INT_MAX,
        _("Penerima manfaat harus bilangan bulat 0 atau lebih."),
    )


def _coordinate(value, column: str, limit: int) -> Decimal:
    try:
        number = _number(value, grouping=False)
    except (ValueError, InvalidOperation) as error:
        raise _Invalid(
            _("%(column)s harus angka antara -%(limit)s dan %(limit)s, mis. -6,1862.")
            % {"column": column, "limit": limit}
        ) from error
    if not -limit <= number <= limit:
        raise _Invalid(
            _("%(column)s harus angka antara -%(limit)s dan %(limit)s.")
            % {"column": column, "limit": limit}
        )
    return number.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def _rt(value) -> str:
    text = _text(value)
    match = re.fullmatch(r"(?:rt\.?\s*)?(\d{1,3})", text, flags=re.IGNORECASE)
    if not match:
        raise _Invalid(_("RT harus angka, paling banyak 3 digit (mis. 003)."))
    return match.group(1).zfill(3)


def _category_aliases() -> dict[str, str]:
    aliases = {}
    for value, label in Category.choices:
        aliases[_alias_key(value)] = value
        aliases[_alias_key(str(label))] = value
    # The Indonesian labels, whatever language the page is in.
    aliases.update({"fisik": "fisik", "pengadaan barang": "pengadaan", "non fisik": "non_fisik"})
    return aliases


def _alias_key(text: str) -> str:
    return normalized(re.sub(r"[_-]", " ", text))


# -- Checking the rows ------------------------------------------------------------------------


class _Place(NamedTuple):
    rw_id: int
    kelurahan_id: int
    kecamatan_id: int
    kota_id: int


class _Item(NamedTuple):
    pk: int
    code: str
    unit_id: int
    category: str
    measure: str
    unit_price: int
    active: bool
    max_volume: Decimal | None


def _import_rws(cycle: Cycle, user: User) -> dict[str, _Place]:
    """The RWs of the cycle's kota where the user may import, by code: one query."""
    # visible_to is what the user sees; only what they hold as lurah or planning officer may
    # receive proposals (an observer assignment elsewhere must not widen it).
    rows = (
        Area.objects.visible_to(user)
        .rw()
        .filter(scope.area_q(user, "", roles=IMPORT_ROLES))
        .filter(parent__parent__parent_id=cycle.kota_id)
        .values_list("code", "pk", "parent_id", "parent__parent_id")
    )
    return {
        code: _Place(pk, kelurahan, kecamatan, cycle.kota_id)
        for code, pk, kelurahan, kecamatan in rows
    }


class _Row:
    """One data row as it is checked: its cells by column (text cleaned, see _cleaned), and the
    lists its problems and its notes go to."""

    def __init__(
        self,
        number: int,
        values: tuple,
        positions: dict[str, int],
        problems: list[Problem],
        notes: list[Problem],
    ):
        self.number = number
        self.values = values
        self.positions = positions
        self.problems = problems
        self.notes = notes
        self.cleaned: dict[str, str] = {}

    def cell(self, column: str):
        index = self.positions.get(column)
        if index is None or index >= len(self.values):
            return None
        value = self.values[index]
        if not isinstance(value, str):
            return value
        if column not in self.cleaned:
            self.cleaned[column], notes = _cleaned(value, column)
            self.notes.extend(Problem(self.number, column, note) for note in notes)
        return self.cleaned[column]

    def blank(self, column: str) -> bool:
        return is_blank(self.cell(column))

    def take(self, column: str, parse, *args):
        """The cell read by `parse`, or None after recording why it cannot be used."""
        try:
            return parse(self.cell(column), *args)
        except _Invalid as error:
            self.bad(column, str(error))
            return None

    def required(self, column: str) -> str | None:
        return self.take(column, _required, column)

    def optional(self, column: str) -> str | None:
        return self.take(column, _optional, column)

    def bad(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.number, column, message))


def _quantity(
    row: _Row, item_code: str | None, item: _Item | None
) -> tuple[Decimal | None, str | None, int | None]:
    """Volume, measure and unit price; without a catalogue code the last two are required,
    with an item they default to the item's."""
    volume = row.take(VOLUME, _volume)
    measure = row.optional(MEASURE)
    price = None if row.blank(PRICE) else row.take(PRICE, _rupiah)
    if not item_code:
        if measure == "":
            row.bad(MEASURE, _("Satuan wajib diisi bila Kode kamus kosong."))
        if row.blank(PRICE):
            row.bad(PRICE, _("Harga satuan wajib diisi bila Kode kamus kosong."))
    elif item:
        measure = measure or item.measure
        if row.blank(PRICE):
            price = item.unit_price
    # The cost's ceiling (below the database's whole numbers) is checked with the other limits
    # in _Checker.check (proposals/plausible.py).
    return volume, measure, price


def _location(row: _Row) -> tuple[Decimal | None, Decimal | None]:
    """Latitude and longitude: both, or neither."""
    latitude = None if row.blank(LATITUDE) else row.take(LATITUDE, _coordinate, LATITUDE, 90)
    longitude = None if row.blank(LONGITUDE) else row.take(LONGITUDE, _coordinate, LONGITUDE, 180)
    if row.blank(LATITUDE) != row.blank(LONGITUDE):
        missing = LATITUDE if row.blank(LATITUDE) else LONGITUDE
        row.bad(missing, _("Isi Lintang dan Bujur bersama-sama, atau kosongkan keduanya."))
    return latitude, longitude


class _Checker:
    """Checks rows one by one against lookups loaded once, collecting every problem."""

    def __init__(self, *, cycle: Cycle, user: User, positions: dict[str, int]):
        self.positions = positions
        self.rws = _import_rws(cycle, user)
        # The kota's units with their catalogue items, in one query (a unit without items
        # comes once, with no item).
        self.units: dict[str, int] = {}
        self.items: dict[str, list[_Item]] = {}
        for unit_code, unit_id, *values in TechnicalUnit.objects.filter(
            kota_id=cycle.kota_id
        ).values_list(
            "code",
            "pk",
            "catalogue_items__pk",
            "catalogue_items__code",
            "catalogue_items__unit_id",
            "catalogue_items__category",
            "catalogue_items__measure",
            "catalogue_items__unit_price",
            "catalogue_items__active",
            "catalogue_items__max_volume",
        ):
            self.units[unit_code.casefold()] = unit_id
            if values[0] is not None:
                item = _Item(*values)
                self.items.setdefault(item.code.casefold(), []).append(item)
        self.categories = _category_aliases()
        self.problems: list[Problem] = []
        self.notes: list[Problem] = []  # what was changed in a row that is imported anyway
        self.unplaced: list[tuple[int, str]] = []  # (row, RW code) not among self.rws

    def finish(self) -> list[Problem]:
        """Every problem in sheet order, an RW not found told apart: unknown or not yours."""
        if self.unplaced:
            codes = sorted({code for _row, code in self.unplaced})
            existing: set[str] = set()
            for start in range(0, len(codes), 500):
                existing.update(
                    Area.objects.rw()
                    .filter(code__in=codes[start : start + 500])
                    .values_list("code", flat=True)
                )
            for row, code in self.unplaced:
                if code in existing:
                    message = _("RW di luar wilayah Anda (%(code)s).") % {"code": code}
                else:
                    message = _("Kode RW tidak dikenal (%(code)s).") % {"code": code}
                self.problems.append(Problem(row, RW, message))
        return sorted(
            self.problems, key=lambda p: (p.row or 0, _COLUMN_ORDER.get(p.column, -1), p.message)
        )

    def check(self, number: int, values: tuple) -> dict | None:
        """The proposal's fields from one row, or None after recording its problems."""
        before = len(self.problems) + len(self.unplaced)
        row = _Row(number, values, self.positions, self.problems, self.notes)
        rw_code = row.required(RW)
        place = self.rws.get(rw_code) if rw_code else None
        if rw_code and place is None:
            self.unplaced.append((number, rw_code))
        fields: dict = {"title": row.required(TITLE), "problem": row.required(PROBLEM)}
        item_code, item, category, unit = self._catalogue(row)
        volume, measure, price = _quantity(row, item_code, item)
        fields["address"] = row.required(ADDRESS)
        fields["rt"] = "" if row.blank(RT) else row.take(RT, _rt)
        latitude, longitude = _location(row)
        beneficiaries = 0 if row.blank(BENEFICIARIES) else row.take(BENEFICIARIES, _beneficiaries)
        # The form's rule: RT 001–999 in ASCII digits, inside DKI Jakarta, volume and cost within
        # their limits (proposals/plausible.py).
        for field, message in plausible.proposal_problems(
            rt=fields["rt"] or "",
            latitude=latitude,
            longitude=longitude,
            volume=volume,
            unit_price=price,
            max_volume=item.max_volume if item else None,
        ).items():
            row.bad(_PLAUSIBLE_COLUMNS[field], message)

        if len(self.problems) + len(self.unplaced) > before:
            return None
        fields.update(
            rw_id=place.rw_id,
            kelurahan_id=place.kelurahan_id,
            kecamatan_id=place.kecamatan_id,
            kota_id=place.kota_id,
            catalogue_item_id=item.pk if item else None,
            category=item.category if item else category,
            target_unit_id=item.unit_id if item else unit,
            latitude=latitude,
            longitude=longitude,
            volume=volume,
            measure=measure,
            unit_price=price,
            cost=rupiah_cost(volume, price),
            beneficiaries=beneficiaries,
        )
        return {"rw_code": rw_code, **fields}

    def _catalogue(self, row: _Row) -> tuple[str | None, _Item | None, str | None, int | None]:
        """The Kode kamus and its item, the category and the unit (required without an item)."""
        item_code = row.optional(ITEM)
        unit_code = row.optional(UNIT)
        category = self._category(row)
        unit = self.units.get(unit_code.casefold()) if unit_code else None
        if unit_code and unit is None:
            row.bad(UNIT, _("Kode UKPD tidak dikenal (%(code)s).") % {"code": unit_code})
        item = None
        if item_code:
            item = self._item(row, item_code, unit, unit_code)
            if item and category and category != item.category:
                row.bad(
                    CATEGORY,
                    _("Kategori tidak sesuai dengan item kamus %(code)s (%(category)s).")
                    % {"code": item.code, "category": Category(item.category).label},
                )
        else:
            if category is None and row.blank(CATEGORY):
                row.bad(CATEGORY, _("Kategori wajib diisi bila Kode kamus kosong."))
            if unit_code == "":
                row.bad(UNIT, _("Kode UKPD wajib diisi bila Kode kamus kosong."))
        return item_code, item, category, unit

    def _category(self, row: _Row) -> str | None:
        value = row.cell(CATEGORY)
        if is_blank(value):
            return None
        category = self.categories.get(_alias_key(_text(value)))
        if category is None:
            row.bad(
                CATEGORY,
                _("Kategori tidak dikenal (%(value)s); isi fisik, pengadaan atau non_fisik.")
                % {"value": _text(value)[:40]},
            )
        return category

    def _item(self, row: _Row, code: str, unit: int | None, unit_code: str) -> _Item | None:
        candidates = self.items.get(code.casefold(), [])
        if unit is not None:
            owned = [item for item in candidates if item.unit_id == unit]
            if candidates and not owned:
                row.bad(
                    ITEM,
                    _("Kode kamus %(code)s bukan milik UKPD %(unit)s.")
                    % {"code": code, "unit": unit_code},
                )
                return None
            candidates = owned
        if not candidates:
            message = _("Kode kamus tidak dikenal (%(code)s).") % {"code": code}
        elif len(candidates) > 1:
            message = _("Kode kamus %(code)s dipakai beberapa UKPD; isi juga Kode UKPD.") % {
                "code": code
            }
        elif not candidates[0].active:
            message = _("Item kamus %(code)s sudah tidak aktif.") % {"code": code}
        else:
            return candidates[0]
        row.bad(ITEM, message)
        return None


class Checked(NamedTuple):
    """The proposal fields of every row, and the notes of what was changed in them on the way
    (in sheet order, by row and column) for the importer to read."""

    rows: list[dict]
    notes: list[Problem]


def rows_check(
    *, cycle: Cycle, user: User, header: tuple, rows: list[tuple[int, tuple]]
) -> Checked:
    """The proposal fields of every row, for the user to import into the cycle.

    Raises ImportRejected with every problem of every row, in sheet order, if there is any.
    """
    checker = _Checker(cycle=cycle, user=user, positions=column_positions(header))
    checked = [checker.check(number, values) for number, values in rows]
    problems = checker.finish()
    if problems:
        raise ImportRejected(problems)
    notes = sorted(checker.notes, key=lambda n: (n.row, _COLUMN_ORDER.get(n.column, -1)))
    return Checked(checked, notes)
