"""Synthetic Musrenbang data at city and national scale for `make bench`, loaded with COPY.

`generate(size=N)` fills an empty, migrated PostgreSQL database with:

- every DKI Jakarta area (areas_load) and `rws_per_kelurahan` RWs in each of its 267 kelurahan;
- per kota its 16 UKPD, the demo's 41-item catalogue, one cycle a year 2022–2025 (24 cycles;
  Jakarta Pusat 2024 has the prefix JP24) with the default scoring criteria;
- an official for every role (ketua RW, lurah, camat, UKPD officer, planning office), among them
  the bench's users (BENCH_USERS), all with BENCH_PASSWORD;
- N proposals spread evenly over the kelurahan of every cycle, except that JP24 holds at least
  the real cycle's 1,451 (at N = 1,451 it holds them all), each with its journey (about 3
  events a proposal at scale, more where most reach a session), a survey for ~65 % of the
  physical ones, a sidang kelompok per kelurahan and a musrenbang kecamatan per kecamatan per
  cycle with their candidates and attendance, and the planning office's final decision on the
  kecamatan priorities of the cycles before 2025.

Every session is closed except what the bench measures, in JP24: Senen's musrenbang kecamatan,
in progress with exactly 30 candidates (the 5 priorities of each of its 6 kelurahan), a saved
ranking and 60 participants (the berita acara); and the sidang kelompok of Kebon Kelapa, in
progress with 30 unranked candidates (the ranking page and its save). Gambir's musrenbang
kecamatan, which Kebon Kelapa feeds, is still scheduled.

A sidang kelompok puts at most TABLE_CAP of its kelurahan's proposals on the table: at a million
proposals DKI's 267 kelurahan stand in for the tens of thousands of a national run, so the rest
of a crowded kelurahan's proposals wait as submitted instead of making sessions of hundreds.

The big tables are loaded in one transaction with their foreign keys and plain indexes dropped
and their triggers disabled (as their owner), then restored exactly as they were: the foreign
keys are validated when re-added; unique and check constraints hold throughout.
"""

import bisect
import datetime
import queue
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from auditlog.context import disable_auditlog
from django.db import connection, transaction
from django.utils import translation

from areas.models import Area, Level, Role, TechnicalUnit, User
from areas.services import areas_load, rw_ensure
from musrenbang.demo.officials import (
    ADMIN,
    ANY_LAST,
    MEN,
    MEN_LAST,
    WOMEN,
    WOMEN_LAST,
    DemoUser,
    dapil_ensure,
    dprd_member,
    head_of,
    ketua_rw,
    planning_officer,
    slug,
    unit_officer,
    units_ensure,
    users_ensure,
)
from musrenbang.demo.proposals import (
    ALLEYS,
    FINDINGS,
    ITEMS,
    PROBLEMS,
    REJECTIONS,
    STREET_SUFFIXES,
    WHOLE_MEASURES,
)
from musrenbang.demo.sidang import NOT_PRIORITISED_KECAMATAN, NOT_PRIORITISED_KELURAHAN
from proposals.models import (
    CatalogueItem,
    Category,
    Cycle,
    Event,
    Recess,
    Recommendation,
    Source,
    Status,
)
from proposals.models import Decision as FinalDecision
from sessions.models import (
    DEFAULT_CRITERIA,
    Criterion,
    Decision,
    Kind,
    Participant,
    State,
    sidang_title,
)
from sessions.services import KIND_ACTION, quota_for

SEED = 2025
YEARS = (2022, 2023, 2024, 2025)
DECIDED_BEFORE = 2025  # the kota has recorded its final decisions in the earlier cycles
KOTA_JP = "31.71"
JP24_YEAR = 2024
REAL_CYCLE = 1451  # proposals of Jakarta Pusat's musrenbang 2024
SENEN = "31.71.04"
KENARI = "31.71.04.1002"
RANKING_KELURAHAN = "31.71.01.1005"  # Kebon Kelapa, Gambir
TABLE_CAP = 30
MINUTES_CANDIDATES = 30
MINUTES_PARTICIPANTS = 60
PENGADAAN_SHARE = 0.2612
SURVEYED_SHARE = 0.68  # of the physical proposals the RW submitted: ~65 % of all physical ones
RECOMMENDED_SHARE = 0.8
# Pokir DPRD: one recess per kota and cycle, its aspirations about 1.4 % of the cycle's proposals
# (20 beside Jakarta Pusat's 1,451), half the physical ones surveyed; in the decided cycles, a
# third accommodated in the Renja and the rest not.
POKIR_PER_1000 = 14
POKIR_SURVEYED = 0.5
POKIR_ACCOMMODATED = 0.3
RECESS_DAY = 12  # 13 January

BENCH_PASSWORD = "bench-musrenbang-2024"
BENCH_USERS = {
    "superuser": "admin",
    "planning": "suban",
    "lurah": "lurah.kenari",
    "rw": "rw.kenari.001",
    "ukpd": "ukpd.binamarga",
}

# Tables loaded with COPY, and whose foreign keys, plain indexes and triggers are set aside.
BIG_TABLES = (
    "proposals_proposal",
    "proposals_event",
    "proposals_survey",
    "proposals_decision",
    "proposals_realisation",
    "proposals_progress",
    "notices_notice",
    "sidang_sidang",
    "sidang_candidate",
    "sidang_participant",
)
PROPOSAL_COLUMNS = (
    "id, cycle_id, number, code, rw_id, kelurahan_id, kecamatan_id, kota_id, title, problem, "
    "catalogue_item_id, category, target_unit_id, address, rt, latitude, longitude, volume, "
    "measure, unit_price, cost, beneficiaries, status, recommendation, created_by_id, "
    "created_at, submitted_at, source, recess_id"
)
EVENT_COLUMNS = 'id, proposal_id, action, actor_id, actor_office, "at", note'
SURVEY_COLUMNS = (
    "id, proposal_id, surveyed_on, officer_id, findings, photo_id, recommendation, reason, "
    "reason_note, revised_volume, revised_cost, recorded_at"
)
DECISION_COLUMNS = (
    "id, proposal_id, kind, reason, merged_into_id, decided_by_id, decided_at, unit_id, amount, "
    "budget_year"
)
REALISATION_COLUMNS = (
    "id, proposal_id, unit_id, kecamatan_id, stage, percent, started_on, reported_on"
)
PROGRESS_COLUMNS = (
    "id, realisation_id, stage, percent, reported_on, note, reason, recorded_by_id, recorded_at"
)
NOTICE_COLUMNS = "id, user_id, kind, subject, text, url, created_at, read_at"
# Where the work of an accommodated proposal stands, a year and more after the decision:
# (stage, percent, weight); "" is not started.
REALISATION_STAGES = [
    ("", 0, 10),
    ("perencanaan", 10, 10),
    ("pengadaan", 30, 15),
    ("pelaksanaan", 60, 25),
    ("selesai", 100, 35),
    ("batal", 0, 5),
]
REALISATION_WEIGHTS = [weight for _s, _p, weight in REALISATION_STAGES]
PROGRESS_NOTE = "Laporan berkala UKPD pelaksana."
CANCELLED = "Lokasi terkena rencana pelebaran jalan; dialihkan ke tahun berikutnya."
SIDANG_COLUMNS = (
    "id, cycle_id, kind, area_id, starts_at, venue, mode, meeting_link, chair, chair_nip, "
    "chair_position, minute_taker, minute_taker_nip, minute_taker_position, agenda, notes, "
    "state, quota, shortfall_reason, ranking_version, ranking_saved_by_id, ranking_saved_at, "
    "closed_at, closed_by_id, created_at, stages_missing, stage_exception, closed_late, weights, "
    "over_ceiling_reason"
)
CANDIDATE_COLUMNS = "id, sidang_id, proposal_id, rank, decision, reason, scores, score, added_at"
PARTICIPANT_COLUMNS = (
    "id, sidang_id, category, name, position, institution, presence, is_delegate, added_at, present"
)

