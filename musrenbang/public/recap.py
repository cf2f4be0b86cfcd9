"""The read side of the public recap: every figure of /rekap/, from GROUP BY aggregates.

A recap costs a fixed number of queries however many proposals the cycle holds: the
proposals are counted and summed by the database per kelurahan, category and UKPD, and the
kecamatan and kota figures are added up from those few grouped rows. Nothing personal is
read: no user, proposer, surveyor or participant.
"""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Max, OuterRef, Q, Subquery, Sum
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from areas.models import Area, Level, TechnicalUnit
from musrenbang.public import recap_format
from proposals.carry import NOT_TAKING_PART
from proposals.models import (
    Category,
    Ceiling,
    Cycle,
    Decision,
    Event,
    Proposal,
    Recommendation,
    Source,
    Status,
    planned_cost_sql,
)
from proposals.models import Stage as WorkStage
from proposals.realisation import standing
from sessions.models import Candidate, Kind, Sidang, State
from sessions.models import Decision as Ranking

# The sessions of a cycle after the rembuk RW, in the order they are held, with the level of
# area each is held for: one per kelurahan, or one per kecamatan.
SESSION_KINDS = [
    (Kind.PLENO_PEMBUKA, Level.KECAMATAN),
    (Kind.KELOMPOK, Level.KELURAHAN),
    (Kind.KECAMATAN, Level.KECAMATAN),
    (Kind.PLENO_PENUTUPAN, Level.KECAMATAN),
]
ACCOMMODATED = [Decision.Kind.RENJA, Decision.Kind.CURRENT_BUDGET]


@dataclass
class AreaRow:
    """A kecamatan or kelurahan: its proposals and how far they went."""

    code: str
    name: str
    parent_name: str = ""
    rw: int = 0  # the RW within it
    proposals: int = 0
    cost: int = 0
    kelurahan_priorities: int = 0
    kecamatan_priorities: int = 0
    accommodated: int = 0
    share: str = ""  # of the kota's proposals
    session_state: str = ""  # its sidang kelompok (kelurahan) or musrenbang kecamatan
    ceiling: int | None = None  # its pagu indikatif, None when it has none
    # The cost (surveyed where revised) of its kecamatan priorities and accommodated proposals.
    prioritised_cost: int = 0
    accommodated_cost: int = 0

    def add(self, other: "AreaRow") -> None:
        """Add up a kelurahan into its kecamatan, or a kecamatan into the kota. The ceilings
        are not added: a kecamatan's is its own, and the kota's is that of its kecamatan
        (add_ceiling)."""
        self.rw += other.rw
        self.proposals += other.proposals
        self.cost += other.cost
        self.kelurahan_priorities += other.kelurahan_priorities
        self.kecamatan_priorities += other.kecamatan_priorities
        self.accommodated += other.accommodated
        self.prioritised_cost += other.prioritised_cost
        self.accommodated_cost += other.accommodated_cost

    def add_ceiling(self, other: "AreaRow") -> None:
        if other.ceiling is not None:
            self.ceiling = (self.ceiling or 0) + other.ceiling


@dataclass
class CategoryRow:
    code: str
    label: str
    proposals: int
    cost: int
    share: str = ""


@dataclass
class SourceRow:
    """Where proposals come from (an RW's musrenbang, a DPRD member's recess) and how many of
    them the kota accommodated."""

    code: str
    label: str
    proposals: int
    cost: int
    accommodated: int
    share: str = ""


@dataclass
class UnitRow:
    """A UKPD teknis: the proposals addressed to it and the survey of the physical ones."""

    name: str
    short_name: str
    proposals: int
    cost: int
    physical: int
    surveyed: int
    recommended: int
    not_recommended: int

    @property
    def pending(self) -> int:
        return self.physical - self.surveyed

    @property
    def surveyed_share(self) -> str:
        return recap_format.share(self.surveyed, self.physical)


@dataclass
class Stage:
    """One step of the funnel usulan → prioritas kelurahan → prioritas kecamatan → diakomodir."""

    label: str
    count: int
    share: str  # of all submitted proposals


@dataclass
class SessionProgress:
    kind: str
    label: str
    held: int  # closed
    running: int  # in progress
    expected: int  # one per area of its level, or as many as are scheduled if more
    starts: datetime.date | None
    ends: datetime.date | None

    @property
    def waiting(self) -> int:
        return self.expected - self.held - self.running

    @property
    def share(self) -> str:
        return recap_format.share(self.held, self.expected)


