"""The demo's people: Jakarta Pusat's technical units, a user for every role, and the synthetic
spread of the kota's 386 RW (only the kota total and Kemayoran's 77 are real figures).

The bench builds its officials of every kota of DKI with the same functions.
"""

import re
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from areas.models import Area, Assignment, Level, Role, TechnicalUnit, User
from areas.services import rw_ensure

KOTA_CODE = "31.71"  # Kota Administrasi Jakarta Pusat
RW_TOTAL = 386
RW_KEMAYORAN = 77
KEMAYORAN_CODE = "31.71.03"

# Jakarta Pusat's technical units: (username suffix, name).
UNITS = [
    ("binamarga", "Suku Dinas Bina Marga"),
    ("sda", "Suku Dinas Sumber Daya Air"),
    ("perhubungan", "Suku Dinas Perhubungan"),
    ("lingkunganhidup", "Suku Dinas Lingkungan Hidup"),
    ("pertamanan", "Suku Dinas Pertamanan dan Hutan Kota"),
    ("kesehatan", "Suku Dinas Kesehatan"),
    ("pendidikan", "Suku Dinas Pendidikan Wilayah I"),
    ("sosial", "Suku Dinas Sosial"),
    ("prkp", "Suku Dinas Perumahan Rakyat dan Kawasan Permukiman"),
    ("citata", "Suku Dinas Cipta Karya, Tata Ruang dan Pertanahan"),
    ("damkar", "Suku Dinas Penanggulangan Kebakaran dan Penyelamatan"),
    ("ppapp", "Suku Dinas Pemberdayaan, Perlindungan Anak dan Pengendalian Penduduk"),
    ("ppkukm", "Suku Dinas Perindustrian, Perdagangan, Koperasi, Usaha Kecil dan Menengah"),
    ("kpkp", "Suku Dinas Ketahanan Pangan, Kelautan dan Pertanian"),
    ("pora", "Suku Dinas Pemuda dan Olahraga"),
    ("kominfotik", "Suku Dinas Komunikasi, Informatika dan Statistik"),
]


def slug(name: str) -> str:
    """Area names as they appear in demo usernames: lower-case, spaces removed."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def rw_counts(kelurahan: list[Area]) -> dict[str, int]:
    """A synthetic, fixed spread of the kota's 386 RW (Kemayoran's 77 as reported)."""
    kemayoran = [k for k in kelurahan if k.code.startswith(KEMAYORAN_CODE + ".")]
    others = [k for k in kelurahan if k not in kemayoran]
    counts = {}
    for group, total in ((kemayoran, RW_KEMAYORAN), (others, RW_TOTAL - RW_KEMAYORAN)):
        base, extra = divmod(total, len(group))
        # Spread the remainder every other kelurahan rather than all at the front.
        order = group[::2] + group[1::2]
        for i, kel in enumerate(order):
            counts[kel.code] = base + (1 if i < extra else 0)
    return counts


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    role: str | None = None
    area: Area | None = None
    unit: TechnicalUnit | None = None
    is_staff: bool = False
    is_superuser: bool = False


ADMIN = DemoUser("admin", "Administrator", is_staff=True, is_superuser=True)
# The head of a kecamatan or kelurahan, and their title.
HEADS = {Level.KECAMATAN: (Role.CAMAT, "Camat"), Level.KELURAHAN: (Role.LURAH, "Lurah")}


def planning_officer(kota: Area, *, suffix: str = "") -> DemoUser:
    """The kota's planning office; Jakarta Pusat's is also the planning office's admin."""
    return DemoUser(
        f"suban{suffix}",
        "Suku Badan Perencanaan",
        Role.PLANNING,
        kota,
        is_staff=kota.code == KOTA_CODE,
    )


def head_of(area: Area) -> DemoUser:
    """The camat of a kecamatan or the lurah of a kelurahan: camat.senen, "Camat Senen"."""
    role, title = HEADS[area.level]
    return DemoUser(f"{role.value}.{slug(area.name)}", f"{title} {area.name}", role, area)


def ketua_rw(rw: Area, kelurahan: Area) -> DemoUser:
    """The ketua of one RW of `kelurahan`: rw.kenari.007, "Ketua RW 007 Kenari"."""
    number = rw.code.rsplit(".", 1)[-1]
    return DemoUser(
        f"rw.{slug(kelurahan.name)}.{number}", f"Ketua RW {number} {kelurahan.name}", Role.RW, rw
    )


def unit_officer(unit: TechnicalUnit, *, suffix: str = "") -> DemoUser:
    """The officer of a technical unit: ukpd.binamarga, "Petugas Suku Dinas Bina Marga"."""
    return DemoUser(f"ukpd.{unit.code}{suffix}", f"Petugas {unit.name}", Role.UKPD, unit=unit)


def units_ensure(kota: Area) -> list[TechnicalUnit]:
    """The kota's technical units (UNITS), created or renamed; returned in UNITS' order."""
    units = []
    for code, name in UNITS:
        unit, _ = TechnicalUnit.objects.update_or_create(
            kota=kota, code=code, defaults={"name": name}
        )
        units.append(unit)
    return units


def officials_ensure(*, kota: Area, password: str) -> None:
    """The kota's RWs and technical units, and a user for every role, all with `password`."""
    kecamatan = list(Area.objects.kecamatan().within(kota))
    kelurahan = list(Area.objects.kelurahan().within(kota))
    counts = rw_counts(kelurahan)
    rws = {kel.code: rw_ensure(kelurahan=kel, count=counts[kel.code]) for kel in kelurahan}
    units = units_ensure(kota)
    people = [ADMIN, planning_officer(kota), DemoUser("dewan", "Dewan Kota", Role.OBSERVER, kota)]
    people += [head_of(area) for area in kecamatan + kelurahan]
    people += [ketua_rw(rw, kel) for kel in kelurahan for rw in rws[kel.code]]
    people += [unit_officer(unit) for unit in units]
    users_ensure(people, password)


def users_ensure(people: list[DemoUser], password: str) -> dict[str, User]:
    """Create the users that are missing, give every one `password` and their assignment;
    returns them by username. In bulk: thousands of them at the bench's scale."""
    hashed = make_password(password)  # hashed once: hundreds of users share the demo password
    existing = {
        u.username: u for u in User.objects.filter(username__in=[p.username for p in people])
    }
    User.objects.bulk_create(
        [
            User(
                username=p.username,
                first_name=p.first_name,
                password=hashed,
                is_staff=p.is_staff,
                is_superuser=p.is_superuser,
            )
            for p in people
            if p.username not in existing
        ],
        batch_size=1000,
    )
    for user in existing.values():
        user.password = hashed
    User.objects.bulk_update(existing.values(), ["password"])
    users = {u.username: u for u in User.objects.filter(username__in=[p.username for p in people])}
    Assignment.objects.bulk_create(
        [
            Assignment(user=users[p.username], role=p.role, area=p.area, unit=p.unit)
            for p in people
            if p.role
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )
    return users
