"""The demo's sessions of musrenbang 2024, caught mid-way through the kecamatan stage.

- The pleno pembuka of all 8 kecamatan, held together on Monday 26 February 2024, hybrid.
- Menteng and Gambir have held everything, each stage after the one before it had closed:
  each sidang kelompok, their musrenbang kecamatan and the pleno penutupan.
- Elsewhere the sidang kelompok dated before 1 March are held and the rest are still scheduled,
  as are the musrenbang kecamatan and pleno penutupan. Kenari's sidang kelompok is held too (on
  its own draw, so that RW 001 Kenari has a kelurahan priority and proposals left to carry over
  to 2025), and Kramat's is under way (candidates on the table, a few participants signed in,
  nothing ranked yet), for lurah.kramat to rank and close. Senen's musrenbang kecamatan waits for
  its other sidang kelompok: camat.senen may start it earlier only by recording why
  (sessions.stages).

Every kecamatan and kelurahan has a pagu indikatif (musrenbang.demo.ceilings): a held sidang's
fits its utama, some closely, a few passed with the reason given at closing (Kenari's).

The rules of the cycle hold as they would in use: every closed sidang has its quorum present; a
physical proposal is utama only if a UKPD survey recommended it before the session (an
unsurveyed one is at most cadangan); and the candidates the ranking leaves undecided are
given their reason when the chair closes.

Every step goes through sessions.services, by the official who would take it, so the journeys
and the database's invariants come out as they would in use. Names and choices are drawn from a
fixed seed. The services stamp "now" on what they write; the moments a closed sidang keeps
(closed_at) stay so, everything else is moved to the day of the session.
"""

import datetime
import random
from dataclasses import dataclass, field, replace
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import translation

from areas.models import Area, Assignment, Role, User
from musrenbang.demo.ceilings import DemoCeilings
from musrenbang.demo.officials import (
    ANY_LAST,
    MEN,
    MEN_LAST,
    STAFF_DEGREES,
    WOMEN,
    WOMEN_LAST,
    civil_servant,
    head_of,
    person_name,
)
from notices.models import Notice
from proposals.models import Cycle, Event, Recommendation, RejectionReason, Survey
from sessions.models import Candidate, Decision, Kind, Mode, Participant, Sidang, State
from sessions.services import (
    KIND_ACTION,
    ParticipantData,
    Placement,
    SidangData,
    participant_add,
    pleno_pembuka_schedule_all,
    quorum_for,
    quota_for,
    ranking_save,
    score_total,
    sidang_close,
    sidang_schedule,
    sidang_start,
    sidang_update,
    utama_refusal,
)

JAKARTA = ZoneInfo("Asia/Jakarta")
SEED = 2602  # 26 February: the opening plenary

# Kecamatan that have held every session up to the pleno penutupan: Gambir and Menteng.
HELD_IN_FULL = ("31.71.01", "31.71.06")
# Elsewhere the sidang kelompok before this day are held, the later ones still scheduled.
HELD_BEFORE = datetime.date(2024, 3, 1)
# Kramat's sidang kelompok is the one in progress, for lurah.kramat to rank and close.
IN_PROGRESS_CODE = "31.71.04.1004"
# Kenari's is held on a draw of its own, one that leaves RW 001 Kenari (rw.kenari.001) both a
# kelurahan priority and proposals that the 2025 cycle carries over (musrenbang.demo.aftermath).
KENARI_CODE = "31.71.04.1002"
KENARI_SEED = 2802

PLENO_PEMBUKA_AT = datetime.datetime(2024, 2, 26, 9, 0, tzinfo=JAKARTA)
# The working days of the sidang kelompok window (2 and 3 March 2024 are a weekend).
KELOMPOK_DAYS = [
    datetime.date(2024, 2, 27),
    datetime.date(2024, 2, 28),
    datetime.date(2024, 2, 29),
    datetime.date(2024, 3, 1),
    datetime.date(2024, 3, 4),
    datetime.date(2024, 3, 5),
]
KECAMATAN_AT = {
    "31.71.01": (datetime.date(2024, 3, 7), 9),  # Gambir
    "31.71.02": (datetime.date(2024, 3, 6), 9),  # Sawah Besar
    "31.71.03": (datetime.date(2024, 3, 11), 9),  # Kemayoran
    "31.71.04": (datetime.date(2024, 3, 12), 9),  # Senen
    "31.71.05": (datetime.date(2024, 3, 13), 9),  # Cempaka Putih
    "31.71.06": (datetime.date(2024, 3, 8), 9),  # Menteng
    "31.71.07": (datetime.date(2024, 3, 14), 9),  # Tanah Abang
    "31.71.08": (datetime.date(2024, 3, 13), 13),  # Johar Baru
}
PENUTUPAN_AT = datetime.datetime(2024, 3, 19, 9, 0, tzinfo=JAKARTA)
# When each kind was put on the calendar.
SCHEDULED_AT = {
    Kind.PLENO_PEMBUKA: datetime.datetime(2024, 2, 19, 10, 15, tzinfo=JAKARTA),
    Kind.KELOMPOK: datetime.datetime(2024, 2, 20, 9, 30, tzinfo=JAKARTA),
    Kind.KECAMATAN: datetime.datetime(2024, 2, 21, 10, 0, tzinfo=JAKARTA),
    Kind.PLENO_PENUTUPAN: datetime.datetime(2024, 2, 21, 14, 0, tzinfo=JAKARTA),
}