# Days are counted from 1 January of the cycle's year; moments in minutes from its midnight.
DAY = 1440
RW_OPENS, RW_CLOSES = 1, 46  # 2 January – 16 February
LAST_ACCEPTANCE = 53
LAST_SURVEY = 56
KELOMPOK_FIRST, KELOMPOK_DAYS = 57, 7  # 27 February – 5 March
KECAMATAN_FIRST, KECAMATAN_DAYS = 65, 9  # 6 – 14 March
DECIDED_DAY = 100
SCHEDULED_DAY = 50

RETURN_NOTE = "Lengkapi foto lokasi dan perbaiki volume sesuai kondisi lapangan."
REFUSAL = "Tidak tersedia pagu anggaran pada tahun rencana."
SHORTFALL = "Usulan yang memenuhi syarat kurang dari kuota."
AGENDA = {
    Kind.KELOMPOK: [
        "Pembacaan usulan hasil rembuk RW yang diterima kelurahan",
        "Paparan hasil survei UKPD teknis",
        "Pemeringkatan dan penetapan 5 usulan prioritas kelurahan",
    ],
    Kind.KECAMATAN: [
        "Paparan usulan prioritas hasil sidang kelompok kelurahan",
        "Pembahasan bersama UKPD teknis",
        "Pemeringkatan dan penetapan 3 usulan prioritas kecamatan",
    ],
}
# Who signs the attendance list, and how often.
ATTENDANCE = [
    (Participant.Category.KETUA_RW, 10),
    (Participant.Category.LMK, 3),
    (Participant.Category.TOKOH_MASYARAKAT, 4),
    (Participant.Category.TOKOH_AGAMA, 2),
    (Participant.Category.PKK, 2),
    (Participant.Category.KARANG_TARUNA, 2),
    (Participant.Category.FORUM_ANAK, 1),
    (Participant.Category.DIFABEL, 1),
    (Participant.Category.UKPD, 3),
    (Participant.Category.ORMAS, 1),
    (Participant.Category.PUSKESMAS, 1),
]
ATTENDANCE_CATEGORIES = [category for category, _weight in ATTENDANCE]
ATTENDANCE_WEIGHTS = [weight for _category, weight in ATTENDANCE]


def _may_be_utama(p) -> bool:
    """The sessions' rule (sessions.services.utama_refusal): a physical proposal is utama only
    once a survey recommends it."""
    if p.item.category == Category.FISIK:
        return p.recommendation == Recommendation.RECOMMENDED
    return p.recommendation != Recommendation.NOT_RECOMMENDED


@dataclass
class Summary:
    """What was loaded, and the rows the bench measures."""

    size: int
    seconds: float
    counts: dict[str, int]
    jp24_cycle_id: int
    minutes_sidang_id: int
    ranking_sidang_id: int
    detail_proposal_id: int


# -- COPY text ----------------------------------------------------------------------------------

NULL = "\\N"


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _checked(*texts: str) -> None:
    """The fixed texts go into COPY lines unescaped; none may hold a tab, newline or backslash."""
    for text in texts:
        if any(c in text for c in "\t\n\r\\"):
            raise ValueError(f"Text unfit for COPY: {text!r}")


def _line(*values) -> str:
    return "\t".join(NULL if v is None else str(v) for v in values) + "\n"


class _Writer:
    """COPYs on a thread of its own, so Python draws up the next cycle while PostgreSQL takes
    in this one. Nothing else may use the connection until close()."""

    def __init__(self, cursor):
        self.cursor = cursor
        self.jobs: queue.Queue = queue.Queue(maxsize=8)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="bench-copy", daemon=True)
        self.thread.start()

    def put(self, table: str, columns: str, lines: list[str]) -> None:
        if self.error is not None:
            raise self.error
        self.jobs.put((table, columns, lines))

    def close(self) -> None:
        self.jobs.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error

    def _run(self) -> None:
        while (job := self.jobs.get()) is not None:
            if self.error is None:  # after a failure, only drain the queue
                try:
                    _copy(self.cursor, *job)
                except BaseException as error:
                    self.error = error


def _copy(cursor, table: str, columns: str, lines: list[str]) -> None:
    if not lines:
        return
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for start in range(0, len(lines), 20_000):
            copy.write("".join(lines[start : start + 20_000]))


# -- Setting constraints, indexes and triggers aside --------------------------------------------


def _set_aside(cursor, tables) -> list[str]:
    """Drop the tables' foreign keys and plain indexes and disable their triggers; return the
    statements that put everything back as it was."""
    indexes, foreign_keys, triggers = [], [], []
    for table in tables:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f'",
            [table],
        )
        for name, definition in cursor.fetchall():
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            foreign_keys.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = %s::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
            "WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)",
            [table],
        )
        for name, definition in cursor.fetchall():
            cursor.execute(f"DROP INDEX {name}")
            indexes.append(definition)
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        triggers.append(f"ALTER TABLE {table} ENABLE TRIGGER USER")
    return indexes + foreign_keys + triggers


def _sequences_reset(cursor, tables) -> None:
    for table in tables:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)"
        )


# -- The world the proposals live in ------------------------------------------------------------


@dataclass
class _Item:
    pk: int
    unit_id: int
    code: str
    name: str
    category: str
    sector: str
    measure: str
    price: int
    low: int
    high: int


