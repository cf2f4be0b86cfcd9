"""A ranked sidang against its area's pagu indikatif: what its utama cost (surveyed where the
survey revised it), and what its cadangan would add. The ranking page, the closing and the
berita acara all count with standing(), so they agree to the rupiah."""

from collections.abc import Iterable
from dataclasses import dataclass

from proposals.models import Proposal
from sessions.models import Decision


@dataclass(frozen=True)
class Standing:
    ceiling: int | None  # None: the area has no pagu indikatif in this cycle
    utama: int  # the utama's cost
    cadangan: int  # what the cadangan would add

    @property
    def over(self) -> int:
        """By how much the utama pass the ceiling; 0 within it or without one."""
        return max(0, self.utama - self.ceiling) if self.ceiling is not None else 0

    @property
    def left(self) -> int:
        """What the utama leave of the ceiling (0 once over it)."""
        return max(0, self.ceiling - self.utama) if self.ceiling is not None else 0

    @property
    def with_cadangan(self) -> int:
        return self.utama + self.cadangan

    @property
    def cadangan_over(self) -> bool:
        return self.ceiling is not None and self.with_cadangan > self.ceiling

    @property
    def high(self) -> int:
        """Where the meter turns to a warning: nine tenths of the ceiling."""
        return (self.ceiling or 0) * 9 // 10

    @property
    def used_percent(self) -> int:
        """The share of the ceiling the utama use, whole percent (the meter's fallback text)."""
        return min(100, round(self.utama * 100 / self.ceiling)) if self.ceiling else 0


def standing(ceiling: int | None, decided: Iterable[tuple[str, Proposal]]) -> Standing:
    """`decided`: (decision, proposal read with its survey) for each candidate."""
    utama = cadangan = 0
    for decision, proposal in decided:
        if decision == Decision.UTAMA:
            utama += proposal.planned_cost
        elif decision == Decision.CADANGAN:
            cadangan += proposal.planned_cost
    return Standing(ceiling, utama, cadangan)