# Kodim 0501/Jakarta Pusat's Koramil, by kecamatan.
KORAMIL = {
    "31.71.01": "Koramil 01/Gambir",
    "31.71.02": "Koramil 08/Sawah Besar",
    "31.71.03": "Koramil 07/Kemayoran",
    "31.71.04": "Koramil 04/Senen",
    "31.71.05": "Koramil 05/Cempaka Putih",
    "31.71.06": "Koramil 03/Menteng",
    "31.71.07": "Koramil 02/Tanah Abang",
    "31.71.08": "Koramil 06/Johar Baru",
}
DEWAN_KOTA = "Dewan Kota Jakarta Pusat"
SUBAN = "Suku Badan Perencanaan Pembangunan Kota Administrasi Jakarta Pusat"
UKPD_AT_SESSIONS = [
    "Suku Dinas Bina Marga",
    "Suku Dinas Sumber Daya Air",
    "Suku Dinas Lingkungan Hidup",
    "Suku Dinas Perumahan Rakyat dan Kawasan Permukiman",
    "Suku Dinas Sosial",
]

TITLES = {"Ustaz", "Ustazah", "Kompol", "Mayor", "Kapten"}

AGENDA = {
    Kind.PLENO_PEMBUKA: [
        "Pembukaan dan laporan camat",
        "Sambutan Wali Kota Administrasi Jakarta Pusat (daring)",
        "Paparan arah kebijakan pembangunan Kota Administrasi Jakarta Pusat tahun 2025",
        "Rekapitulasi usulan hasil rembuk RW",
        "Tata tertib dan jadwal sidang kelompok kelurahan",
    ],
    Kind.KELOMPOK: [
        "Pembacaan usulan hasil rembuk RW yang diterima kelurahan",
        "Paparan hasil survei UKPD teknis",
        "Pemeringkatan dan penetapan {quota} usulan prioritas kelurahan",
        "Penetapan delegasi musrenbang kecamatan",
    ],
    Kind.KECAMATAN: [
        "Paparan usulan prioritas hasil sidang kelompok kelurahan",
        "Pembahasan bersama UKPD teknis",
        "Pemeringkatan dan penetapan {quota} usulan prioritas kecamatan",
        "Penetapan delegasi forum perangkat daerah kota",
    ],
    Kind.PLENO_PENUTUPAN: [
        "Pembacaan hasil musrenbang kecamatan",
        "Penyampaian usulan prioritas kecamatan kepada Suku Badan Perencanaan Pembangunan",
        "Penandatanganan berita acara",
        "Penutupan",
    ],
}
NOT_PRIORITISED_KELURAHAN = [
    "Kalah prioritas dibanding usulan lain",
    "Dapat ditangani swadaya masyarakat",
    "Lokasi sudah direncanakan program lain",
    "Manfaat bagi warga lebih kecil dibanding usulan lain",
    "Diusulkan kembali pada musrenbang tahun berikutnya",
]
NOT_PRIORITISED_KECAMATAN = [
    "Kalah prioritas dibanding usulan kelurahan lain",
    "Lebih tepat ditangani melalui anggaran kelurahan",
    "Dapat ditangani swadaya masyarakat bersama kelurahan",
    "Diusulkan kembali pada musrenbang tahun berikutnya",
]

P = Participant.Category


def session_counts(kota: Area) -> dict[str, int]:
    sessions = Sidang.objects.filter(cycle__kota=kota)
    return {
        "sessions": sessions.count(),
        "sessions_closed": sessions.filter(state=State.CLOSED).count(),
    }


@transaction.atomic
def demo_sessions_load(*, cycle: Cycle) -> None:
    """Hold the sessions of the demo once; a cycle that already has sessions is left alone."""
    if cycle.sessions.exists():
        return
    with translation.override("id"):  # reasons and journey notes are stored as the public reads
        _Sessions(cycle).load()


