"""The demo's people: Jakarta Pusat's technical units, a user for every role, and the synthetic
spread of the kota's 386 RW (only the kota total and Kemayoran's 77 are real figures).

Every official has a synthetic name as documents print it under a signature (with titles), a
position, and a NIP when a civil servant (a ketua RW or a Dewan Kota member is not): drawn from
a fixed seed, no two alike in a kota. The bench builds its officials of every kota of DKI with
the same functions.
"""

import datetime
import random
import re
from dataclasses import dataclass, replace

from django.contrib.auth.hashers import make_password

from areas.models import Area, Assignment, Dapil, Level, Role, TechnicalUnit, User
from areas.services import rw_ensure

KOTA_CODE = "31.71"  # Kota Administrasi Jakarta Pusat
RW_TOTAL = 386
RW_KEMAYORAN = 77
DAPIL_NAME = "Dapil DKI Jakarta 1"
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


SEED = 1945

# fmt: off
MEN = [
    "Ahmad", "Muhammad", "Budi", "Agus", "Hendra", "Joko", "Rudi", "Dedi", "Bambang", "Slamet",
    "Yusuf", "Rizky", "Fajar", "Andi", "Hasan", "Abdul", "Syamsul", "Wahyu", "Teguh", "Imam",
    "Irfan", "Doni", "Eko", "Heru", "Sutrisno", "Nasrullah", "Ridwan", "Mulyadi", "Zainal",
    "Firman", "Arief", "Bayu", "Dimas", "Gilang", "Hadi", "Iwan", "Kurnia", "Lukman", "Mochamad",
    "Nanang", "Rahmat", "Sigit", "Taufik", "Yudi", "Zulkifli", "Asep", "Dadang", "Herman",
]
WOMEN = [
    "Siti", "Sri", "Rina", "Dewi", "Nur", "Ratna", "Yuliana", "Wulan", "Fitri", "Endang",
    "Lestari", "Maya", "Indah", "Nurul", "Rahma", "Aisyah", "Diah", "Kartini", "Ani", "Mega",
    "Yanti", "Eka", "Rosmawati", "Halimah", "Ayu", "Dian", "Evi", "Fauziah", "Ika", "Lina",
    "Novita", "Putri", "Retno", "Sari", "Tuti", "Wiwik",
]
MEN_LAST = [
    "Fauzi", "Hidayat", "Setiawan", "Saputra", "Santoso", "Gunawan", "Kurniawan", "Pratama",
    "Nugroho", "Hakim", "Sulaiman", "Ramadhan", "Firmansyah", "Hermawan", "Syahputra",
    "Prasetyo", "Wibowo", "Susanto", "Purnomo", "Hartono", "Suryadi", "Effendi", "Maulana",
]
WOMEN_LAST = [
    "Rahmawati", "Handayani", "Wulandari", "Susanti", "Yuliani", "Puspitasari", "Anggraini",
    "Safitri", "Maharani", "Kurniasih", "Lestari", "Permatasari", "Rahayu", "Utami", "Novitasari",
]
ANY_LAST = [
    "Kusuma", "Siregar", "Nasution", "Lubis", "Harahap", "Simanjuntak", "Rahman", "Wijaya",
    "Hasibuan", "Tanjung", "Sitompul", "Marpaung", "Pane", "Daulay", "Matondang", "Sinaga",
]
# fmt: on
OFFICIAL_DEGREES = ["S.STP, M.Si.", "S.Sos., M.Si.", "S.IP, M.AP", "S.E., M.M.", "S.H., M.H."]
STAFF_DEGREES = ["S.E.", "S.Sos.", "S.Kom.", "S.T.", "S.AP", "A.Md."]
PLANNER_DEGREES = ["S.T., M.T.", "S.E., M.E.", "S.Si., M.Sc."]


@dataclass(frozen=True)
class Identity:
    """A person as a signature block prints them: name with titles and, for a civil servant,
    a NIP (born, appointed, sex, serial)."""

    full_name: str
    nip: str = ""


def person_name(rng: random.Random, *, woman: bool) -> str:
    """A first and a last name, as common in Jakarta."""
    first = rng.choice(WOMEN if woman else MEN)
    return f"{first} {rng.choice((WOMEN_LAST if woman else MEN_LAST) + ANY_LAST)}"


def synthetic_nip(rng: random.Random, *, woman: bool, born_from: int = 1966) -> str:
    """A NIP that areas.models.validate_nip accepts: born YYYYMMDD, appointed YYYYMM at 22 to
    30, 1 for a man or 2 for a woman, and a serial."""
    born = datetime.date(
        rng.randint(born_from, born_from + 26), rng.randint(1, 12), rng.randint(1, 28)
    )
    appointed = (born.year + rng.randint(22, 30), rng.choice([1, 3, 4, 12]))
    sex = 2 if woman else 1
    return f"{born:%Y%m%d}{appointed[0]}{appointed[1]:02d}{sex}{rng.randint(1, 12):03d}"


