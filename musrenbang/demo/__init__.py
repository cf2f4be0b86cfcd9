"""The Jakarta Pusat demo: areas, RWs, technical units, a user for every role
(musrenbang.demo.officials), the 2024 cycle with its catalogue and proposals
(musrenbang.demo.proposals) and its sessions so far (musrenbang.demo.sidang).

Everything here is idempotent: running it again changes nothing and creates nothing twice.
"""

from django.db import transaction

from areas.models import Area, Assignment, Role, TechnicalUnit, User
from areas.services import areas_load, rw_ensure
from musrenbang.demo.officials import KOTA_CODE, UNITS, DemoUser, rw_counts, slug, users_ensure
from musrenbang.demo.proposals import cycle_counts, demo_cycle_load
from musrenbang.demo.sidang import demo_sessions_load, session_counts


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
    users_ensure(people, password)
    cycle = demo_cycle_load(kota=kota)
    demo_sessions_load(cycle=cycle)
    return demo_counts(kota)


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