class _Sessions:
    """One load of the demo's sessions: the officials, the seeded draw and who attended what."""

    def __init__(self, cycle: Cycle):
        self.cycle = cycle
        self.rng = random.Random(SEED)
        kota = cycle.kota
        self.kecamatan = list(Area.objects.kecamatan().within(kota).order_by("code"))
        self.kelurahan = {
            kec.code: list(Area.objects.kelurahan().filter(parent=kec).order_by("code"))
            for kec in self.kecamatan
        }
        self.rws: dict[int, list[str]] = {}
        for parent_id, code in (
            Area.objects.rw().within(kota).order_by("code").values_list("parent_id", "code")
        ):
            self.rws.setdefault(parent_id, []).append(code.rsplit(".", 1)[-1])
        usernames = {"suban": "suban"}
        for kec in self.kecamatan:
            usernames[kec.code] = head_of(kec).username
            for kel in self.kelurahan[kec.code]:
                usernames[kel.code] = head_of(kel).username
        # One object per official: the services cache a user's reach on it.
        users = {u.username: u for u in User.objects.filter(username__in=usernames.values())}
        self.by = {key: users[name] for key, name in usernames.items()}
        # The ketua RW, by their RW's code, as the register names them.
        self.ketua_rw = {
            a.area.code: a.user
            for a in Assignment.objects.filter(
                role=Role.RW, area__code__startswith=kota.code + "."
            ).select_related("user", "area")
        }
        self.criteria = list(cycle.criteria.all())  # filled in when the first sidang is scheduled
        self.people: dict[tuple, str] = {}  # the same official under the same name everywhere
        self.staff: dict[str, tuple[str, str, str]] = {}  # minute-takers by area code
        # Names nobody drawn for an attendance list may bear: the registered officials' and
        # the minute-takers'.
        self.reserved = {_core(u.full_name) for u in [*users.values(), *self.ketua_rw.values()]}
        self.taken: set[str] = set()  # names given in the attendance list being drawn up
        self.delegates: dict[str, list[ParticipantData]] = {}  # by kelurahan code
        self.ceilings = DemoCeilings(cycle)  # pagu indikatif, on a draw of its own

    # -- The calendar ---------------------------------------------------------------------

    def load(self) -> None:
        pembuka, kelompok, kecamatan, penutupan = self._schedule()
        self.criteria = list(self.cycle.criteria.all())
        for kec in self.kecamatan:
            self._hold(pembuka[kec.code], self.by[kec.code], self._plenary(kec, pembuka=True))
        for kec in self.kecamatan:
            for kel in self.kelurahan[kec.code]:
                sidang = kelompok[kel.code]
                day = sidang.starts_at.astimezone(JAKARTA).date()
                held = kec.code in HELD_IN_FULL or day < HELD_BEFORE
                if kel.code == IN_PROGRESS_CODE:
                    self._in_progress(sidang, kec, kel)
                elif kel.code == KENARI_CODE:
                    self._kenari(sidang, kec, kel)
                elif held:
                    self._kelompok_hold(sidang, kec, kel)
        for kec in self.kecamatan:
            if kec.code in HELD_IN_FULL:
                self._hold(
                    kecamatan[kec.code],
                    self.by[kec.code],
                    self._kecamatan_attendance(kec),
                    reasons=NOT_PRIORITISED_KECAMATAN,
                    reserve=(4, 6),
                    scored=True,
                )
                self._hold(penutupan[kec.code], self.by[kec.code], self._plenary(kec))
        self.ceilings.complete()

    def _schedule(self):
        """Everything on the calendar, as the planning office, camat and lurah set it up."""
        pembuka = self._pembuka_schedule()
        kelompok, kecamatan, penutupan = {}, {}, {}
        for i, kec in enumerate(self.kecamatan, start=1):
            kelompok.update(self._kelompok_schedule(i, kec))
            kecamatan[kec.code], penutupan[kec.code] = self._kecamatan_schedule(i, kec)
        everything = [*pembuka.values(), *kelompok.values(), *kecamatan.values()]
        everything += penutupan.values()
        for sidang in everything:
            sidang.created_at = SCHEDULED_AT[sidang.kind] + datetime.timedelta(
                minutes=self.rng.randint(0, 240)
            )
        Sidang.objects.bulk_update(everything, ["created_at"])
        return pembuka, kelompok, kecamatan, penutupan

    def _pembuka_schedule(self) -> dict[str, Sidang]:
        """The planning office calls every pleno pembuka at once; each camat then names the
        chair and the minute-taker and sets up the hall's own link."""
        pembuka = {
            s.area.code: s
            for s in pleno_pembuka_schedule_all(
                cycle=self.cycle,
                data=SidangData(
                    starts_at=PLENO_PEMBUKA_AT,
                    venue="",  # each kecamatan's own hall
                    mode=Mode.HYBRID,
                    meeting_link="https://zoom.us/j/2024022600",
                    agenda=_agenda(Kind.PLENO_PEMBUKA, self.cycle),
                ),
                by=self.by["suban"],
            )
        }
        for i, kec in enumerate(self.kecamatan, start=1):
            sidang = pembuka[kec.code]
            data = self._data(
                Kind.PLENO_PEMBUKA,
                kec,
                PLENO_PEMBUKA_AT,
                Mode.HYBRID,
                link=f"https://zoom.us/j/20240226{i:02d}",
            )
            pembuka[kec.code] = sidang_update(sidang=sidang, data=data, by=self.by[kec.code])
        return pembuka

    def _kelompok_schedule(self, i: int, kec: Area) -> dict[str, Sidang]:
        """The sidang kelompok of the i-th kecamatan's kelurahan, each set up by its lurah."""
        members = self.kelurahan[kec.code]
        times = _kelompok_times(members)
        scheduled = {}
        for j, (kel, starts_at) in enumerate(zip(members, times, strict=True)):
            link = ""
            if self.rng.random() < 0.4:  # some kelurahan let RWs join online
                link = f"https://zoom.us/j/2024{i:02d}{j + 1:02d}{self.rng.randint(1000, 9999)}"
            data = self._data(
                Kind.KELOMPOK,
                kel,
                starts_at,
                Mode.HYBRID if link else Mode.LURING,
                link=link,
            )
            scheduled[kel.code] = sidang_schedule(
                cycle=self.cycle, kind=Kind.KELOMPOK, area=kel, data=data, by=self.by[kel.code]
            )
        return scheduled

    def _kecamatan_schedule(self, i: int, kec: Area) -> list[Sidang]:
        """The i-th kecamatan's musrenbang kecamatan and pleno penutupan, set up by its camat."""
        day, hour = KECAMATAN_AT[kec.code]
        at = datetime.datetime.combine(day, datetime.time(hour), JAKARTA)
        scheduled = []
        for kind, when in ((Kind.KECAMATAN, at), (Kind.PLENO_PENUTUPAN, PENUTUPAN_AT)):
            data = self._data(
                kind, kec, when, Mode.HYBRID, link=f"https://zoom.us/j/{when:%Y%m%d}{i:02d}"
            )
            scheduled.append(
                sidang_schedule(
                    cycle=self.cycle, kind=kind, area=kec, data=data, by=self.by[kec.code]
                )
            )
        return scheduled

    def _data(self, kind, area, starts_at, mode, *, link="") -> SidangData:
        """The lurah or the camat chairs; the head of the office's economy and development
        section takes the minutes."""
        level = "Kelurahan" if kind == Kind.KELOMPOK else "Kecamatan"
        head = self.by[area.code]
        minute_taker, nip, position = self._minute_taker(area)
        return SidangData(
            starts_at=starts_at,
            venue=f"Aula {level} {area.name}",
            mode=mode,
            meeting_link=link,
            chair=head.full_name,
            chair_nip=head.nip,
            chair_position=head.position,
            minute_taker=minute_taker,
            minute_taker_nip=nip,
            minute_taker_position=position,
            agenda=_agenda(kind, self.cycle),
        )

    def _minute_taker(self, area) -> tuple[str, str, str]:
        """The name, NIP and position of the civil servant who takes the minutes in `area`."""
        if area.code not in self.staff:
            woman = self.rng.random() < 0.5
            core = person_name(self.rng, woman=woman)
            while core in self.reserved:
                core = person_name(self.rng, woman=woman)
            self.reserved.add(core)
            who = civil_servant(self.rng, core, woman=woman, degrees=STAFF_DEGREES)
            office = f"Kepala Seksi Ekonomi dan Pembangunan {area.display_name}"
            self.staff[area.code] = (who.full_name, who.nip, office)
        return self.staff[area.code]

    # -- Holding a session ----------------------------------------------------------------

    def _hold(self, sidang, by, attendance, *, reasons=(), reserve=(0, 0), scored=False):
        """Start, sign in, rank (a ranked sidang) and close, as its chair would.

        Each stage starts once the one before it has closed in its kecamatan, so no start
        needs an exception; the attendance reaches the quorum the closing asks for."""
        sidang = self._start(sidang, by)
        added = [participant_add(sidang=sidang, data=d, by=by) for d in attendance]
        self._signed_in(sidang, added)
        ends = sidang.starts_at + datetime.timedelta(
            hours=self.rng.randint(2, 3), minutes=self.rng.randint(0, 50), seconds=17
        )
        ranking = _Ranking()
        if sidang.is_ranked:
            ranking = self._ranking(sidang, reasons, reserve, scored)
            ranking_save(
                sidang=sidang, placements=ranking.placements, version=sidang.ranking_version, by=by
            )
            # The last save of the ranking, shortly before the chair closed the session.
            Sidang.objects.filter(pk=sidang.pk).update(
                ranking_saved_at=ends - datetime.timedelta(minutes=self.rng.randint(5, 20))
            )
        over_ceiling = self.ceilings.fit(sidang) if sidang.is_ranked else ""
        told = Notice.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        sidang_close(
            sidang=sidang,
            by=by,
            shortfall_reason=ranking.shortfall,
            reasons=ranking.closing,
            over_ceiling_reason=over_ceiling,
        )
        # Who was told of the closing read it the day the session ended, not today.
        Notice.objects.filter(pk__gt=told).update(created_at=ends)
        if ranking.proposals:  # the journey reads the day the session decided, not today
            action = KIND_ACTION[sidang.kind]
            Event.objects.filter(proposal_id__in=ranking.proposals, action=action).update(at=ends)
        if sidang.kind == Kind.KELOMPOK:
            self.delegates[sidang.area.code] = [
                ParticipantData(p.category, p.name, p.institution, position=p.position)
                for p in added
                if p.is_delegate
            ]

    def _kelompok_hold(self, sidang, kec, kel) -> None:
        self._hold(
            sidang,
            self.by[kel.code],
            self._kelompok_attendance(sidang, kec, kel),
            reasons=NOT_PRIORITISED_KELURAHAN,
            reserve=(3, 5),
            scored=self.rng.random() < 0.5,
        )

    def _kenari(self, sidang, kec, kel) -> None:
        """Held like the others, on its own seeded draw (see KENARI_SEED)."""
        main, self.rng = self.rng, random.Random(KENARI_SEED)
        try:
            self._kelompok_hold(sidang, kec, kel)
        finally:
            self.rng = main

    def _in_progress(self, sidang, kec, kel) -> None:
        """Started, a few signed in; the ranking and the closing are left for the lurah."""
        by = self.by[kel.code]
        sidang = self._start(sidang, by)
        attendance = self._kelompok_attendance(sidang, kec, kel, delegates=0)
        added = [
            participant_add(sidang=sidang, data=d, by=by)
            for d in attendance[: self.rng.randint(4, 6)]
        ]
        self._signed_in(sidang, added)

    @staticmethod
    def _start(sidang, by):
        """Start the session; its candidates came to the table as it opened, not today."""
        sidang = sidang_start(sidang=sidang, by=by)
        sidang.candidates.update(added_at=sidang.starts_at)
        return sidang

    def _signed_in(self, sidang, participants: list[Participant]) -> None:
        """The daftar hadir fills up in the half hour before the session opens."""
        at = sidang.starts_at - datetime.timedelta(minutes=30)
        for participant in participants:
            at += datetime.timedelta(seconds=self.rng.randint(20, 150))
            participant.added_at = at
        Participant.objects.bulk_update(participants, ["added_at"])

    def _ranking(self, sidang, reasons, reserve, scored) -> "_Ranking":
        """Choose the quota of utama, some cadangan, and leave the rest for the closing.

        The utama are the weightiest of the candidates that may be utama: goods, and physical
        works a UKPD survey recommended before the session (utama_refusal). Those the survey
        did not recommend end the list, not prioritised for the survey's reason; the others
        left over stay undecided until the chair closes and says why for each.
        """
        candidates = list(
            sidang.candidates.select_related("proposal__survey").order_by("proposal__code")
        )
        scores, weights = self._weighed(candidates, scored)
        by_weight = sorted(candidates, key=lambda c: (-weights[c.pk], c.proposal.code))
        utama = [c for c in by_weight if _may_be_utama(c, sidang)][: sidang.quota]
        others = [c for c in by_weight if c not in utama and not _barred(c)]
        cadangan = others[: self.rng.randint(*reserve)]
        left = others[len(cadangan) :] + [c for c in by_weight if _barred(c)]
        ranking = _Ranking(proposals=[c.proposal_id for c in candidates])
        for rank, c in enumerate(utama + cadangan + left, start=1):
            decision, reason = "", ""
            if c in utama:
                decision = Decision.UTAMA
            elif c in cadangan:
                decision = Decision.CADANGAN
            elif (survey := _survey_before(c, sidang)) and _barred(c):
                decision = Decision.TIDAK
                reason = f"Tidak direkomendasikan survei UKPD: {_survey_reason(survey)}"
            else:
                ranking.closing[c.pk] = self._why_not(c, sidang, reasons, scores, weights, utama)
            ranking.placements.append(
                Placement(c.pk, rank, decision, reason, scores=scores.get(c.pk, {}))
            )
        if len(utama) < sidang.quota:
            ranking.shortfall = (
                f"Hanya {len(utama)} usulan yang dapat menjadi utama: usulan fisik lainnya belum "
                "direkomendasikan survei UKPD."
            )
        return ranking

    def _why_not(self, candidate, sidang, reasons, scores, weights, utama) -> str:
        """The chair's reason, at closing, for a candidate left without a decision."""
        if _waits_for_survey(candidate, sidang):
            return (
                "Belum ada hasil survei UKPD saat sidang, sehingga usulan fisik ini belum dapat "
                "diprioritaskan; diusulkan kembali tahun depan."
            )
        total = weights[candidate.pk]
        beaten = utama and total < min(weights[c.pk] for c in utama)
        if candidate.pk in scores and beaten and self.rng.random() < 0.6:
            return f"Kalah skor dari usulan lain (skor {total}); diusulkan kembali tahun depan."
        return f"{self.rng.choice(reasons)}."

    def _weighed(self, candidates: list[Candidate], scored: bool) -> tuple[dict, dict]:
        """Each candidate's scores (a scored sidang) and its weight: its total score, or a
        draw. What a survey recommended scores well, what it did not scores low."""
        scores, weights = {}, {}
        for c in candidates:
            if scored:
                if _barred(c):
                    low, high = 1, 3
                elif c.proposal.recommendation == Recommendation.RECOMMENDED:
                    low, high = 2, 5
                else:
                    low, high = 1, 5
                scores[c.pk] = {str(k.pk): self.rng.randint(low, high) for k in self.criteria}
                weights[c.pk] = score_total(scores[c.pk], self.criteria)
            else:
                weights[c.pk] = self.rng.random()
        return scores, weights

    # -- Who attends ----------------------------------------------------------------------

    def _person(
        self, *, woman: bool | None = None, prefix: str = "", degree: str = "", young: bool = False
    ) -> str:
        """A name no one else in the list bears (nor any official of the demo)."""
        rng = self.rng
        if woman is None:
            woman = rng.random() < 0.45
        while True:
            first = rng.choice(WOMEN if woman else MEN)
            name = f"{first} {rng.choice((WOMEN_LAST if woman else MEN_LAST) + ANY_LAST)}"
            if name not in self.taken:
                break
        self.taken.add(name)
        if not prefix and not young and rng.random() < 0.15:
            prefix = "Hj." if woman else "H."
        name = f"{prefix} {name}".strip()
        return f"{name}, {degree}" if degree else name

    def _official(self, key: tuple, **person) -> str:
        """The holder of an office, under one name in every session they attend."""
        if key not in self.people:
            self.people[key] = self._person(**person)
        return self.people[key]

    def _new_list(self, *names: str) -> None:
        """Start an attendance list: its people are told apart from each other and the officials."""
        self.taken = self.reserved | {_core(name) for name in (*self.people.values(), *names)}

    def _head(self, category, area) -> ParticipantData:
        """The camat or the lurah, as the register names them."""
        head = self.by[area.code]
        return ParticipantData(category, head.full_name, area.display_name, position=head.position)

    def _camat(self, kec) -> ParticipantData:
        return self._head(P.CAMAT, kec)

    def _lurah(self, kel) -> ParticipantData:
        return self._head(P.LURAH, kel)

    def _ketua_rw(self, kel, number: str) -> ParticipantData:
        head = self.ketua_rw[f"{kel.code}.{number}"]
        return ParticipantData(P.KETUA_RW, head.full_name, kel.display_name, position=head.position)

    def _dewan_kota(self, kec) -> ParticipantData:
        name = self._official(("dewan", kec.code))
        return ParticipantData(P.DEWAN_KOTA, name, DEWAN_KOTA, position=f"Anggota {DEWAN_KOTA}")

    def _ukpd(self, unit: str, kec) -> ParticipantData:
        """An officer of the unit's satuan pelaksana in the kecamatan."""
        office = f"Kepala Satuan Pelaksana {unit.removeprefix('Suku Dinas ')} Kecamatan {kec.name}"
        return ParticipantData(P.UKPD, self._person(), unit, position=office)

    def _guest(self, category, position: str, institution: str, **person) -> ParticipantData:
        """Someone of the community or of an office, with the position the list prints."""
        return ParticipantData(category, self._person(**person), institution, position=position)

    def _leader(self, category, body: str, area, **person) -> ParticipantData:
        """The head of a body of the area: "Ketua Karang Taruna Kecamatan Senen"."""
        where = f"{body} {area.display_name}"
        return self._guest(category, f"Ketua {where}", where, **person)

    def _resident(self, area) -> ParticipantData:
        """A tokoh masyarakat of the area."""
        where = area.display_name
        return self._guest(P.TOKOH_MASYARAKAT, f"Tokoh Masyarakat {where}", where)

    def _plenary(self, kec, *, pembuka: bool = False) -> list[ParticipantData]:
        """Pleno pembuka or penutupan: the kecamatan's leaders, its lurah and the community."""
        rng = self.rng
        self._new_list()
        rank = rng.choice(["Mayor Inf.", "Kapten Inf.", "Mayor Arh."])
        danramil = self._official(("danramil", kec.code), woman=False, prefix=rank)
        kapolsek = self._official(("kapolsek", kec.code), woman=False, prefix="Kompol")
        koramil = KORAMIL[kec.code]
        required = [
            self._camat(kec),
            ParticipantData(P.DANRAMIL, danramil, koramil, position=f"Danramil {koramil[8:]}"),
            ParticipantData(
                P.KAPOLSEK, kapolsek, f"Polsek {kec.name}", position=f"Kapolsek {kec.name}"
            ),
            self._dewan_kota(kec),
            self._puskesmas(kec),
            self._pkk(kec),
            *(self._lurah(kel) for kel in self.kelurahan[kec.code]),
        ]
        optional = [
            self._guest(P.OTHER, "Perencana Ahli Muda", SUBAN),
            *(self._ukpd(u, kec) for u in UKPD_AT_SESSIONS[:3]),
            self._leader(P.TOKOH_AGAMA, "MUI", kec, prefix="KH."),
            self._resident(kec),
            self._leader(P.KARANG_TARUNA, "Karang Taruna", kec, young=True),
            self._leader(P.FORUM_ANAK, "Forum Anak", kec, young=True),
            self._guest(P.DIFABEL, "Perwakilan PPDI Jakarta Pusat", "PPDI Jakarta Pusat"),
            self._leader(P.ORMAS, "FKDM", kec),
        ]
        if pembuka:  # the LMK come to hear the rules of the sidang kelompok
            kel = rng.choice(self.kelurahan[kec.code])
            optional.append(self._leader(P.LMK, "LMK", kel))
        # The hall fills a little beyond the quorum the plenary needs to close.
        kind = Kind.PLENO_PEMBUKA if pembuka else Kind.PLENO_PENUTUPAN
        size = quorum_for(kind, self.cycle) + rng.randint(0, 5)
        return self._presence(required, optional, size, online=0.2)

    def _puskesmas(self, kec) -> ParticipantData:
        name = self._official(("puskesmas", kec.code), prefix="dr.")
        office = f"Puskesmas Kecamatan {kec.name}"
        return ParticipantData(P.PUSKESMAS, name, office, position=f"Kepala {office}")

    def _pkk(self, kec) -> ParticipantData:
        name = self._official(("pkk", kec.code), woman=True)
        office = f"TP PKK Kecamatan {kec.name}"
        return ParticipantData(P.PKK, name, office, position=f"Ketua {office}")

    def _kelompok_attendance(self, sidang, kec, kel, *, delegates: int | None = None):
        """Sidang kelompok: the lurah, LMK, PKK and the ketua RW, with community and UKPD."""
        rng = self.rng
        self._new_list()
        rws = self.rws.get(kel.pk, [])
        chosen = sorted(rng.sample(rws, min(len(rws), rng.randint(4, 7))))
        required = [
            self._lurah(kel),
            self._leader(P.LMK, "LMK", kel),
            self._leader(P.PKK, "TP PKK", kel, woman=True),
            *(self._ketua_rw(kel, number) for number in chosen),
        ]
        optional = self._kelompok_guests(kec, kel)
        online = 0.15 if sidang.mode == Mode.HYBRID else 0
        attendance = self._presence(required, optional, rng.randint(12, 20), online=online)
        if delegates is None:
            delegates = rng.randint(2, 3)
        electable = [
            i
            for i, p in enumerate(attendance)
            if p.category in (P.LMK, P.KETUA_RW, P.TOKOH_MASYARAKAT)
        ]
        self._elect(attendance, electable, delegates)
        return attendance

    def _kelompok_guests(self, kec, kel) -> list[ParticipantData]:
        """Who else may come to a sidang kelompok: the community, the council and two UKPD."""
        rng = self.rng
        teacher = rng.random() < 0.5
        return [
            self._guest(
                P.OTHER,
                f"Staf Seksi Ekonomi dan Pembangunan Kecamatan {kec.name}",
                f"Kecamatan {kec.name}",
            ),
            self._guest(
                P.PUSKESMAS,
                f"Kepala Puskesmas {kel.display_name}",
                f"Puskesmas {kel.display_name}",
                prefix="dr.",
            ),
            self._leader(P.KARANG_TARUNA, "Karang Taruna", kel, young=True),
            self._leader(
                P.TOKOH_AGAMA,
                "Majelis Taklim" if teacher else "DMI",
                kel,
                woman=teacher,
                prefix="Ustazah" if teacher else "Ustaz",
            ),
            self._resident(kel),
            self._resident(kel),
            self._leader(P.FORUM_ANAK, "Forum Anak", kel, young=True),
            self._guest(P.DIFABEL, "Perwakilan PPDI Jakarta Pusat", "PPDI Jakarta Pusat"),
            self._leader(P.ORMAS, "FKDM", kel),
            self._dewan_kota(kec),
            *(self._ukpd(u, kec) for u in rng.sample(UKPD_AT_SESSIONS, 2)),
        ]

    def _kecamatan_attendance(self, kec) -> list[ParticipantData]:
        """Musrenbang kecamatan: camat, lurah, the kelurahan delegates, UKPD and the council."""
        rng = self.rng
        members = self.kelurahan[kec.code]
        delegates = [d for kel in members for d in self.delegates.get(kel.code, ())]
        self._new_list(*(d.name for d in delegates))
        required = [
            self._camat(kec),
            *(self._lurah(kel) for kel in self.kelurahan[kec.code]),
            *delegates,
            self._dewan_kota(kec),
        ]
        optional = [
            self._guest(P.OTHER, "Perencana Ahli Muda", SUBAN),
            *(self._ukpd(u, kec) for u in UKPD_AT_SESSIONS),
            self._pkk(kec),
            self._leader(P.FORUM_ANAK, "Forum Anak", kec, young=True),
            self._guest(P.DIFABEL, "Perwakilan PPDI Jakarta Pusat", "PPDI Jakarta Pusat"),
        ]
        attendance = self._presence(
            required, optional, len(required) + rng.randint(4, 7), online=0.15
        )
        # The forum kota hears the kecamatan through a few of the kelurahan delegates.
        first = 1 + len(self.kelurahan[kec.code])
        self._elect(attendance, list(range(first, first + len(delegates))), rng.randint(2, 3))
        return attendance

    def _elect(self, attendance: list[ParticipantData], electable: list[int], count: int) -> None:
        """Make `count` of the electable seats (all, if fewer) delegates to the next forum."""
        for i in self.rng.sample(electable, min(count, len(electable))):
            attendance[i] = replace(attendance[i], is_delegate=True)

    def _presence(self, required, optional, size, *, online: float):
        """The required seats (the chair first) and as many others as fit in `size`.

        In a hybrid session a share of them join online, the technical units twice as often.
        """
        rng = self.rng
        extra = rng.sample(optional, max(0, min(len(optional), size - len(required))))
        attendance = [required[0]]
        for data in required[1:] + extra:
            share = online * 2 if data.category in (P.UKPD, P.OTHER) else online
            if share and rng.random() < share:
                data = replace(data, presence=Participant.Presence.DARING)
            attendance.append(data)
        return attendance