@dataclass
class _Kota:
    area: Area
    short: str  # "Jakarta Pusat"
    abbreviation: str  # "JP"
    kecamatan: list[Area]
    kelurahan: dict[int, list[Area]]  # by kecamatan id
    units: dict[int, str] = field(default_factory=dict)  # unit id → name
    officer: dict[int, int] = field(default_factory=dict)  # unit id → officer id
    items: dict[str, tuple[list[_Item], list[float]]] = field(default_factory=dict)
    planning_id: int = 0
    dprd_id: int = 0  # the member for the kota's dapil
    dapil_id: int = 0
    dapil_name: str = ""

    @property
    def office(self) -> str:
        return f"Suku Badan Perencanaan Pembangunan Kota {self.short}"


@dataclass
class _World:
    kotas: list[_Kota]
    rws: dict[int, list[tuple[int, str]]]  # kelurahan id → [(RW id, "007")]
    rw_user: dict[int, int]
    lurah: dict[int, int]
    camat: dict[int, int]
    cycles: dict[tuple[int, int], Cycle]  # (kota id, year) → cycle
    # user id → name with titles, NIP and position, as a berita acara prints its chair
    signatory: dict[int, tuple[str, str, str]] = field(default_factory=dict)


def _short_name(kota: Area) -> str:
    return kota.name.removeprefix("Kota Administrasi ").removeprefix("Kabupaten Administrasi ")


def _world_load(rws_per_kelurahan: int) -> _World:
    areas_load()
    kotas = []
    for area in Area.objects.filter(level=Level.KOTA).order_by("code"):
        short = _short_name(area)
        kecamatan = list(Area.objects.kecamatan().within(area).order_by("code"))
        kelurahan: dict[int, list[Area]] = {k.pk: [] for k in kecamatan}
        for kel in Area.objects.kelurahan().within(area).order_by("code"):
            kelurahan[kel.parent_id].append(kel)
        abbreviation = "".join(word[0] for word in short.split()[:2]).upper()
        kotas.append(_Kota(area, short, abbreviation, kecamatan, kelurahan))
    rw_areas = {
        kel.pk: rw_ensure(kelurahan=kel, count=rws_per_kelurahan)
        for kota in kotas
        for members in kota.kelurahan.values()
        for kel in members
    }
    rws = {k: [(rw.pk, rw.code.rsplit(".", 1)[-1]) for rw in v] for k, v in rw_areas.items()}
    units = {}
    for kota in kotas:
        with disable_auditlog():  # the bench's units were always bulk-created, unlogged
            units[kota.area.pk] = units_ensure(kota.area)
        _catalogue_load(kota, units[kota.area.pk])
    world = _World(kotas, rws, {}, {}, {}, {})
    _officials_load(world, rw_areas, units)
    _cycles_load(world)
    return world


def _catalogue_load(kota: _Kota, units: list[TechnicalUnit]) -> None:
    by_code = {u.code: u for u in units}
    kota.units = {u.pk: u.name for u in units}
    entries = CatalogueItem.objects.bulk_create(
        [
            CatalogueItem(
                unit=by_code[i.unit],
                code=i.code,
                name=i.name,
                category=i.category,
                sector=i.sector,
                measure=i.measure,
                unit_price=i.unit_price,
            )
            for i in ITEMS
        ]
    )
    for category in (Category.FISIK, Category.PENGADAAN):
        chosen = [
            _Item(
                e.pk,
                e.unit_id,
                i.code,
                i.name,
                i.category,
                i.sector,
                i.measure,
                i.unit_price,
                i.low,
                i.high,
            )
            for i, e in zip(ITEMS, entries, strict=True)
            if i.category == category and i.weight
        ]
        weights = [i.weight for i in ITEMS if i.category == category and i.weight]
        cumulative, total = [], 0.0
        for weight in weights:
            total += weight
            cumulative.append(total)
        kota.items[category] = (chosen, [c / total for c in cumulative])


def _officials_load(
    world: _World, rws: dict[int, list[Area]], units: dict[int, list[TechnicalUnit]]
) -> None:
    """One official for every role and area (or unit), named as in the demo, with the bench's
    own users among them. A name already taken elsewhere in DKI gets its area's code (or its
    unit's id) appended."""
    people, taken = [ADMIN], {ADMIN.username}

    def add(person: DemoUser, *, clash: str) -> None:
        if person.username in taken:
            person = replace(person, username=f"{person.username}.{clash}")
        taken.add(person.username)
        people.append(person)

    for kota in world.kotas:
        suffix = "" if kota.area.code == KOTA_JP else "." + slug(kota.short)
        add(planning_officer(kota.area, suffix=suffix), clash=kota.area.code)
        for unit in units[kota.area.pk]:
            add(unit_officer(unit, suffix=suffix), clash=str(unit.pk))
        for kec in kota.kecamatan:
            add(head_of(kec), clash=kec.code)
            for kel in kota.kelurahan[kec.pk]:
                add(head_of(kel), clash=kel.code)
                for rw in rws[kel.pk]:
                    add(ketua_rw(rw, kel), clash=kel.code)
    # Last, so that everyone else keeps the name drawn for them before.
    dapils = {kota.area.pk: dapil_ensure(kota.area) for kota in world.kotas}
    for kota in world.kotas:
        add(dprd_member(dapils[kota.area.pk]), clash=kota.area.code)
    users = users_ensure(people, BENCH_PASSWORD)
    world.signatory = {u.pk: (u.full_name, u.nip, u.position) for u in users.values()}
    by_area, by_unit = {}, {}
    for p in people:
        if p.unit:
            by_unit[p.unit.pk] = users[p.username].pk
        elif p.role:
            by_area[(p.role, p.area.pk)] = users[p.username].pk
    for kota in world.kotas:
        kota.officer = {unit_id: by_unit[unit_id] for unit_id in kota.units}
        kota.planning_id = by_area[(Role.PLANNING, kota.area.pk)]
        kota.dprd_id = by_area[(Role.DPRD, kota.area.pk)]
        kota.dapil_id, kota.dapil_name = dapils[kota.area.pk].pk, dapils[kota.area.pk].name
        for kec in kota.kecamatan:
            world.camat[kec.pk] = by_area[(Role.CAMAT, kec.pk)]
            for kel in kota.kelurahan[kec.pk]:
                world.lurah[kel.pk] = by_area[(Role.LURAH, kel.pk)]
                for rw_id, _number in world.rws[kel.pk]:
                    world.rw_user[rw_id] = by_area[(Role.RW, rw_id)]