def civil_servant(rng: random.Random, core: str, *, woman: bool, degrees: list[str]) -> Identity:
    """`core` ("Ahmad Fauzi") with an honorific now and then and a degree, and a NIP."""
    prefix = ""
    if rng.random() < 0.25:
        prefix = "Hj. " if woman else "H. "
    if degrees is OFFICIAL_DEGREES and rng.random() < 0.2:
        prefix = ("Dra. " if woman else "Drs. ") + prefix
    return Identity(f"{prefix}{core}, {rng.choice(degrees)}", synthetic_nip(rng, woman=woman))


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
    dapil: Dapil | None = None  # a DPRD member's
    is_staff: bool = False
    is_superuser: bool = False
    position: str = ""
    civil_servant: bool = True  # has a NIP
    full_name: str = ""  # given by named()
    nip: str = ""

    @property
    def kota_code(self) -> str:
        """The kota whose officials must not share a name."""
        if self.unit is not None:
            return self.unit.kota.code
        return self.area.code[:5] if self.area else ""


ADMIN = DemoUser("admin", "Administrator", is_staff=True, is_superuser=True)
# The head of a kecamatan or kelurahan, and their title.
HEADS = {Level.KECAMATAN: (Role.CAMAT, "Camat"), Level.KELURAHAN: (Role.LURAH, "Lurah")}


def planning_officer(kota: Area, *, suffix: str = "") -> DemoUser:
    """The head of the kota's planning office; Jakarta Pusat's is also the planning office's
    admin."""
    return DemoUser(
        f"suban{suffix}",
        "Suku Badan Perencanaan",
        Role.PLANNING,
        kota,
        is_staff=kota.code == KOTA_CODE,
        position=f"Kepala Suku Badan Perencanaan Pembangunan {kota.name}",
    )


def observer(kota: Area) -> DemoUser:
    """A member of the kota's Dewan Kota (not a civil servant)."""
    short = kota.name.removeprefix("Kota Administrasi ")
    return DemoUser(
        "dewan",
        "Dewan Kota",
        Role.OBSERVER,
        kota,
        position=f"Anggota Dewan Kota {short}",
        civil_servant=False,
    )


def dprd_member(dapil: Dapil) -> DemoUser:
    """A member of the DPRD DKI Jakarta elected in the kota's dapil: dprd.jakartapusat."""
    short = dapil.kota.name.removeprefix("Kota Administrasi ")
    return DemoUser(
        f"dprd.{slug(short)}",
        "Anggota DPRD",
        Role.DPRD,
        dapil.kota,
        dapil=dapil,
        position=f"Anggota DPRD Provinsi DKI Jakarta, {dapil.name}",
        civil_servant=False,
    )


def head_of(area: Area) -> DemoUser:
    """The camat of a kecamatan or the lurah of a kelurahan: camat.senen, "Camat Senen"."""
    role, title = HEADS[area.level]
    office = f"{title} {area.name}"
    return DemoUser(f"{role.value}.{slug(area.name)}", office, role, area, position=office)


def ketua_rw(rw: Area, kelurahan: Area) -> DemoUser:
    """The ketua of one RW of `kelurahan`: rw.kenari.007, "Ketua RW 007 Kelurahan Kenari"; an
    elected resident, not a civil servant."""
    number = rw.code.rsplit(".", 1)[-1]
    return DemoUser(
        f"rw.{slug(kelurahan.name)}.{number}",
        f"Ketua RW {number} {kelurahan.name}",
        Role.RW,
        rw,
        position=f"Ketua RW {number} Kelurahan {kelurahan.name}",
        civil_servant=False,
    )


def unit_officer(unit: TechnicalUnit, *, suffix: str = "") -> DemoUser:
    """The officer of a technical unit: ukpd.binamarga, "Petugas Suku Dinas Bina Marga"."""
    return DemoUser(
        f"ukpd.{unit.code}{suffix}",
        f"Petugas {unit.name}",
        Role.UKPD,
        unit=unit,
        position=f"Kepala Seksi Perencanaan {unit.name} {unit.kota.name}",
    )


