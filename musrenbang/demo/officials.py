"""The demo's people: Jakarta Pusat's technical units, a user for every role, and the synthetic
spread of the kota's 386 RW (only the kota total and Kemayoran's 77 are real figures).
"""

import re
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from areas.models import Area, Assignment, TechnicalUnit, User

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


def users_ensure(people: list[DemoUser], password: str) -> None:
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