@dataclass
class _Ranking:
    """What the chair of a ranked sidang decides: the placements saved before closing, the
    reasons given at closing for the candidates still undecided, a shortfall's reason, and
    the proposals on the table."""

    placements: list[Placement] = field(default_factory=list)
    closing: dict[int, str] = field(default_factory=dict)
    shortfall: str = ""
    proposals: list[int] = field(default_factory=list)


def _survey_before(candidate: Candidate, sidang: Sidang) -> Survey | None:
    """The candidate's survey, if the UKPD had recorded it by the time the session opened."""
    survey = getattr(candidate.proposal, "survey", None)
    return survey if survey and survey.recorded_at < sidang.starts_at else None


def _may_be_utama(candidate: Candidate, sidang: Sidang) -> bool:
    """Goods, or physical works a survey recommended before the session (DESIGN §5)."""
    if utama_refusal(candidate.proposal, sidang.cycle):
        return False
    return not _waits_for_survey(candidate, sidang)


def _waits_for_survey(candidate: Candidate, sidang: Sidang) -> bool:
    """A physical proposal the cycle wants surveyed first, with no survey by the session."""
    needs = candidate.proposal.needs_survey and sidang.cycle.priority_needs_survey
    return needs and _survey_before(candidate, sidang) is None


def _barred(candidate: Candidate) -> bool:
    """Not recommended by the UKPD survey: it can't be utama."""
    return candidate.proposal.recommendation == Recommendation.NOT_RECOMMENDED


