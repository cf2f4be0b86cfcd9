"""The demo's pagu indikatif kewilayahan for musrenbang 2024: a ceiling for every kecamatan and
kelurahan of Jakarta Pusat, consistent with the priorities its sessions keep.

Where a ranked sidang is held, its area's ceiling is drawn around the cost of the utama it
keeps (surveyed where revised): most fit with some room, several are close to it, and a few
are passed, the chair giving the reason when closing (Kenari's among them, for lurah.kenari's
berita acara). Elsewhere the ceiling is drawn around the costliest candidates still to be
ranked, so that the sidang not yet held have one to fit to (Kramat's, for lurah.kramat). On a
draw of its own, so the sessions' draw is the same with or without it.
"""

import random

from areas.models import Area, Level
from proposals.models import Ceiling, Cycle, Proposal, Status
from sessions.ceilings import standing
from sessions.models import Kind, Sidang

SEED = 8617  # Permendagri 86/2017
ROUND = 10_000_000  # ceilings are set in tens of millions
# Ceiling ÷ utama cost: within (most), close to it, or passed (a few).
FACTORS = [1.02, 1.04, 1.08, 1.12, 1.2, 1.3, 1.45, 0.97]
# A musrenbang kecamatan held fits its kecamatan's ceiling closely.
CLOSE = [1.01, 1.02, 1.04]
# Kenari's sidang kelompok passes its ceiling (musrenbang.demo.sidang.KENARI_CODE).
PASSED = {"31.71.04.1002": 0.95}
OVER_REASONS = [
    "Jalan lingkungan dan saluran yang rusak berat membahayakan warga; selisihnya diusulkan "
    "dibiayai dari pagu kecamatan.",
    "Usulan utama terakhir sangat mendesak menurut hasil survei UKPD; kelebihan pagu "
    "disampaikan kepada Suku Badan Perencanaan Pembangunan untuk dipertimbangkan.",
]


def _rounded(amount: float) -> int:
    return max(ROUND, -(-int(amount) // ROUND) * ROUND)


class DemoCeilings:
    def __init__(self, cycle: Cycle):
        self.cycle = cycle
        self.rng = random.Random(SEED)

    def fit(self, sidang: Sidang) -> str:
        """Set the ceiling of a ranked sidang's area about its utama's cost, before the chair
        closes it; the reason for passing it when it does ("" otherwise)."""
        candidates = sidang.candidates.select_related("proposal__survey")
        utama = standing(None, ((c.decision, c.proposal) for c in candidates)).utama
        factors = CLOSE if sidang.kind == Kind.KECAMATAN else FACTORS
        factor = PASSED.get(sidang.area.code) or self.rng.choice(factors)
        amount = _rounded(utama * factor) if factor >= 1 else int(utama * factor) // ROUND * ROUND
        Ceiling.objects.update_or_create(
            cycle=self.cycle, area=sidang.area, defaults={"amount": max(ROUND, amount)}
        )
        return self.rng.choice(OVER_REASONS) if max(ROUND, amount) < utama else ""

    def complete(self) -> None:
        """A ceiling for every kecamatan and kelurahan that has none yet: about the cost of its
        quota's costliest candidates (the kelurahan priorities in a kecamatan, the accepted
        proposals in a kelurahan)."""
        kota = self.cycle.kota
        have = set(Ceiling.objects.filter(cycle=self.cycle).values_list("area_id", flat=True))
        areas = Area.objects.within(kota).filter(level__in=[Level.KECAMATAN, Level.KELURAHAN])
        proposals = Proposal.objects.filter(cycle=self.cycle).select_related("survey")
        costs: dict[tuple[str, int], list[int]] = {}
        for p in proposals.filter(status__in=[Status.ACCEPTED, Status.KELURAHAN_PRIORITY]):
            costs.setdefault(("kel", p.kelurahan_id), []).append(p.planned_cost)
            if p.status == Status.KELURAHAN_PRIORITY:
                costs.setdefault(("kec", p.kecamatan_id), []).append(p.planned_cost)
        made = []
        for area in areas.order_by("code"):
            if area.pk in have:
                continue
            key, quota = (
                ("kec", self.cycle.quota_kecamatan)
                if area.level == Level.KECAMATAN
                else ("kel", self.cycle.quota_kelurahan)
            )
            top = sorted(costs.get((key, area.pk), []), reverse=True)[:quota]
            amount = _rounded(sum(top) * self.rng.uniform(0.9, 1.3))
            made.append(Ceiling(cycle=self.cycle, area=area, amount=amount))
        Ceiling.objects.bulk_create(made)