def named(people: list[DemoUser]) -> list[DemoUser]:
    """Every official a name, drawn in list order from a fixed seed, no two alike in a kota;
    civil servants with titles and a NIP. The superuser is no official and keeps none."""
    rng = random.Random(SEED)
    taken: set[tuple[str, str]] = set()
    result = []
    for person in people:
        if not person.role:
            result.append(person)
            continue
        woman = rng.random() < 0.4
        core = person_name(rng, woman=woman)
        while (person.kota_code, core) in taken:
            core = person_name(rng, woman=woman)
        taken.add((person.kota_code, core))
        if not person.civil_servant:
            who = Identity(("Hj. " if woman else "H. ") + core if rng.random() < 0.2 else core)
        elif person.role == Role.PLANNING:
            who = civil_servant(rng, core, woman=woman, degrees=PLANNER_DEGREES)
        elif person.role == Role.UKPD:
            who = civil_servant(rng, core, woman=woman, degrees=STAFF_DEGREES)
        else:
            who = civil_servant(rng, core, woman=woman, degrees=OFFICIAL_DEGREES)
        result.append(replace(person, full_name=who.full_name, nip=who.nip))
    return result


def units_ensure(kota: Area) -> list[TechnicalUnit]:
    """The kota's technical units (UNITS), created or renamed; returned in UNITS' order."""
    units = []
    for code, name in UNITS:
        unit, _ = TechnicalUnit.objects.update_or_create(
            kota=kota, code=code, defaults={"name": name}
        )
        units.append(unit)
    return units


def offices_ensure(areas: list[Area]) -> None:
    """A synthetic office address for each area's kop (the kota's is the real one), kept if the
    planning office has typed its own: "Jl. Kenari Raya No. 27, Jakarta Pusat 10430"."""
    rng = random.Random(KOTA_CODE)
    for area in areas:
        number, postal = rng.randint(1, 160), 10110 + 10 * rng.randint(0, 64)
        phone = f"(021) {rng.randint(3100000, 3999999)}"
        address = f"Jl. {area.name} Raya No. {number}, Jakarta Pusat {postal}, Telp. {phone}"
        if area.level == Level.KOTA:
            address = "Jl. Tanah Abang I No. 1, Jakarta Pusat 10160"
        area.office_address = area.office_address or address
    Area.objects.bulk_update(areas, ["office_address"])


def officials_ensure(*, kota: Area, password: str) -> None:
    """The kota's RWs and technical units, and a user for every role, all with `password`."""
    kecamatan = list(Area.objects.kecamatan().within(kota))
    kelurahan = list(Area.objects.kelurahan().within(kota))
    offices_ensure([kota, *kecamatan, *kelurahan])
    counts = rw_counts(kelurahan)
    rws = {kel.code: rw_ensure(kelurahan=kel, count=counts[kel.code]) for kel in kelurahan}
    units = units_ensure(kota)
    people = [ADMIN, planning_officer(kota), observer(kota)]
    people += [head_of(area) for area in kecamatan + kelurahan]
    people += [ketua_rw(rw, kel) for kel in kelurahan for rw in rws[kel.code]]
    people += [unit_officer(unit) for unit in units]
    # Last, so that the names drawn for everyone before stay as they were.
    people += [dprd_member(dapil_ensure(kota))]
    users_ensure(people, password)


def dapil_ensure(kota: Area) -> Dapil:
    """The kota's dapil of the DPRD DKI Jakarta: Jakarta Pusat is Dapil DKI Jakarta 1, all eight
    of its kecamatan."""
    dapil, _ = Dapil.objects.get_or_create(kota=kota, name=DAPIL_NAME)
    dapil.kecamatan.set(Area.objects.kecamatan().within(kota))
    return dapil


def users_ensure(people: list[DemoUser], password: str) -> dict[str, User]:
    """Create the users that are missing, give every one `password`, their name, NIP and
    position (named()) and their assignment; returns them by username. In bulk: thousands of
    them at the bench's scale."""
    people = named(people)
    hashed = make_password(password)  # hashed once: hundreds of users share the demo password
    existing = {
        u.username: u for u in User.objects.filter(username__in=[p.username for p in people])
    }
    User.objects.bulk_create(
        [
            User(
                username=p.username,
                first_name=p.first_name,
                full_name=p.full_name,
                nip=p.nip,
                position=p.position,
                password=hashed,
                is_staff=p.is_staff,
                is_superuser=p.is_superuser,
            )
            for p in people
            if p.username not in existing
        ],
        batch_size=1000,
    )
    by_name = {p.username: p for p in people}
    for user in existing.values():
        person = by_name[user.username]
        user.password = hashed
        user.full_name, user.nip, user.position = person.full_name, person.nip, person.position
    User.objects.bulk_update(
        existing.values(), ["password", "full_name", "nip", "position"], batch_size=1000
    )
    users = {u.username: u for u in User.objects.filter(username__in=[p.username for p in people])}
    Assignment.objects.bulk_create(
        [
            Assignment(user=users[p.username], role=p.role, area=p.area, unit=p.unit, dapil=p.dapil)
            for p in people
            if p.role
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )
    return users
