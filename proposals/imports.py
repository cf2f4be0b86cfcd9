"""Spreadsheet import of proposals: read an XLSX or CSV, check every row, then write all or none.

Planning officers and lurah bring in the proposals that RWs still hand over on spreadsheets.
Every row is checked before anything is written, so a file either lands whole or changes
nothing and comes back with the list of what to fix, by spreadsheet row and column.
"""

import csv
import io
import re
import warnings
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from areas import audit, scope
from areas.models import Area, Role, TechnicalUnit, User
from proposals.models import (
    Category,
    Cycle,
    Event,
    Proposal,
    Status,
    rupiah_cost,
)
from proposals.services import _allocate_numbers, office_of, proposal_code

IMPORT_ROLES = frozenset({Role.PLANNING, Role.LURAH})
MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024
# One INSERT per table for a whole file on PostgreSQL (Django still splits it where SQLite's
# limit on parameters requires): ten round trips for 10,000 rows were ten times the work.
BATCH_SIZE = MAX_ROWS

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
_COLUMN_ORDER = {header: index for index, header in enumerate(HEADERS)}

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

BIGINT_MAX = 2**63 - 1  # PositiveBigIntegerField on every engine
INT_MAX = 2**31 - 1  # PositiveIntegerField
VOLUME_MAX = Decimal("9999999999.99")  # DecimalField(max_digits=12, decimal_places=2)
TEXT_LIMITS = {TITLE: 200, ADDRESS: 255, MEASURE: 20, ITEM: 20, UNIT: 40, RW: 24}


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