def _cycles_load(world: _World) -> None:
    cycles = []
    for kota in world.kotas:
        for year in YEARS:
            day = datetime.date(year, 1, 1)
            on = lambda offset, day=day: day + datetime.timedelta(days=offset)  # noqa: E731
            cycles.append(
                Cycle(
                    kota=kota.area,
                    year=year,
                    code_prefix=f"{kota.abbreviation}{year % 100:02d}",
                    rw_opens=on(RW_OPENS),
                    rw_closes=on(RW_CLOSES),
                    pleno_pembuka_on=on(KELOMPOK_FIRST - 1),
                    kelompok_opens=on(KELOMPOK_FIRST),
                    kelompok_closes=on(KELOMPOK_FIRST + KELOMPOK_DAYS - 1),
                    kecamatan_opens=on(KECAMATAN_FIRST),
                    kecamatan_closes=on(KECAMATAN_FIRST + KECAMATAN_DAYS - 1),
                    penutupan_on=on(KECAMATAN_FIRST + KECAMATAN_DAYS + 4),
                )
            )
    Cycle.objects.bulk_create(cycles)
    Criterion.objects.bulk_create(
        [
            Criterion(cycle=cycle, name=name, weight=weight, order=order)
            for cycle in cycles
            for order, (name, weight) in enumerate(DEFAULT_CRITERIA)
        ]
    )
    world.cycles = {(c.kota_id, c.year): c for c in cycles}


# -- Proposals, their journeys and sessions ---------------------------------------------------


class _Proposal:
    """One proposal while its cycle is drawn up: its row, and what happened to it."""

    __slots__ = (
        "accepted",
        "address",
        "beneficiaries",
        "created",
        "edited",
        "final",
        "id",
        "item",
        "kec",
        "kel",
        "latitude",
        "longitude",
        "number",
        "problem",
        "recess_id",
        "recommendation",
        "returned",
        "rt",
        "rw_id",
        "rw_number",
        "source",
        "status",
        "submitted",
        "survey",
        "title",
        "volume",
    )

    def __init__(self):
        self.status = Status.SUBMITTED
        self.recommendation = ""
        self.submitted = self.accepted = self.returned = self.edited = None
        self.survey = self.kel = self.kec = self.final = None
        self.source, self.recess_id = Source.RW, None


@dataclass
class _Sidang:
    id: int
    kind: str
    area: Area
    label: str  # "Sidang Kelompok Kelurahan Kenari": sidang_title, as Sidang.__str__ reads
    day: int
    state: str
    runner_id: int
    quota: int
    candidates: list[tuple[_Proposal, int | None, str, str]] = field(default_factory=list)
    participants: int = 0


