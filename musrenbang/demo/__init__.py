"""The Jakarta Pusat demo: areas, RWs, technical units, a user for every role
(musrenbang.demo.officials), the 2024 cycle with its catalogue and proposals
(musrenbang.demo.proposals) and its sessions (musrenbang.demo.sidang), then what came after
the decision: realisation, the 2025 cycle and the inboxes (musrenbang.demo.aftermath), and a DPRD
member's recess with its pokir (musrenbang.demo.pokir).

Everything here is idempotent: running it again changes nothing and creates nothing twice.
"""

from django.db import transaction

from areas.models import Area, Assignment, TechnicalUnit, User
from areas.services import areas_load
from musrenbang.demo.aftermath import aftermath_counts, demo_aftermath_load
from musrenbang.demo.officials import KOTA_CODE, officials_ensure
from musrenbang.demo.pokir import demo_pokir_load
from musrenbang.demo.proposals import cycle_counts, demo_cycle_load
from musrenbang.demo.sidang import demo_sessions_load, session_counts


@transaction.atomic
def demo_load(*, password: str) -> dict[str, int]:
    """Load (or top up) the demo and return the counts it leaves."""
    areas_load()
    kota = Area.objects.get(code=KOTA_CODE)
    officials_ensure(kota=kota, password=password)
    cycle = demo_cycle_load(kota=kota)
    demo_sessions_load(cycle=cycle)
    demo_aftermath_load(cycle=cycle)
    demo_pokir_load(kota=kota)
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
        **aftermath_counts(kota),
    }