def _normalized(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _is_blank(value) -> bool:
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
        if all(_is_blank(value) for value in values):
            continue
        if len(data_rows) == MAX_ROWS:
            raise _file_error(
                _("Berkas berisi lebih dari %(max)s baris usulan. Bagilah menjadi beberapa berkas.")
                % {"max": number_format(MAX_ROWS, force_grouping=True)}
            )
        data_rows.append((number, values))
    if header is None or all(_is_blank(value) for value in header):
        raise _file_error(_("Baris 1 harus berisi judul kolom (lihat templat)."))
    if not data_rows:
        raise _file_error(_("Berkas tidak berisi usulan: semua baris di bawah judul kolom kosong."))
    return header, data_rows


def column_positions(header: tuple) -> dict[str, int]:
    """Where each known column sits; raises ImportRejected for missing or doubled headers."""
    known = {_normalized(h): h for h in HEADERS}
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        if _is_blank(cell):
            continue
        column = known.get(_normalized(cell))
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


# -- Reading one cell -------------------------------------------------------------------------


class _Invalid(Exception):
    """A cell that cannot be used; the message says why."""


_INVISIBLE_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # PostgreSQL refuses NUL in text; nobody means to type one.
    return str(value).replace("\x00", "").strip()


def _limited(text: str, column: str) -> str:
    limit = TEXT_LIMITS.get(column)
    if limit and len(text) > limit:
        raise _Invalid(
            _("%(column)s paling banyak %(max)s karakter (terisi %(length)s).")
            % {"column": column, "max": limit, "length": len(text)}
        )
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
    return _normalized(re.sub(r"[_-]", " ", text))


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
        ):
            self.units[unit_code.casefold()] = unit_id
            if values[0] is not None:
                item = _Item(*values)
                self.items.setdefault(item.code.casefold(), []).append(item)
        self.categories = _category_aliases()
        self.problems: list[Problem] = []
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

    def check(self, row: int, values: tuple) -> dict | None:
        """The proposal's fields from one row, or None after recording its problems."""
        before = len(self.problems) + len(self.unplaced)

        def cell(column: str):
            index = self.positions.get(column)
            if index is None or index >= len(values):
                return None
            return values[index]

        def take(column: str, parse, *args):
            try:
                return parse(cell(column), *args)
            except _Invalid as error:
                self.problems.append(Problem(row, column, str(error)))
                return None

        def required(value, column: str) -> str:
            text = _limited(_text(value), column)
            if not text:
                raise _Invalid(_("%(column)s wajib diisi.") % {"column": column})
            return text

        def optional(value, column: str) -> str:
            return _limited(_text(value), column)

        def bad(column: str, message: str) -> None:
            self.problems.append(Problem(row, column, message))

        fields: dict = {}
        rw_code = take(RW, required, RW)
        place = self.rws.get(rw_code) if rw_code else None
        if rw_code and place is None:
            self.unplaced.append((row, rw_code))
        fields["title"] = take(TITLE, required, TITLE)
        fields["problem"] = take(PROBLEM, required, PROBLEM)

        item_code = take(ITEM, optional, ITEM)
        unit_code = take(UNIT, optional, UNIT)
        category = self._category(row, cell(CATEGORY))
        unit = self.units.get(unit_code.casefold()) if unit_code else None
        if unit_code and unit is None:
            bad(UNIT, _("Kode UKPD tidak dikenal (%(code)s).") % {"code": unit_code})
        item = None
        if item_code:
            item = self._item(row, item_code, unit, unit_code)
            if item and category and category != item.category:
                bad(
                    CATEGORY,
                    _("Kategori tidak sesuai dengan item kamus %(code)s (%(category)s).")
                    % {"code": item.code, "category": Category(item.category).label},
                )
        else:
            if category is None and _is_blank(cell(CATEGORY)):
                bad(CATEGORY, _("Kategori wajib diisi bila Kode kamus kosong."))
            if unit_code == "":
                bad(UNIT, _("Kode UKPD wajib diisi bila Kode kamus kosong."))

        volume = take(VOLUME, _volume)
        measure = take(MEASURE, optional, MEASURE)
        price = None if _is_blank(cell(PRICE)) else take(PRICE, _rupiah)
        if not item_code:
            if measure == "":
                bad(MEASURE, _("Satuan wajib diisi bila Kode kamus kosong."))
            if _is_blank(cell(PRICE)):
                bad(PRICE, _("Harga satuan wajib diisi bila Kode kamus kosong."))
        elif item:
            measure = measure or item.measure
            if _is_blank(cell(PRICE)):
                price = item.unit_price
        if volume is not None and price is not None and volume * price > BIGINT_MAX:
            bad(PRICE, _("Perkiraan biaya (volume × harga satuan) terlalu besar."))

        fields["address"] = take(ADDRESS, required, ADDRESS)
        fields["rt"] = "" if _is_blank(cell(RT)) else take(RT, _rt)
        latitude = None if _is_blank(cell(LATITUDE)) else take(LATITUDE, _coordinate, LATITUDE, 90)
        longitude = (
            None if _is_blank(cell(LONGITUDE)) else take(LONGITUDE, _coordinate, LONGITUDE, 180)
        )
        if _is_blank(cell(LATITUDE)) != _is_blank(cell(LONGITUDE)):
            missing = LATITUDE if _is_blank(cell(LATITUDE)) else LONGITUDE
            bad(missing, _("Isi Lintang dan Bujur bersama-sama, atau kosongkan keduanya."))
        beneficiaries = 0 if _is_blank(cell(BENEFICIARIES)) else take(BENEFICIARIES, _beneficiaries)

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

    def _category(self, row: int, value) -> str | None:
        if _is_blank(value):
            return None
        category = self.categories.get(_alias_key(_text(value)))
        if category is None:
            self.problems.append(
                Problem(
                    row,
                    CATEGORY,
                    _("Kategori tidak dikenal (%(value)s); isi fisik, pengadaan atau non_fisik.")
                    % {"value": _text(value)[:40]},
                )
            )
        return category

    def _item(self, row: int, code: str, unit: int | None, unit_code: str) -> _Item | None:
        candidates = self.items.get(code.casefold(), [])
        if unit is not None:
            owned = [item for item in candidates if item.unit_id == unit]
            if candidates and not owned:
                self.problems.append(
                    Problem(
                        row,
                        ITEM,
                        _("Kode kamus %(code)s bukan milik UKPD %(unit)s.")
                        % {"code": code, "unit": unit_code},
                    )
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
        self.problems.append(Problem(row, ITEM, message))
        return None


# -- Writing ----------------------------------------------------------------------------------


def _offices(user: User):
    """A function giving, for an RW code, the office the user imports it as."""
    assignments = sorted(
        (a for a in scope.assignments(user) if a.role in IMPORT_ROLES),
        key=lambda a: len(a.area.code),
        reverse=True,  # the most specific office first: a lurah before the planning office
    )
    cache: dict[str, str] = {}

    def office(rw_code: str) -> str:
        kelurahan_code = rw_code.rsplit(".", 1)[0]
        if kelurahan_code not in cache:
            holder = next(
                (
                    a
                    for a in assignments
                    if rw_code == a.area.code or rw_code.startswith(a.area.code + ".")
                ),
                None,
            )
            if holder is None:  # a superuser acts for the planning office
                cache[kelurahan_code] = office_of(user, Role.PLANNING)
            elif holder.role == Role.LURAH:
                cache[kelurahan_code] = office_of(user, Role.LURAH, holder.area)
            else:
                cache[kelurahan_code] = office_of(user, Role.PLANNING)
        return cache[kelurahan_code]

    return office


@transaction.atomic
def _write(*, cycle: Cycle, rows: list[dict], by: User, file_name: str) -> int:
    now = timezone.now()
    first = _allocate_numbers(cycle, len(rows))
    office = _offices(by)
    proposals = []
    offices = {}
    for offset, fields in enumerate(rows):
        number = first + offset
        offices[number] = office(fields.pop("rw_code"))
        proposals.append(
            Proposal(
                cycle=cycle,
                number=number,
                code=proposal_code(cycle, number),
                status=Status.SUBMITTED,
                submitted_at=now,
                created_at=now,
                created_by=by,
                **fields,
            )
        )
    # Both engines (PostgreSQL, SQLite ≥ 3.35) return the new ids from a bulk insert.
    Proposal.objects.bulk_create(proposals, batch_size=BATCH_SIZE)
    ids = [(proposal.number, proposal.pk) for proposal in proposals]
    Event.objects.bulk_create(
        [
            Event(
                proposal_id=pk,
                action=Event.Action.IMPORTED,
                actor=by,
                actor_office=offices[number],
                at=now,
                note=file_name,
            )
            for number, pk in ids
        ],
        batch_size=BATCH_SIZE,
    )
    # One audit entry for the whole file, on the cycle whose numbers it took: who, when, from
    # where, which file and which codes. (Each proposal's journey has its own "imported" event;
    # ten thousand field-by-field entries cost more time and memory than the import itself.)
    last = first + len(rows) - 1
    audit.record_change(
        cycle,
        {"last_number": [first - 1, last]},
        {
            "import": {
                "file": file_name,
                "rows": len(rows),
                "codes": [proposal_code(cycle, first), proposal_code(cycle, last)],
            }
        },
    )
    return len(rows)


def may_import(user: User) -> bool:
    """Whether the user may import at all: a planning officer, a lurah, or the superuser."""
    reach = scope.reach(user)
    return reach.everything or bool(reach.roles & IMPORT_ROLES)


def proposals_import(*, cycle: Cycle, data: bytes, file_name: str, by: User) -> int:
    """Import every proposal of the spreadsheet into the cycle, submitted, or none of them.

    Returns how many were imported; raises ImportRejected with every problem found otherwise.
    """
    header, rows = read_rows(data, file_name)
    checker = _Checker(cycle=cycle, user=by, positions=column_positions(header))
    checked = [checker.check(number, values) for number, values in rows]
    problems = checker.finish()
    if problems:
        raise ImportRejected(problems)
    return _write(cycle=cycle, rows=checked, by=by, file_name=file_name)


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
