"""The Jakarta Pusat demo: areas, RWs, technical units, a user for every role, and the 2024
cycle with its catalogue and proposals (musrenbang.demo_proposals) and its sessions so far
(musrenbang.demo_sessions).

Everything here is idempotent: running it again changes nothing and creates nothing twice.
The per-kelurahan RW counts are synthetic (only the kota total of 386 and Kemayoran's 77 are
real figures).
"""

import re
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from musrenbang.areas.models import Area, Assignment, Role, TechnicalUnit, User
from musrenbang.areas.services import areas_load, rw_ensure
from musrenbang.demo_proposals import cycle_counts, demo_cycle_load
from musrenbang.demo_sessions import demo_sessions_load, session_counts

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


@dataclass
class DemoUser:
    username: str
    first_name: str
    role: str | None = None
    area: Area | None = None
    unit: TechnicalUnit | None = None
    is_staff: bool = False
    is_superuser: bool = False


@transaction.atomic
def demo_load(*, password: str) -> dict[str, int]:
    """Load (or top up) the demo and return the counts it leaves."""
    areas_load()
    kota = Area.objects.get(code=KOTA_CODE)
    kecamatan = list(Area.objects.kecamatan().within(kota))
    kelurahan = list(Area.objects.kelurahan().within(kota))
    counts = rw_counts(kelurahan)
    rws = {kel.code: rw_ensure(kelurahan=kel, count=counts[kel.code]) for kel in kelurahan}

    units = []
    for code, name in UNITS:
        unit, _ = TechnicalUnit.objects.update_or_create(
            kota=kota, code=code, defaults={"name": name}
        )
        units.append(unit)

    people = [
        DemoUser("admin", "Administrator", is_staff=True, is_superuser=True),
        DemoUser(
            "suban",
            "Suku Badan Perencanaan",
            Role.PLANNING,
            kota,
            is_staff=True,
        ),
        DemoUser("dewan", "Dewan Kota", Role.OBSERVER, kota),
    ]
    people += [
        DemoUser(f"camat.{slug(k.name)}", f"Camat {k.name}", Role.CAMAT, k) for k in kecamatan
    ]
    people += [
        DemoUser(f"lurah.{slug(k.name)}", f"Lurah {k.name}", Role.LURAH, k) for k in kelurahan
    ]
    for kel in kelurahan:
        for rw in rws[kel.code]:
            number = rw.code.rsplit(".", 1)[-1]
            people.append(
                DemoUser(
                    f"rw.{slug(kel.name)}.{number}", f"Ketua RW {number} {kel.name}", Role.RW, rw
                )
            )
    people += [DemoUser(f"ukpd.{u.code}", f"Petugas {u.name}", Role.UKPD, unit=u) for u in units]
    _users_ensure(people, password)
    cycle = demo_cycle_load(kota=kota)
    demo_sessions_load(cycle=cycle)
    return demo_counts(kota)


def _users_ensure(people: list[DemoUser], password: str) -> None:
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
        ]
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
        ignore_conflicts=True,
    )


def demo_counts(kota: Area) -> dict[str, int]:
    return {
        "kecamatan": Area.objects.kecamatan().within(kota).count(),
        "kelurahan": Area.objects.kelurahan().within(kota).count(),
        "rw": Area.objects.rw().within(kota).count(),
        "kelurahan_dki": Area.objects.kelurahan().count(),
        "ukpd": TechnicalUnit.objects.filter(kota=kota).count(),
        "users": User.objects.count(),
        "assignments": Assignment.objects.count(),
        **cycle_counts(kota),
        **session_counts(kota),
    }