class _Loader:
    """Draws up every cycle in turn and COPYs it: proposals first, then their sessions."""

    def __init__(
        self, world: _World, *, size: int, jp24_minimum: int, seed: int, cursor, log: Callable
    ):
        self.world = world
        self.rng = random.Random(seed)
        self.pokir_rng = random.Random(seed + 1)  # pokir draw apart: the RWs' stay as they were
        self.writer = _Writer(cursor)
        self.numbers: dict[int, int] = {}  # cycle id → its last proposal number
        self.log = log
        self.ids = dict.fromkeys(BIG_TABLES, 0)
        self.counts = dict.fromkeys(BIG_TABLES, 0)
        self.labels = {
            **{d.value: str(d.label) for d in Decision},
            **{k.value: str(k.label) for k in FinalDecision.Kind},
            **{r.value: str(r.label) for r in Recommendation},
            **{a.value: str(a.label) for a in Event.Action},
        }
        self.reasons = {reason: str(reason.label) for reason in REJECTIONS}
        self.rejections = list(REJECTIONS)
        self.rejection_weights = [REJECTIONS[r][0] for r in self.rejections]
        _checked(
            RETURN_NOTE,
            REFUSAL,
            SHORTFALL,
            PROGRESS_NOTE,
            CANCELLED,
            *FINDINGS,
            *self.labels.values(),
            *self.reasons.values(),
            *(note for _w, note in REJECTIONS.values()),
            *(text for texts in PROBLEMS.values() for text in texts),
            *NOT_PRIORITISED_KELURAHAN,
            *NOT_PRIORITISED_KECAMATAN,
        )
        self.plan = self._plan(size, jp24_minimum)
        # Area lookups for the rows.
        self._kelurahan_of, self._kelurahan_name, self._kecamatan_of = {}, {}, {}
        for kota in world.kotas:
            for kec in kota.kecamatan:
                for kel in kota.kelurahan[kec.pk]:
                    self._kelurahan_name[kel.pk] = kel.name
                    self._kecamatan_of[kel.pk] = kec.pk
                    for rw_id, _number in world.rws[kel.pk]:
                        self._kelurahan_of[rw_id] = kel.pk
        self.minutes_sidang_id = self.ranking_sidang_id = self.detail_proposal_id = 0

    def _next(self, table: str) -> int:
        self.ids[table] += 1
        self.counts[table] += 1
        return self.ids[table]

    def _plan(self, size: int, jp24_minimum: int) -> dict[tuple[int, int], int]:
        """How many proposals each (cycle, kelurahan) gets: JP24 at least `jp24_minimum`."""
        groups = [
            (cycle.pk, kel.pk, kota.area.code == KOTA_JP and year == JP24_YEAR)
            for kota in self.world.kotas
            for year in YEARS
            for cycle in [self.world.cycles[(kota.area.pk, year)]]
            for members in kota.kelurahan.values()
            for kel in members
        ]
        jp24 = [g for g in groups if g[2]]
        others = [g for g in groups if not g[2]]
        jp24_total = min(size, max(jp24_minimum, round(size * len(jp24) / len(groups))))
        plan = {}
        for members, total in ((jp24, jp24_total), (others, size - jp24_total)):
            base, extra = divmod(total, len(members))
            lucky = set(self.rng.sample(range(len(members)), extra))
            for i, (cycle_id, kel_id, _jp) in enumerate(members):
                plan[(cycle_id, kel_id)] = base + (i in lucky)
        return plan

    def load(self) -> None:
        try:
            self._cycles_load()
        finally:
            self.writer.close()
        for cycle_id, last in self.numbers.items():
            Cycle.objects.filter(pk=cycle_id).update(last_number=last)

    def _cycles_load(self) -> None:
        for kota in self.world.kotas:
            for year in YEARS:
                started = time.monotonic()
                cycle = self.world.cycles[(kota.area.pk, year)]
                count = self._cycle_load(kota, cycle)
                if count:
                    self.log(
                        f"  {cycle.code_prefix}: {count:,} proposals "
                        f"({time.monotonic() - started:.1f} s)"
                    )

    # -- One cycle ------------------------------------------------------------------------------

    def _cycle_load(self, kota: _Kota, cycle: Cycle) -> int:
        rng = self.rng
        days = [
            (datetime.date(cycle.year, 1, 1) + datetime.timedelta(days=d)).isoformat()
            for d in range(DECIDED_DAY + 1)
        ]
        featured = kota.area.code == KOTA_JP and cycle.year == JP24_YEAR
        groups: dict[int, list[_Proposal]] = {}
        for members in kota.kelurahan.values():
            for kel in members:
                n = self.plan[(cycle.pk, kel.pk)]
                groups[kel.pk] = [self._draft(kota, kel) for _ in range(n)]
        proposals = [p for group in groups.values() for p in group]
        # Numbered in the order the RWs entered them, as the live system numbers them.
        proposals.sort(key=lambda p: p.created)
        for number, p in enumerate(proposals, start=1):
            p.number = number
            p.id = self._next("proposals_proposal")

        sessions: list[_Sidang] = []
        for index_kec, kec in enumerate(kota.kecamatan):
            priorities = []
            for index_kel, kel in enumerate(kota.kelurahan[kec.pk]):
                ranking = featured and kel.code == RANKING_KELURAHAN
                table = self._settle(groups[kel.pk], ranking=ranking)
                sidang = _Sidang(
                    self._next("sidang_sidang"),
                    Kind.KELOMPOK,
                    kel,
                    sidang_title(Kind.KELOMPOK, kel),
                    KELOMPOK_FIRST + index_kel % KELOMPOK_DAYS,
                    State.IN_PROGRESS if ranking else State.CLOSED,
                    self.world.lurah[kel.pk],
                    quota_for(Kind.KELOMPOK, cycle),
                )
                sessions.append(sidang)
                if ranking:
                    sidang.candidates = [(p, None, "", "") for p in table]
                    sidang.participants = 25
                    self.ranking_sidang_id = sidang.id
                    continue
                minimum = sidang.quota if featured and kec.code == SENEN else 0
                priorities += self._rank_kelompok(sidang, table, minimum)
                if featured and kel.code == KENARI and sidang.candidates:
                    self.detail_proposal_id = sidang.candidates[0][0].id
            sidang = _Sidang(
                self._next("sidang_sidang"),
                Kind.KECAMATAN,
                kec,
                sidang_title(Kind.KECAMATAN, kec),
                KECAMATAN_FIRST + index_kec % KECAMATAN_DAYS,
                State.CLOSED,
                self.world.camat[kec.pk],
                quota_for(Kind.KECAMATAN, cycle),
            )
            sessions.append(sidang)
            if featured and kec.code == SENEN:
                self._minutes_session(sidang, priorities)
            elif featured and RANKING_KELURAHAN.startswith(kec.code + "."):
                sidang.state = State.SCHEDULED  # waits for Kebon Kelapa
            else:
                self._rank_kecamatan(sidang, priorities, decided=cycle.year < DECIDED_BEFORE)
                if sidang.candidates:
                    sidang.participants = rng.randint(35, 55)

        proposals += self._pokir(kota, cycle, start=len(proposals) + 1)
        self._proposals_copy(kota, cycle, proposals, days)
        self._sessions_copy(kota, cycle, sessions, days)
        return len(proposals)

    def _pokir(self, kota: _Kota, cycle: Cycle, *, start: int) -> list[_Proposal]:
        """The aspirations of the kota's DPRD member's recess: at the kota stage, numbered after
        the RWs' proposals."""
        count = (start - 1) * POKIR_PER_1000 // 1000
        if not count:
            return []
        recess = Recess.objects.create(
            cycle=cycle,
            dapil_id=kota.dapil_id,
            member=self.world.signatory[kota.dprd_id][0],
            held_on=datetime.date(cycle.year, 1, 1) + datetime.timedelta(days=RECESS_DAY),
            place=f"Aula Kantor Wali Kota {kota.short}",
            created_by_id=kota.dprd_id,
        )
        rng, self.rng = self.rng, self.pokir_rng
        try:
            found = []
            for index in range(count):
                kec = kota.kecamatan[int(self.rng.random() * len(kota.kecamatan))]
                members = kota.kelurahan[kec.pk]
                p = self._draft(kota, members[int(self.rng.random() * len(members))])
                p.source, p.recess_id = Source.POKIR, recess.pk
                p.created = p.submitted = RECESS_DAY * DAY + 20 * 60 + 3 * index
                if cycle.year < DECIDED_BEFORE:
                    accommodated = self.rng.random() < POKIR_ACCOMMODATED
                    p.final = (
                        FinalDecision.Kind.RENJA
                        if accommodated
                        else FinalDecision.Kind.NOT_ACCOMMODATED
                    )
                    p.status = FinalDecision.STATUS[p.final]
                else:
                    p.status = Status.POKIR
                if p.item.category == Category.FISIK and self.rng.random() < POKIR_SURVEYED:
                    p.survey = (LAST_SURVEY, True, self.rng.random())
                    p.recommendation = Recommendation.RECOMMENDED
                p.number, p.id = start + index, self._next("proposals_proposal")
                found.append(p)
            return found
        finally:
            self.rng = rng

    def _draft(self, kota: _Kota, kel: Area) -> _Proposal:
        rng = self.rng
        r = rng.random
        p = _Proposal()
        rws = self.world.rws[kel.pk]
        p.rw_id, p.rw_number = rws[int(r() * len(rws))]
        category = Category.PENGADAAN if r() < PENGADAAN_SHARE else Category.FISIK
        items, cumulative = kota.items[category]
        item = items[min(bisect.bisect_left(cumulative, r()), len(items) - 1)]
        p.item = item
        rt = 1 + int(r() * 12)
        p.rt = f"{rt:03d}"
        volume = item.low + int(r() * (item.high - item.low + 1))
        if item.high >= 50:
            volume = max(item.low, volume // 5 * 5)
        p.volume = volume
        rw_label = f"RW {p.rw_number} {kel.name}"
        street = f"Jl. {kel.name} {STREET_SUFFIXES[int(r() * len(STREET_SUFFIXES))]}"
        if category == Category.FISIK:
            if item.sector == "Sarana RW":
                p.title = f"{item.name.removesuffix(' RW')} {rw_label}"
            else:
                p.title = f"{item.name} RT {p.rt} {rw_label}"
            shape = r()
            if shape < 0.33:
                p.address = f"{street} Gg. {1 + int(r() * 12)}"
            elif shape < 0.66:
                p.address = f"{street} Gg. {ALLEYS[int(r() * len(ALLEYS))]}"
            else:
                p.address = street
        else:
            p.title = f"{item.name.removesuffix(' RW')} {rw_label}"
            p.address = f"Sekretariat {rw_label}, {street} No. {1 + int(r() * 120)}"
        texts = PROBLEMS.get(item.code) or PROBLEMS[item.sector]
        p.problem = texts[int(r() * len(texts))].format(
            rt=p.rt, rw=f"RW {p.rw_number}", kelurahan=kel.name
        )
        if r() < 0.5:
            p.latitude = f"{-6.36 + r() * 0.27:.6f}"
            p.longitude = f"{106.70 + r() * 0.27:.6f}"
        else:
            p.latitude = p.longitude = None
        p.beneficiaries = (5 + int(r() * 146)) * 10
        # More proposals as the deadline nears, mostly after work.
        day = round(rng.triangular(RW_OPENS, RW_CLOSES - 2, (RW_CLOSES - 2) * 0.8))
        hour = (9, 10, 13, 16, 19, 19, 20, 20, 21)[int(r() * 9)]
        p.created = day * DAY + hour * 60 + int(r() * 60)
        return p

    def _settle(self, group: list[_Proposal], *, ranking: bool) -> list[_Proposal]:
        """Where each proposal of one kelurahan stands before its sidang kelompok; returns
        the ones on the table (accepted by the lurah), at most TABLE_CAP."""
        rng = self.rng
        r = rng.random
        order = group[:]
        rng.shuffle(order)
        drafts = round(len(order) * 0.02)
        returned = round(len(order) * 0.03)
        rest = order[drafts + returned :]
        on_table = min(TABLE_CAP, len(rest) if ranking else round(len(rest) * 0.9))
        latest = RW_CLOSES * DAY + 23 * 60
        for i, p in enumerate(order):
            if r() < 0.4:
                p.edited = True
            if i < drafts:
                p.status = Status.DRAFT
                continue
            p.submitted = min(p.created + 30 + int(r() * 3 * DAY), latest)
            if i < drafts + returned:
                p.status = Status.RETURNED
                p.returned = (p.submitted // DAY + 1 + int(r() * 3)) * DAY + 9 * 60
                continue
            base = p.submitted
            if i < drafts + returned + on_table:
                p.status = Status.ACCEPTED
                day = min(p.submitted // DAY + 1 + int(r() * 5), LAST_ACCEPTANCE)
                p.accepted = base = day * DAY + 8 * 60 + int(r() * 7 * 60)
            if p.item.category == Category.FISIK and r() < SURVEYED_SHARE:
                first = min(base // DAY + 1, LAST_SURVEY)
                day = first + int(r() * (LAST_SURVEY - first + 1))
                recommended = r() < RECOMMENDED_SHARE
                p.survey = (day, recommended, r())
                p.recommendation = (
                    Recommendation.RECOMMENDED if recommended else Recommendation.NOT_RECOMMENDED
                )
        return rest[:on_table]

    def _rank_kelompok(
        self, sidang: _Sidang, table: list[_Proposal], minimum: int
    ) -> list[_Proposal]:
        """Rank a closed sidang kelompok; returns its priorities (utama)."""
        rng = self.rng
        eligible = [p for p in table if _may_be_utama(p)]
        for p in table:
            if len(eligible) >= minimum:
                break
            if not _may_be_utama(p):  # the bench needs 5 here: a survey recommends it
                p.recommendation = Recommendation.RECOMMENDED
                day, _recommended, draw = p.survey or (LAST_SURVEY, True, 0.5)
                p.survey = (day, True, draw)
                eligible.append(p)
        if minimum and len(eligible) < minimum:
            raise ValueError("Too few proposals for the berita acara's kecamatan: raise the size.")
        utama = eligible[: sidang.quota]
        rest = [p for p in table if p not in utama]
        reserve = rng.randint(3, 5)
        placed = [(p, Decision.UTAMA, "") for p in utama]
        placed += [(p, Decision.CADANGAN, "") for p in rest[:reserve]]
        placed += [
            (p, Decision.TIDAK, rng.choice(NOT_PRIORITISED_KELURAHAN)) for p in rest[reserve:]
        ]
        outcome = {
            Decision.UTAMA: Status.KELURAHAN_PRIORITY,
            Decision.CADANGAN: Status.KELURAHAN_RESERVE,
            Decision.TIDAK: Status.NOT_PRIORITISED,
        }
        for rank, (p, decision, reason) in enumerate(placed, start=1):
            sidang.candidates.append((p, rank, decision, reason))
            p.status = outcome[decision]
            p.kel = (sidang, rank, decision, reason)
        sidang.participants = self.rng.randint(20, 35) if table else 0
        return utama

    def _rank_kecamatan(self, sidang: _Sidang, priorities: list[_Proposal], *, decided: bool):
        rng = self.rng
        order = priorities[:]
        rng.shuffle(order)
        reserve = rng.randint(3, 5)
        outcome = {
            Decision.UTAMA: Status.KECAMATAN_PRIORITY,
            Decision.CADANGAN: Status.KECAMATAN_RESERVE,
            Decision.TIDAK: Status.NOT_PRIORITISED,
        }
        for rank, p in enumerate(order, start=1):
            if rank <= sidang.quota:
                decision, reason = Decision.UTAMA, ""
            elif rank <= sidang.quota + reserve:
                decision, reason = Decision.CADANGAN, ""
            else:
                decision, reason = Decision.TIDAK, rng.choice(NOT_PRIORITISED_KECAMATAN)
            sidang.candidates.append((p, rank, decision, reason))
            p.status = outcome[decision]
            p.kec = (sidang, rank, decision, reason)
            if decided and decision == Decision.UTAMA:
                draw = rng.random()
                kind = (
                    FinalDecision.Kind.RENJA
                    if draw < 0.55
                    else FinalDecision.Kind.CURRENT_BUDGET
                    if draw < 0.7
                    else FinalDecision.Kind.NOT_ACCOMMODATED
                )
                p.final = kind
                p.status = FinalDecision.STATUS[kind]

    def _minutes_session(self, sidang: _Sidang, priorities: list[_Proposal]) -> None:
        """Senen's musrenbang kecamatan: in progress, 30 candidates ranked, 60 present."""
        if len(priorities) != MINUTES_CANDIDATES:
            raise ValueError(
                f"Senen's musrenbang kecamatan needs {MINUTES_CANDIDATES} candidates, "
                f"got {len(priorities)}: raise the size."
            )
        sidang.state = State.IN_PROGRESS
        for rank, p in enumerate(priorities, start=1):
            if rank <= sidang.quota:
                decision, reason = Decision.UTAMA, ""
            elif rank <= 10:
                decision, reason = Decision.CADANGAN, ""
            else:
                decision, reason = Decision.TIDAK, self.rng.choice(NOT_PRIORITISED_KECAMATAN)
            sidang.candidates.append((p, rank, decision, reason))
        sidang.participants = MINUTES_PARTICIPANTS
        self.minutes_sidang_id = sidang.id

    # -- Writing one cycle ------------------------------------------------------------------------

    def _proposals_copy(self, kota: _Kota, cycle: Cycle, proposals, days) -> None:
        world, labels, rng = self.world, self.labels, self.rng

        def at(moment: int) -> str:
            day, minute = divmod(moment, DAY)
            return f"{days[day]} {minute // 60:02d}:{minute % 60:02d}:00+07"

        rows, events, surveys, decisions = [], [], [], []
        realisations: tuple[list[str], list[str]] = ([], [])
        notices = []
        prefix, cycle_id = cycle.code_prefix, cycle.pk
        for p in proposals:
            item, rw_id = p.item, p.rw_id
            kel_id = self._kelurahan_of[rw_id]
            kel_name = self._kelurahan_name[kel_id]
            cost = item.price * p.volume
            pokir = p.source == Source.POKIR
            author = kota.dprd_id if pokir else world.rw_user[rw_id]
            rows.append(
                f"{p.id}\t{cycle_id}\t{p.number}\t{prefix}-{p.number:05d}\t{rw_id}\t{kel_id}\t"
                f"{self._kecamatan_of[kel_id]}\t{kota.area.pk}\t{p.title}\t{p.problem}\t{item.pk}\t"
                f"{item.category}\t{item.unit_id}\t{p.address}\t{p.rt}\t"
                f"{p.latitude or NULL}\t{p.longitude or NULL}\t{p.volume}\t"
                f"{item.measure}\t{item.price}\t{cost}\t{p.beneficiaries}\t{p.status}\t"
                f"{p.recommendation}\t{author}\t{at(p.created)}\t"
                f"{at(p.submitted) if p.submitted is not None else NULL}\t"
                f"{p.source}\t{p.recess_id or NULL}\n"
            )
            rw_office = f"Ketua RW {p.rw_number} {kel_name}"
            journey = [(Event.Action.CREATED, author, rw_office, p.created, "")]
            if pokir:
                office = f"Anggota DPRD {kota.dapil_name}"
                journey = [(Event.Action.POKIR, author, office, p.created, "")]
            if p.edited:
                end = p.submitted if p.submitted is not None else p.created + 600
                journey.append((Event.Action.EDITED, author, rw_office, (p.created + end) // 2, ""))
            if p.submitted is not None and not pokir:
                journey.append((Event.Action.SUBMITTED, author, rw_office, p.submitted, ""))
            lurah, lurah_office = world.lurah[kel_id], f"Lurah {kel_name}"
            if p.returned is not None:
                journey.append(
                    (Event.Action.RETURNED, lurah, lurah_office, p.returned, RETURN_NOTE)
                )
            if p.accepted is not None:
                journey.append((Event.Action.ACCEPTED, lurah, lurah_office, p.accepted, ""))
            if p.survey is not None:
                day, recommended, draw = p.survey
                officer = kota.officer[item.unit_id]
                recorded = day * DAY + (14 + int(draw * 4)) * 60 + int(draw * 997) % 60
                revised = round(p.volume * (0.8 + 0.4 * draw), 1)
                if item.measure in WHOLE_MEASURES:
                    revised = max(1, round(revised))
                shown = f"{revised:g}".replace(".", ",")
                if recommended:
                    kind, reason, note = Recommendation.RECOMMENDED, "", ""
                    findings = FINDINGS[int(draw * len(FINDINGS))].format(
                        volume=shown, measure=item.measure
                    )
                    event_note = labels[kind]
                else:
                    kind = Recommendation.NOT_RECOMMENDED
                    reason = rng.choices(self.rejections, weights=self.rejection_weights)[0]
                    note = REJECTIONS[reason][1]
                    findings = (
                        f"Lokasi ditinjau bersama ketua RW; volume terukur {shown} {item.measure}."
                    )
                    event_note = f"{labels[kind]}: {self.reasons[reason]} — {note}"
                surveys.append(
                    f"{self._next('proposals_survey')}\t{p.id}\t{days[day]}\t{officer}\t"
                    f"{findings}\t\\N\t{kind}\t{reason}\t{note}\t{revised}\t"
                    f"{round(revised * item.price)}\t{at(recorded)}\n"
                )
                journey.append(
                    (Event.Action.SURVEYED, officer, kota.units[item.unit_id], recorded, event_note)
                )
            for step in (p.kel, p.kec):
                if step is None:
                    continue
                sidang, rank, decision, reason = step
                note = f"{labels[decision]}, peringkat {rank}, dalam {sidang.label}"
                if reason:
                    note += f": {reason}"
                office = (
                    f"{'Lurah' if sidang.kind == Kind.KELOMPOK else 'Camat'} {sidang.area.name}"
                )
                moment = sidang.day * DAY + 11 * 60 + rank
                journey.append((KIND_ACTION[sidang.kind], sidang.runner_id, office, moment, note))
            if p.final is not None:
                reason = REFUSAL if p.final == FinalDecision.Kind.NOT_ACCOMMODATED else ""
                decided = DECIDED_DAY * DAY + 10 * 60
                accommodated = p.final in FinalDecision.ACCOMMODATED
                year = cycle.plan_year if p.final == FinalDecision.Kind.RENJA else cycle.year
                budget = (item.unit_id, cost, year) if accommodated else (None, None, None)
                decisions.append(
                    _line(
                        self._next("proposals_decision"),
                        p.id,
                        p.final,
                        reason,
                        None,
                        kota.planning_id,
                        at(decided),
                        *budget,
                    )
                )
                if accommodated:
                    self._realisation(p, item, kota, cycle, days[DECIDED_DAY], realisations)
                note = labels[p.final] + (f": {reason}" if reason else "")
                journey.append((Event.Action.DECIDED, kota.planning_id, kota.office, decided, note))
            for action, actor, office, moment, note in journey:
                events.append(
                    f"{self._next('proposals_event')}\t{p.id}\t{action}\t{actor}\t{office}\t"
                    f"{at(moment)}\t{note}\n"
                )
            if len(journey) > 1 and journey[-1][0] != Event.Action.SUBMITTED and not pokir:
                # The RW's inbox: what the last step of the journey told them.
                action, _actor, office, moment, note = journey[-1]
                notices.append(
                    _line(
                        self._next("notices_notice"),
                        author,
                        action,
                        f"{prefix}-{p.number:05d}: {labels[action]}",
                        f"{office}: {note or labels[action]}.",
                        f"/usulan/{p.id}/",
                        at(moment),
                        at(min(moment + 120, DECIDED_DAY * DAY + 1439))
                        if cycle.year < DECIDED_BEFORE
                        else None,
                    )
                )
        self.writer.put("proposals_proposal", PROPOSAL_COLUMNS, rows)
        self.writer.put("proposals_event", EVENT_COLUMNS, events)
        self.writer.put("proposals_survey", SURVEY_COLUMNS, surveys)
        self.writer.put("proposals_decision", DECISION_COLUMNS, decisions)
        self.writer.put("proposals_realisation", REALISATION_COLUMNS, realisations[0])
        self.writer.put("proposals_progress", PROGRESS_COLUMNS, realisations[1])
        self.writer.put("notices_notice", NOTICE_COLUMNS, notices)
        self.numbers[cycle.pk] = len(proposals)

    def _realisation(self, p, item, kota, cycle, decided_on: str, out) -> None:
        """The work of an accommodated proposal: its stage now, and the report that set it."""
        stage, percent, _w = self.rng.choices(REALISATION_STAGES, weights=REALISATION_WEIGHTS)[0]
        realisation_id = self._next("proposals_realisation")
        reported = None
        if stage:
            month = 2 + int(self.rng.random() * 10)
            reported = datetime.date(cycle.plan_year, month, 1 + int(self.rng.random() * 27))
            reason = CANCELLED if stage == "batal" else ""
            out[1].append(
                _line(
                    self._next("proposals_progress"),
                    realisation_id,
                    stage,
                    percent,
                    reported.isoformat(),
                    PROGRESS_NOTE,
                    reason,
                    kota.officer[item.unit_id],
                    f"{reported.isoformat()} 15:00:00+07",
                )
            )
        out[0].append(
            _line(
                realisation_id,
                p.id,
                item.unit_id,
                self._kecamatan_of[self._kelurahan_of[p.rw_id]],
                stage,
                percent,
                decided_on,
                reported.isoformat() if reported else None,
            )
        )

    def _sessions_copy(self, kota: _Kota, cycle: Cycle, sessions: list[_Sidang], days) -> None:
        rng = self.rng
        sidang_rows, candidates, participants = [], [], []
        for s in sessions:
            start = f"{days[s.day]} 09:00:00+07"
            runner = s.runner_id
            closed = s.state == State.CLOSED
            ranked = closed or bool(s.candidates and s.candidates[0][1])
            agenda = _escaped("\n".join(f"{i}. {a}" for i, a in enumerate(AGENDA[s.kind], 1)))
            utama = sum(decision == Decision.UTAMA for _p, _r, decision, _n in s.candidates)
            level = "Kelurahan" if s.kind == Kind.KELOMPOK else "Kecamatan"
            chair = self.world.signatory[runner]  # the lurah or the camat
            minute_taker = f"Kepala Seksi Ekonomi dan Pembangunan {level} {s.area.name}"
            # fmt: off
            sidang_rows.append(_line(
                s.id, cycle.pk, s.kind, s.area.pk, start, f"Aula Kantor {level} {s.area.name}",
                "luring", "", *chair, self._person(), "", minute_taker, agenda, "", s.state,
                s.quota, SHORTFALL if closed and utama < s.quota else "", 1 if ranked else 0,
                runner if ranked else None, f"{days[s.day]} 11:00:00+07" if ranked else None,
                f"{days[s.day]} 12:00:00+07" if closed else None, runner if closed else None,
                f"{days[SCHEDULED_DAY]} 10:00:00+07", "", "", "f", "{}", "",
            ))
            for p, rank, decision, reason in s.candidates:
                candidates.append(_line(
                    self._next("sidang_candidate"), s.id, p.id, rank, decision, reason, "{}", None,
                    start,
                ))
            for i in range(s.participants):
                category = rng.choices(ATTENDANCE_CATEGORIES, weights=ATTENDANCE_WEIGHTS)[0]
                if i == 0:
                    category = "lurah" if s.kind == Kind.KELOMPOK else "camat"
                participants.append(_line(
                    self._next("sidang_participant"), s.id, category, self._person(), "",
                    self._institution(category, s.area, kota), "luring",
                    "t" if 0 < i <= 3 else "f", f"{days[s.day]} 08:{30 + i % 30:02d}:00+07", "t",
                ))
            # fmt: on
        self.writer.put("sidang_sidang", SIDANG_COLUMNS, sidang_rows)
        self.writer.put("sidang_candidate", CANDIDATE_COLUMNS, candidates)
        self.writer.put("sidang_participant", PARTICIPANT_COLUMNS, participants)

    def _person(self) -> str:
        rng = self.rng
        if rng.random() < 0.5:
            return f"{rng.choice(WOMEN)} {rng.choice(WOMEN_LAST + ANY_LAST)}"
        return f"{rng.choice(MEN)} {rng.choice(MEN_LAST + ANY_LAST)}"

    def _institution(self, category: str, area: Area, kota: _Kota) -> str:
        if category == Participant.Category.KETUA_RW:
            return f"RW {1 + int(self.rng.random() * 10):03d}"
        if category == Participant.Category.UKPD:
            return self.rng.choice(list(kota.units.values()))
        if category in (Participant.Category.LURAH, Participant.Category.LMK):
            return f"Kelurahan {area.name}"
        if category == Participant.Category.CAMAT:
            return f"Kecamatan {area.name}"
        return ""


# -- The whole load -----------------------------------------------------------------------------


def generate(
    *,
    size: int,
    rws_per_kelurahan: int = 10,
    jp24_minimum: int = REAL_CYCLE,
    seed: int = SEED,
    analyze: bool = True,
    log: Callable[[str], None] = print,
) -> Summary:
    """Load `size` proposals and everything around them into an empty, migrated database.

    Jakarta Pusat 2024 gets at least `jp24_minimum` of them (the real cycle's 1,451 by default;
    the berita acara's 30 candidates need some 8 per kelurahan of Senen)."""
    if connection.vendor != "postgresql":
        raise RuntimeError("The bench data is loaded with PostgreSQL's COPY.")
    started = time.monotonic()
    with translation.override("id"), transaction.atomic():
        world = _world_load(rws_per_kelurahan)
        log(f"  areas, units, catalogue, officials, cycles ({time.monotonic() - started:.1f} s)")
        with connection.cursor() as cursor:
            # Fire the checks the ORM inserts left deferred: ALTER TABLE refuses pending ones.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            cursor.execute("SET LOCAL work_mem = '64MB'")
            cursor.execute("SET LOCAL synchronous_commit = off")
            restore = _set_aside(cursor, BIG_TABLES)
            # The writer thread COPYs through psycopg itself (Django cursors are per thread).
            raw = connection.connection.cursor()
            loader = _Loader(
                world, size=size, jp24_minimum=jp24_minimum, seed=seed, cursor=raw, log=log
            )
            loader.load()
            copied = time.monotonic()
            log(f"  COPY done ({copied - started:.1f} s); restoring indexes and foreign keys")
            for statement in restore:
                cursor.execute(statement)
            _sequences_reset(cursor, BIG_TABLES)
            log(f"  indexes and foreign keys restored ({time.monotonic() - copied:.1f} s)")
            if analyze:
                cursor.execute("ANALYZE")
    jp = next(k for k in world.kotas if k.area.code == KOTA_JP)
    counts = {
        "areas": Area.objects.count(),
        "users": User.objects.count(),
        "cycles": len(world.cycles),
        **{table.split("_", 1)[1]: n for table, n in loader.counts.items()},
    }
    return Summary(
        size=size,
        seconds=time.monotonic() - started,
        counts=counts,
        jp24_cycle_id=world.cycles[(jp.area.pk, JP24_YEAR)].pk,
        minutes_sidang_id=loader.minutes_sidang_id,
        ranking_sidang_id=loader.ranking_sidang_id,
        detail_proposal_id=loader.detail_proposal_id,
    )