def _survey_reason(survey: Survey) -> str:
    """Why the UKPD did not recommend, as it reads inside a sentence."""
    if survey.reason == RejectionReason.OTHER and survey.reason_note:
        return survey.reason_note.rstrip(".")
    label = survey.get_reason_display()
    return label[:1].lower() + label[1:]


def _core(name: str) -> str:
    """A name without titles or degrees: "H. Ahmad Fauzi, S.Sos." is Ahmad Fauzi."""
    words = name.split(",")[0].split()
    return " ".join(w for w in words if not w.endswith(".") and w not in TITLES)


def _agenda(kind: str, cycle: Cycle) -> str:
    items = [item.format(quota=quota_for(kind, cycle)) for item in AGENDA[kind]]
    return "\n".join(f"{i}. {item}" for i, item in enumerate(items, start=1))


def _kelompok_times(members: list[Area]) -> list[datetime.datetime]:
    """The kelurahan of one kecamatan spread over the window, two a day where they must share."""
    times, taken = [], {}
    for i, _ in enumerate(members):
        day = KELOMPOK_DAYS[i * len(KELOMPOK_DAYS) // len(members)]
        hour = (9, 0) if day not in taken else (13, 30)
        taken[day] = True
        times.append(datetime.datetime.combine(day, datetime.time(*hour), JAKARTA))
    return times