@dataclass
class RealisationRow:
    """The accommodated proposals of a kecamatan or a UKPD, by where their work stands."""

    name: str
    short_name: str = ""
    accommodated: int = 0
    not_started: int = 0
    under_way: int = 0  # perencanaan, pengadaan, pelaksanaan
    done: int = 0
    cancelled: int = 0
    stale: int = 0  # open, without a report for the cycle's stale_progress_months

    def add(self, other: "RealisationRow") -> None:
        for name in ("accommodated", "not_started", "under_way", "done", "cancelled", "stale"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Recap:
    cycle: Cycle
    total: int = 0
    cost: int = 0
    kecamatan: list[AreaRow] = field(default_factory=list)
    kelurahan: list[AreaRow] = field(default_factory=list)  # of `chosen`, or all of the kota
    chosen: AreaRow | None = None  # the kecamatan drilled into
    kota_row: AreaRow | None = None  # the kecamatan rows added up
    kelurahan_count: int = 0  # in the kota, whichever kecamatan is drilled into
    categories: list[CategoryRow] = field(default_factory=list)
    sources: list[SourceRow] = field(default_factory=list)
    units: list[UnitRow] = field(default_factory=list)
    funnel: list[Stage] = field(default_factory=list)
    sessions: list[SessionProgress] = field(default_factory=list)
    realisation_kecamatan: list[RealisationRow] = field(default_factory=list)
    realisation_units: list[RealisationRow] = field(default_factory=list)

    @property
    def realisation_total(self) -> RealisationRow:
        total = RealisationRow(name="")
        for row in self.realisation_kecamatan:
            total.add(row)
        return total

    @property
    def rw(self) -> int:
        """The RW of the kota: every one holds its rembuk RW, with or without a proposal."""
        return self.kota_row.rw if self.kota_row else 0

    @property
    def surveyed_units(self) -> list[UnitRow]:
        return [unit for unit in self.units if unit.physical]

    @property
    def physical(self) -> int:
        return sum(unit.physical for unit in self.units)

    @property
    def surveyed(self) -> int:
        return sum(unit.surveyed for unit in self.units)

    @property
    def sessions_held(self) -> int:
        return sum(progress.held for progress in self.sessions)

    @property
    def sessions_expected(self) -> int:
        return sum(progress.expected for progress in self.sessions)


def cycles() -> list[Cycle]:
    """Every cycle, the latest first, for the cycle select."""
    return list(Cycle.objects.select_related("kota").order_by("-year", "-pk"))


def choose_cycle(choices: list[Cycle], value: str | None) -> Cycle | None:
    """The cycle named by the `siklus` parameter; the latest when it names none."""
    chosen = next((cycle for cycle in choices if str(cycle.pk) == (value or "").strip()), None)
    return chosen or (choices[0] if choices else None)


def recap_for(cycle: Cycle, *, kecamatan_code: str = "") -> Recap:
    """The recap of one cycle over its kota; `kecamatan_code` narrows the kelurahan list."""
    recap = Recap(cycle=cycle)
    kecamatan, kelurahan, parents = _areas(cycle)
    _count_proposals(cycle, kelurahan)
    _count_priorities(cycle, kelurahan)
    _session_states(cycle, kecamatan, kelurahan)
    for pk, row in kelurahan.items():
        if parents[pk] in kecamatan:
            kecamatan[parents[pk]].add(row)
    recap.kecamatan = list(kecamatan.values())
    recap.kota_row = AreaRow(code=cycle.kota.code, name=cycle.kota.name)
    for row in recap.kecamatan:
        recap.kota_row.add(row)
        recap.kota_row.add_ceiling(row)
    recap.categories = _categories(cycle)
    # Every proposal has one category: the categories add up to the whole cycle.
    recap.total = sum(row.proposals for row in recap.categories)
    recap.cost = sum(row.cost for row in recap.categories)
    recap.sources = _sources(cycle)
    for row in [*recap.categories, *recap.sources, *recap.kecamatan, *kelurahan.values()]:
        row.share = recap_format.share(row.proposals, recap.total)
    recap.kelurahan_count = len(kelurahan)
    recap.chosen = next((row for row in recap.kecamatan if row.code == kecamatan_code), None)
    recap.kelurahan = [
        row
        for row in kelurahan.values()
        if recap.chosen is None or row.code.startswith(recap.chosen.code + ".")
    ]
    recap.units = _units(cycle)
    recap.funnel = _funnel(recap.total, recap.kota_row)
    recap.sessions = _sessions(cycle, len(kecamatan), len(kelurahan))
    recap.realisation_kecamatan = _realisation_kecamatan(cycle, kecamatan)
    recap.realisation_units = _realisation_units(cycle)
    return recap


# A recap is recomputed when the data behind it moved, and at least every five minutes.
CACHE_SECONDS = 300


def _fingerprint(cycle: Cycle) -> tuple:
    """What changes whenever a figure of the recap can: every workflow step writes a journey
    event, proposals are created, sessions close. Index-only lookups, whatever the size."""
    latest = (
        Event.objects.aggregate(last=Max("pk"))["last"],
        Proposal.objects.aggregate(last=Max("pk"))["last"],
    )
    closed = Sidang.objects.filter(cycle=cycle, state=State.CLOSED).aggregate(
        n=Count("pk"), last=Max("closed_at")
    )
    # The planning office may set or change a pagu indikatif at any time.
    ceilings = Ceiling.objects.filter(cycle=cycle).aggregate(n=Count("pk"), total=Sum("amount"))
    return (*latest, closed["n"], closed["last"], ceilings["n"], ceilings["total"])


def recap_cached(cycle: Cycle, *, kecamatan_code: str = "") -> Recap:
    """recap_for(), computed once for as long as the data behind it stays the same, so a
    million proposals are not re-counted on every visit; once per language, as its shares are
    written the way the language writes them."""
    names = (cycle.pk, kecamatan_code, get_language(), _fingerprint(cycle))
    key = "recap:" + hashlib.sha256(repr(names).encode()).hexdigest()
    recap = cache.get(key)
    if recap is None:
        recap = recap_for(cycle, kecamatan_code=kecamatan_code)
        cache.set(key, recap, CACHE_SECONDS)
    return recap


def _submitted(cycle: Cycle):
    """The cycle's proposals that left the RW (all but drafts, and carried proposals their RW
    has not confirmed), without the default ordering
    so that GROUP BY groups by the asked fields only."""
    return (
        Proposal.objects.filter(cycle=cycle)
        .exclude(status__in=[Status.DRAFT, *NOT_TAKING_PART])
        .order_by()
    )


def _areas(cycle: Cycle) -> tuple[dict[int, AreaRow], dict[int, AreaRow], dict[int, int]]:
    """The kota's kecamatan and kelurahan by id, in code order, each with its pagu indikatif
    in the cycle, each kelurahan with its count of RW, and each kelurahan's kecamatan; one
    query."""
    kecamatan, kelurahan, parents = {}, {}, {}
    ceiling = Ceiling.objects.filter(cycle=cycle, area=OuterRef("pk")).values("amount")[:1]
    areas = (
        Area.objects.filter(
            code__startswith=cycle.kota.code + ".",
            level__in=[Level.KECAMATAN, Level.KELURAHAN],
        )
        .annotate(
            rw=Count("children", filter=Q(children__level=Level.RW)),
            ceiling=Subquery(ceiling),
        )
        .order_by("code")
        .values_list("pk", "code", "name", "level", "parent_id", "rw", "ceiling")
    )
    for pk, code, name, level, parent_id, rw, amount in areas:
        if level == Level.KECAMATAN:
            kecamatan[pk] = AreaRow(code=code, name=name, ceiling=amount)
        else:
            parent = kecamatan.get(parent_id)
            kelurahan[pk] = AreaRow(
                code=code,
                name=name,
                parent_name=parent.name if parent else "",
                rw=rw,
                ceiling=amount,
            )
            parents[pk] = parent_id
    return kecamatan, kelurahan, parents


def _count_proposals(cycle: Cycle, kelurahan: dict[int, AreaRow]) -> None:
    rows = (
        _submitted(cycle)
        .values("kelurahan_id")
        .annotate(
            n=Count("pk"),
            # Not named "cost": the planned cost below reads the proposal's own field.
            proposed=Sum("cost"),
            accommodated=Count("pk", filter=Q(decision__kind__in=ACCOMMODATED)),
            accommodated_cost=Sum(planned_cost_sql(), filter=Q(decision__kind__in=ACCOMMODATED)),
        )
    )
    for row in rows:
        area = kelurahan.get(row["kelurahan_id"])
        if area:
            area.proposals, area.cost = row["n"], row["proposed"] or 0
            area.accommodated = row["accommodated"]
            area.accommodated_cost = row["accommodated_cost"] or 0


def _count_priorities(cycle: Cycle, kelurahan: dict[int, AreaRow]) -> None:
    """Priorities (utama) decided in closed sessions only: an open ranking may still change."""
    rows = (
        Candidate.objects.filter(
            sidang__cycle=cycle, sidang__state=State.CLOSED, decision=Ranking.UTAMA
        )
        .order_by()
        .values("proposal__kelurahan_id")
        .annotate(
            kel=Count("proposal", distinct=True, filter=Q(sidang__kind=Kind.KELOMPOK)),
            kec=Count("proposal", distinct=True, filter=Q(sidang__kind=Kind.KECAMATAN)),
            # One musrenbang kecamatan a cycle per kecamatan: each priority counted once.
            kec_cost=Sum(planned_cost_sql("proposal__"), filter=Q(sidang__kind=Kind.KECAMATAN)),
        )
    )
    for row in rows:
        area = kelurahan.get(row["proposal__kelurahan_id"])
        if area:
            area.kelurahan_priorities, area.kecamatan_priorities = row["kel"], row["kec"]
            area.prioritised_cost = row["kec_cost"] or 0


def _session_states(cycle, kecamatan: dict[int, AreaRow], kelurahan: dict[int, AreaRow]) -> None:
    """The state of each kelurahan's sidang kelompok and each kecamatan's musrenbang: at most
    one per area and kind, so as many rows as areas."""
    states = Sidang.objects.filter(cycle=cycle, kind__in=[Kind.KELOMPOK, Kind.KECAMATAN])
    for kind, area_id, state in states.order_by().values_list("kind", "area_id", "state"):
        area = (kelurahan if kind == Kind.KELOMPOK else kecamatan).get(area_id)
        if area:
            area.session_state = State(state).label


def _categories(cycle: Cycle) -> list[CategoryRow]:
    rows = {
        row["category"]: row
        for row in _submitted(cycle).values("category").annotate(n=Count("pk"), cost=Sum("cost"))
    }
    return [
        CategoryRow(
            code=category.value,
            label=category.label,
            proposals=rows[category]["n"],
            cost=rows[category]["cost"] or 0,
        )
        for category in Category
        if category in rows
    ]


def _sources(cycle: Cycle) -> list[SourceRow]:
    """The proposals per source; both sources are listed, a pokir-less cycle's with 0."""
    accommodated = Q(status__in=[Status.RENJA, Status.CURRENT_BUDGET])
    rows = {
        row["source"]: row
        for row in _submitted(cycle)
        .values("source")
        .annotate(n=Count("pk"), cost=Sum("cost"), accommodated=Count("pk", filter=accommodated))
    }
    empty = {"n": 0, "cost": 0, "accommodated": 0}
    return [
        SourceRow(
            code=source.value,
            label=source.label,
            proposals=rows.get(source, empty)["n"],
            cost=rows.get(source, empty)["cost"] or 0,
            accommodated=rows.get(source, empty)["accommodated"],
        )
        for source in Source
    ]


def _units(cycle: Cycle) -> list[UnitRow]:
    physical = Q(category=Category.FISIK)
    rows = (
        _submitted(cycle)
        .values("target_unit__name")
        .annotate(
            n=Count("pk"),
            cost=Sum("cost"),
            physical=Count("pk", filter=physical),
            surveyed=Count("survey", filter=physical),
            recommended=Count(
                "survey", filter=physical & Q(survey__recommendation=Recommendation.RECOMMENDED)
            ),
            not_recommended=Count(
                "survey",
                filter=physical & Q(survey__recommendation=Recommendation.NOT_RECOMMENDED),
            ),
        )
        .order_by("target_unit__name")
    )
    return [
        UnitRow(
            name=row["target_unit__name"],
            short_name=TechnicalUnit(name=row["target_unit__name"]).short_name,
            proposals=row["n"],
            cost=row["cost"] or 0,
            physical=row["physical"],
            surveyed=row["surveyed"],
            recommended=row["recommended"],
            not_recommended=row["not_recommended"],
        )
        for row in rows
    ]


def _funnel(total: int, kota: AreaRow) -> list[Stage]:
    steps = [
        (_("Usulan"), total),
        (_("Prioritas kelurahan"), kota.kelurahan_priorities),
        (_("Prioritas kecamatan"), kota.kecamatan_priorities),
        (_("Diakomodir"), kota.accommodated),
    ]
    return [
        Stage(label=label, count=count, share=recap_format.share(count, total))
        for label, count in steps
    ]


def _sessions(cycle: Cycle, kecamatan: int, kelurahan: int) -> list[SessionProgress]:
    sessions = Sidang.objects.filter(cycle=cycle, kind__in=[kind for kind, _lv in SESSION_KINDS])
    counts = {
        row["kind"]: row
        for row in sessions.order_by()
        .values("kind")
        .annotate(
            n=Count("pk"),
            held=Count("pk", filter=Q(state=State.CLOSED)),
            running=Count("pk", filter=Q(state=State.IN_PROGRESS)),
        )
    }
    areas = {Level.KECAMATAN: kecamatan, Level.KELURAHAN: kelurahan}
    dates = {
        Kind.PLENO_PEMBUKA: (cycle.pleno_pembuka_on, None),
        Kind.KELOMPOK: (cycle.kelompok_opens, cycle.kelompok_closes),
        Kind.KECAMATAN: (cycle.kecamatan_opens, cycle.kecamatan_closes),
        Kind.PLENO_PENUTUPAN: (cycle.penutupan_on, None),
    }
    progress = []
    for kind, level in SESSION_KINDS:
        row = counts.get(kind, {"n": 0, "held": 0, "running": 0})
        starts, ends = dates[kind]
        progress.append(
            SessionProgress(
                kind=kind.value,
                label=kind.label,
                held=row["held"],
                running=row["running"],
                expected=max(areas[level], row["n"]),
                starts=starts,
                ends=ends if ends != starts else None,
            )
        )
    return progress


# -- Realisation ------------------------------------------------------------------------------

UNDER_WAY = [WorkStage.PLANNING, WorkStage.PROCUREMENT, WorkStage.EXECUTION]


def _realisations(cycle: Cycle, key: str, today: datetime.date | None = None):
    """The realisations of the cycle's accommodated proposals counted per `key` by stage: one
    grouped query (the stale ones through a subquery), served by the (key, stage) index."""
    realisations = standing().filter(proposal__cycle=cycle)
    stale = realisations.stale(months=cycle.stale_progress_months, today=today)
    return (
        realisations.order_by()
        .values(key)
        .annotate(
            accommodated=Count("pk"),
            not_started=Count("pk", filter=Q(stage="")),
            under_way=Count("pk", filter=Q(stage__in=UNDER_WAY)),
            done=Count("pk", filter=Q(stage=WorkStage.DONE)),
            cancelled=Count("pk", filter=Q(stage=WorkStage.CANCELLED)),
            stale=Count("pk", filter=Q(pk__in=stale.values("pk"))),
        )
    )


FIGURES = ("accommodated", "not_started", "under_way", "done", "cancelled", "stale")


def _realisation_kecamatan(cycle: Cycle, kecamatan: dict[int, AreaRow]) -> list[RealisationRow]:
    """Every kecamatan of the kota, in code order, with or without accommodated proposals."""
    rows = {pk: RealisationRow(name=area.name) for pk, area in kecamatan.items()}
    for counted in _realisations(cycle, "kecamatan_id"):
        row = rows.get(counted["kecamatan_id"])
        if row:
            for name in FIGURES:
                setattr(row, name, counted[name])
    return list(rows.values())


def _realisation_units(cycle: Cycle) -> list[RealisationRow]:
    """The UKPD carrying out accommodated proposals, by name."""
    return [
        RealisationRow(
            name=counted["unit__name"],
            short_name=TechnicalUnit(name=counted["unit__name"]).short_name,
            **{name: counted[name] for name in FIGURES},
        )
        for counted in _realisations(cycle, "unit__name").order_by("unit__name")
    ]
