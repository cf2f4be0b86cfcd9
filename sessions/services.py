"""Writes over sidang: scheduling, attendance, ranking, closing and forwarding.

Each function is one transaction with keyword-only arguments. SessionError carries a message
for the official; RankingConflict says who saved the ranking first.
"""

import copy
import datetime
import hashlib
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from areas import audit
from areas.formatting import rupiah
from areas.models import Area, Assignment, Role, User
from areas.scope import reach
from proposals.models import Cycle, Event, Proposal, Recommendation, Status
from proposals.services import office_of
from sessions import notify, pdf, scans, signing
from sessions.ceilings import Standing, standing
from sessions.models import (
    DEFAULT_CRITERIA,
    KIND_LEVEL,
    KIND_RUNNER,
    Candidate,
    Criterion,
    Decision,
    Kind,
    Minutes,
    Participant,
    Sidang,
    SignedScan,
    State,
    sidang_title,
)
from sessions.stages import stages_missing, upper_of


class SessionError(Exception):
    """A step the official may not take now; the message says why."""


class RankingConflict(SessionError):
    """Someone saved the ranking after this page was loaded."""

    def __init__(self, sidang: Sidang):
        self.sidang = sidang
        by = sidang.ranking_saved_by
        name = (by.get_full_name() or by.username) if by else _("pengguna lain")
        when = (
            date_format(timezone.localtime(sidang.ranking_saved_at), "j F Y, H.i.s")
            if sidang.ranking_saved_at
            else ""
        )
        super().__init__(
            _(
                "Peringkat ini sudah disimpan oleh %(name)s pada %(when)s setelah halaman Anda "
                "dibuka. Perubahan Anda tidak disimpan; urutan terbaru ditampilkan di bawah."
            )
            % {"name": name, "when": when}
        )


def _check_runner(sidang: Sidang, by: User) -> None:
    if not sidang.may_run(by):
        raise SessionError(_("Anda tidak memimpin sidang ini."))


def _check_open(sidang: Sidang) -> None:
    if sidang.is_closed:
        raise SessionError(_("Sidang sudah ditutup; isinya tidak dapat diubah lagi."))


def _locked(sidang: Sidang) -> Sidang:
    return Sidang.objects.select_for_update().select_related("area", "cycle").get(pk=sidang.pk)


def _with(instance, **values):
    """A copy of instance with values set: the "after" of a write that skipped save()."""
    after = copy.copy(instance)
    for name, value in values.items():
        setattr(after, name, value)
    return after


# -- Scheduling -------------------------------------------------------------------------------


def criteria_ensure(cycle: Cycle) -> list[Criterion]:
    """The cycle's scoring criteria, the defaults if it has none yet."""
    if not cycle.criteria.exists():
        Criterion.objects.bulk_create(
            [
                Criterion(cycle=cycle, name=name, weight=weight, order=i)
                for i, (name, weight) in enumerate(DEFAULT_CRITERIA)
            ]
        )
    return list(cycle.criteria.all())


def quota_for(kind: str, cycle: Cycle) -> int:
    return {Kind.KELOMPOK: cycle.quota_kelurahan, Kind.KECAMATAN: cycle.quota_kecamatan}.get(
        kind, 0
    )


def quorum_for(kind: str, cycle: Cycle) -> int:
    """How many people must be present before a sidang of this kind may close."""
    return {
        Kind.REMBUK_RW: cycle.quorum_rembuk_rw,
        Kind.PLENO_PEMBUKA: cycle.quorum_pleno,
        Kind.KELOMPOK: cycle.quorum_kelompok,
        Kind.KECAMATAN: cycle.quorum_kecamatan,
        Kind.PLENO_PENUTUPAN: cycle.quorum_pleno,
    }[kind]


@dataclass
class SidangData:
    starts_at: datetime.datetime
    venue: str
    mode: str
    meeting_link: str = ""
    chair: str = ""
    chair_nip: str = ""
    chair_position: str = ""
    minute_taker: str = ""
    minute_taker_nip: str = ""
    minute_taker_position: str = ""
    agenda: str = ""
    notes: str = ""

    def apply(self, sidang: Sidang) -> None:
        for name, value in vars(self).items():
            setattr(sidang, name, value)


def _may_schedule(user: User, kind: str, area: Area) -> bool:
    r = reach(user)
    return r.holds(KIND_RUNNER[kind], area.code) or r.holds(Role.PLANNING, area.code)


@transaction.atomic
def sidang_schedule(*, cycle: Cycle, kind: str, area: Area, data: SidangData, by: User) -> Sidang:
    """Schedule a sidang of `kind` for `area` (by its runner, or by the planning office)."""
    if area.level != KIND_LEVEL[kind]:
        raise SessionError(_("Wilayah tidak sesuai dengan jenis sidang."))
    if not _may_schedule(by, kind, area):
        raise SessionError(_("Anda tidak dapat menjadwalkan sidang untuk wilayah ini."))
    if Sidang.objects.filter(cycle=cycle, kind=kind, area=area).exists():
        raise SessionError(
            _("%(sidang)s sudah dijadwalkan.") % {"sidang": sidang_title(kind, area)}
        )
    sidang = Sidang(cycle=cycle, kind=kind, area=area, quota=quota_for(kind, cycle))
    data.apply(sidang)
    sidang.save()
    criteria_ensure(cycle)
    return sidang


@transaction.atomic
def pleno_pembuka_schedule_all(*, cycle: Cycle, data: SidangData, by: User) -> list[Sidang]:
    """The planning office schedules the opening plenary of every kecamatan at once.

    Each gets "Aula Kecamatan <name>" unless a venue is given. A kecamatan that already has its
    pleno pembuka is left as it is.
    """
    if not reach(by).holds(Role.PLANNING, cycle.kota.code):
        raise SessionError(_("Hanya Suku Badan Perencanaan yang menjadwalkan pleno serentak."))
    existing = set(
        Sidang.objects.filter(cycle=cycle, kind=Kind.PLENO_PEMBUKA).values_list(
            "area_id", flat=True
        )
    )
    created = []
    for kecamatan in Area.objects.kecamatan().within(cycle.kota):
        if kecamatan.pk in existing:
            continue
        sidang = Sidang(cycle=cycle, kind=Kind.PLENO_PEMBUKA, area=kecamatan)
        data.apply(sidang)
        sidang.venue = data.venue or f"Aula Kecamatan {kecamatan.name}"
        sidang.save()
        created.append(sidang)
    return created


@transaction.atomic
def sidang_update(*, sidang: Sidang, data: SidangData, by: User) -> Sidang:
    sidang = _locked(sidang)
    _check_runner(sidang, by)
    _check_open(sidang)
    data.apply(sidang)
    sidang.save()
    return sidang


# -- Candidates -------------------------------------------------------------------------------


def eligible_proposals(sidang: Sidang):
    """The proposals that come to the table of a ranked sidang."""
    if sidang.kind == Kind.KELOMPOK:
        # The kelurahan's proposals accepted by the lurah.
        return Proposal.objects.filter(
            cycle=sidang.cycle, kelurahan=sidang.area, status=Status.ACCEPTED
        )
    if sidang.kind == Kind.KECAMATAN:
        # The priorities forwarded by the kecamatan's sidang kelompok.
        return Proposal.objects.filter(
            cycle=sidang.cycle, kecamatan=sidang.area, status=Status.KELURAHAN_PRIORITY
        )
    return Proposal.objects.none()


def candidates_sync(sidang: Sidang) -> int:
    """Bring every eligible proposal to the table (after the ones already on it, unranked)."""
    if sidang.is_closed or not sidang.is_ranked:
        return 0
    present = sidang.candidates.values("proposal_id")
    new = eligible_proposals(sidang).exclude(pk__in=present).order_by("code")
    created = Candidate.objects.bulk_create(
        [Candidate(sidang=sidang, proposal=proposal) for proposal in new]
    )
    audit.record((None, candidate) for candidate in created)
    return len(created)


@transaction.atomic
def sidang_start(*, sidang: Sidang, by: User, stage_exception: str = "") -> Sidang:
    """Open the session: it is now in progress, with its candidates on the table.

    A stage whose earlier stage has not closed in its area starts only with the runner's
    reason, kept with the list of what was still open (the berita acara prints both)."""
    sidang = _locked(sidang)
    _check_runner(sidang, by)
    if sidang.state != State.SCHEDULED:
        raise SessionError(_("Sidang ini sudah dimulai."))
    missing = stages_missing(sidang)
    if missing and not stage_exception.strip():
        raise SessionError(
            _(
                "Tahap sebelumnya belum selesai: %(missing)s. Tuliskan alasan bila sidang ini "
                "tetap dimulai sekarang."
            )
            % {"missing": "; ".join(missing)}
        )
    sidang.state = State.IN_PROGRESS
    if missing:
        sidang.stages_missing = "\n".join(missing)
        sidang.stage_exception = stage_exception.strip()
    sidang.save(update_fields=["state", "stages_missing", "stage_exception"])
    candidates_sync(sidang)
    return sidang


def candidate_join(*, proposal: Proposal) -> None:
    """A proposal the lurah accepts while the kelurahan's sidang kelompok is in progress joins
    its table at once (called in the accepting transaction; proposals.signals)."""
    sidang = (
        Sidang.objects.select_for_update()
        .filter(
            cycle_id=proposal.cycle_id,
            kind=Kind.KELOMPOK,
            area_id=proposal.kelurahan_id,
            state=State.IN_PROGRESS,
        )
        .first()
    )
    if sidang is not None:
        candidates_sync(sidang)


@transaction.atomic
def candidates_refresh(*, sidang: Sidang, by: User) -> int:
    sidang = _locked(sidang)
    _check_runner(sidang, by)
    _check_open(sidang)
    return candidates_sync(sidang)


# -- Attendance -------------------------------------------------------------------------------


@dataclass
class ParticipantData:
    category: str
    name: str
    institution: str = ""
    presence: str = Participant.Presence.LURING
    is_delegate: bool = False
    position: str = ""


@transaction.atomic
def participant_add(*, sidang: Sidang, data: ParticipantData, by: User) -> Participant:
    sidang = _locked(sidang)
    _check_runner(sidang, by)
    _check_open(sidang)
    return Participant.objects.create(sidang=sidang, **vars(data))


@transaction.atomic
def participant_remove(*, participant: Participant, by: User) -> None:
    sidang = _locked(participant.sidang)
    _check_runner(sidang, by)
    _check_open(sidang)
    participant.delete()


@transaction.atomic
def participant_set_delegate(*, participant: Participant, delegate: bool, by: User) -> None:
    sidang = _locked(participant.sidang)
    _check_runner(sidang, by)
    _check_open(sidang)
    Participant.objects.filter(pk=participant.pk).update(is_delegate=delegate)
    audit.record([(participant, _with(participant, is_delegate=delegate))])


def _invitees_rw(sidang: Sidang) -> list[Participant]:
    """The ketua RW of the sidang's area, as the officials' register names them."""
    rws = Area.objects.rw().filter(code__startswith=f"{sidang.area.code}.")
    if sidang.kind == Kind.REMBUK_RW:
        rws = Area.objects.filter(pk=sidang.area_id)
    assignments = (
        Assignment.objects.filter(role=Role.RW, area__in=rws)
        .select_related("user", "area__parent")
        .order_by("area__code", "user__username")
    )
    return [
        Participant(
            sidang=sidang,
            category=Participant.Category.KETUA_RW,
            name=a.user.get_full_name() or a.user.username,
            position=a.user.position,
            institution=f"{a.area.name} {a.area.parent.display_name}",
            present=False,
        )
        for a in assignments
    ]


def _invitees_delegates(sidang: Sidang) -> list[Participant]:
    """The delegates its sidang kelompok elected, for a musrenbang kecamatan."""
    if sidang.kind != Kind.KECAMATAN:
        return []
    elected = Participant.objects.filter(
        sidang__cycle_id=sidang.cycle_id,
        sidang__kind=Kind.KELOMPOK,
        sidang__area__parent_id=sidang.area_id,
        sidang__state=State.CLOSED,
        is_delegate=True,
        present=True,
    ).select_related("sidang__area")
    return [
        Participant(
            sidang=sidang,
            category=p.category,
            name=p.name,
            position=p.position,
            institution=p.institution or p.sidang.area.display_name,
            presence=p.presence,
            present=False,
        )
        for p in elected.order_by("sidang__area__name", "added_at", "pk")
    ]


INVITEES = {"rw": _invitees_rw, "delegasi": _invitees_delegates}


@transaction.atomic
def participants_invite(*, sidang: Sidang, group: str, by: User) -> int:
    """Put a whole group on the attendance list at once (every ketua RW of the area, or the
    delegates of the kecamatan's sidang kelompok), not yet ticked as present; nobody twice."""
    sidang = _locked(sidang)
    _check_runner(sidang, by)
    _check_open(sidang)
    listed = set(sidang.participants.values_list("category", "name"))
    new = [p for p in INVITEES[group](sidang) if (p.category, p.name) not in listed]
    created = Participant.objects.bulk_create(new)
    audit.record((None, participant) for participant in created)
    return len(created)


@transaction.atomic
def participants_mark_present(
    *, sidang: Sidang, present: set[int], by: User, listed: set[int] | None = None
) -> int:
    """Tick who came: the participants named are present, every other one on the list is not.
    With `listed` (the rows the runner's page showed), only those rows change: someone added
    at the door meanwhile keeps the tick another official gave them."""
    sidang = _locked(sidang)
    _check_runner(sidang, by)
    _check_open(sidang)
    rows = sidang.participants.all()
    if listed is not None:
        rows = rows.filter(pk__in=listed)
    changed = [
        (p, _with(p, present=p.pk in present)) for p in rows if p.present != (p.pk in present)
    ]
    for value in (True, False):
        Participant.objects.filter(
            pk__in=[after.pk for _before, after in changed if after.present == value]
        ).update(present=value)
    audit.record(changed)
    return len(changed)


# -- Ranking ----------------------------------------------------------------------------------


@dataclass
class Placement:
    """What the official decided for one candidate."""

    candidate_id: int
    rank: int | None
    decision: str = ""
    reason: str = ""
    scores: dict[str, int] = field(default_factory=dict)


def score_total(scores: dict[str, int], criteria: list[Criterion]) -> int | None:
    """Weighted total 0–100 of 1–5 scores (5 on every criterion makes 100)."""
    if not scores:
        return None
    total_weight = sum(c.weight for c in criteria) or 1
    points = sum(c.weight * scores.get(str(c.pk), 0) for c in criteria)
    return round(points * 100 / (5 * total_weight))


def utama_refusal(proposal: Proposal, cycle: Cycle) -> str:
    """Why the proposal cannot be *utama*, or "" when it can: a physical proposal needs a survey
    that recommends it (unless the cycle relaxes that), and a not-recommended one never is."""
    if proposal.recommendation == Recommendation.NOT_RECOMMENDED:
        return _("%(code)s tidak direkomendasikan survei UKPD, jadi tidak dapat menjadi utama.") % {
            "code": proposal.code
        }
    if proposal.needs_survey and cycle.priority_needs_survey and not proposal.recommendation:
        return _(
            "%(code)s belum disurvei UKPD: usulan fisik menjadi utama hanya setelah survei "
            "merekomendasikannya, dan paling tinggi menjadi cadangan sebelum itu."
        ) % {"code": proposal.code}
    return ""


def _check_may_be_utama(proposal: Proposal, cycle: Cycle) -> None:
    refusal = utama_refusal(proposal, cycle)
    if refusal:
        raise SessionError(refusal)


def _validate(sidang: Sidang, placements: list[Placement], candidates: dict) -> None:
    if set(candidates) != {p.candidate_id for p in placements}:
        raise SessionError(_("Daftar calon berubah; muat ulang halaman."))
    ranks = [p.rank for p in placements if p.rank is not None]
    if any(r < 1 for r in ranks):
        raise SessionError(_("Peringkat dimulai dari 1."))
    if len(ranks) != len(set(ranks)):
        raise SessionError(_("Dua usulan tidak boleh memiliki peringkat yang sama."))
    utama = [p for p in placements if p.decision == Decision.UTAMA]
    if len(utama) > sidang.quota:
        raise SessionError(
            _("Paling banyak %(quota)s usulan utama; Anda menandai %(count)s.")
            % {"quota": sidang.quota, "count": len(utama)}
        )
    for p in placements:
        proposal = candidates[p.candidate_id].proposal
        if p.decision == Decision.UTAMA:
            _check_may_be_utama(proposal, sidang.cycle)
        if p.decision == Decision.UTAMA and p.rank is None:
            raise SessionError(
                _("Usulan utama %(code)s perlu peringkat.") % {"code": proposal.code}
            )
        if p.decision == Decision.TIDAK and not p.reason.strip():
            raise SessionError(
                _("Tuliskan alasan %(code)s tidak diprioritaskan.") % {"code": proposal.code}
            )
        for value in p.scores.values():
            if not 1 <= value <= 5:
                raise SessionError(_("Nilai setiap kriteria 1 sampai 5."))


def _changes(
    placements: list[Placement], candidates: dict[int, Candidate], criteria: list[Criterion]
) -> list[tuple]:
    """(pk, rank, decision, reason, scores, score) of each candidate the placements change."""
    rows = []
    for p in placements:
        c = candidates[p.candidate_id]
        scores = {k: v for k, v in p.scores.items() if v}
        new = (p.rank, p.decision, p.reason.strip(), scores, score_total(scores, criteria))
        if new != (c.rank, c.decision, c.reason, c.scores, c.score):
            rows.append((c.pk, *new))
    return rows


def _write(rows: list[tuple], candidates: dict[int, Candidate]) -> None:
    """Store the changed candidates: clear their rank and decision, then write them at once.

    The database checks each row as an UPDATE reaches it (the unique index on the rank, and
    SQLite's quota trigger), so a swap written in one go would pass through a duplicate rank
    or a surplus utama. One UPDATE … FROM (VALUES …) (PostgreSQL; SQLite 3.33 or newer)
    rather than bulk_update(), which builds a CASE … WHEN per candidate and field through the
    ORM: some 20 ms of Python for 30 candidates.
    """
    Candidate.objects.filter(pk__in=[row[0] for row in rows]).update(rank=None, decision="")
    as_json = Candidate._meta.get_field("scores").get_db_prep_save  # Jsonb on PostgreSQL
    params = []
    for pk, rank, decision, reason, scores, score in rows:
        params += [pk, rank, decision, reason, as_json(scores, connection), score]
    # VALUES names its columns column1, column2, …; to PostgreSQL a column of NULLs alone is
    # text, hence the casts of the numbers.
    values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE sidang_candidate SET "rank" = CAST(v.column2 AS smallint),
                "decision" = v.column3, "reason" = v.column4, "scores" = v.column5,
                "score" = CAST(v.column6 AS smallint)
            FROM (VALUES {values}) AS v WHERE sidang_candidate.id = v.column1""",
            params,
        )
    audit.record(
        (
            candidates[pk],
            _with(
                candidates[pk],
                rank=rank,
                decision=decision,
                reason=reason,
                scores=scores,
                score=score,
            ),
        )
        for pk, rank, decision, reason, scores, score in rows
    )


@transaction.atomic
def ranking_save(
    *,
    sidang: Sidang,
    placements: list[Placement],
    version: int,
    by: User,
    candidates: list[Candidate] | None = None,
    criteria: list[Criterion] | None = None,
) -> Sidang:
    """Store a new ranking. Raises RankingConflict if another save came first.

    The version is claimed by a conditional UPDATE in this transaction: of two officials
    saving at once, the second finds the version moved on and is told, not overwritten.
    A caller that has just read the candidates (with their proposals) and the cycle's criteria
    passes them; only the candidates whose values change are written.
    """
    _check_runner(sidang, by)
    _check_open(sidang)
    if not sidang.is_ranked:
        raise SessionError(_("Sidang ini tidak memeringkat usulan."))
    now = timezone.now()
    if criteria is None:
        criteria = list(sidang.cycle.criteria.all())
    claim = {"ranking_version": F("ranking_version") + 1, "ranking_saved_by": by}
    if not sidang.weights and any(p.scores for p in placements):
        # The weights the scores are given with; the cycle's criteria are fixed from now on.
        claim["weights"] = {str(c.pk): [c.name, c.weight] for c in criteria}
    claimed = Sidang.objects.filter(
        pk=sidang.pk, ranking_version=version, state=State.IN_PROGRESS
    ).update(**claim, ranking_saved_at=now)
    if not claimed:
        current = Sidang.objects.select_related("ranking_saved_by", "area", "cycle").get(
            pk=sidang.pk
        )
        _check_open(current)
        if current.state != State.IN_PROGRESS:
            raise SessionError(_("Peringkat hanya dapat diubah selama sidang berlangsung."))
        raise RankingConflict(current)
    if candidates is None:
        candidates = sidang.candidates.select_related("proposal")
    by_pk = {c.pk: c for c in candidates}
    _validate(sidang, placements, by_pk)
    rows = _changes(placements, by_pk, criteria)
    sidang.weights = claim.get("weights", sidang.weights)
    if rows:
        try:
            _write(rows, by_pk)
        except IntegrityError as error:  # the database's own guard, should a check above miss
            raise SessionError(_("Peringkat ditolak: %(error)s") % {"error": error}) from error
    sidang.ranking_version, sidang.ranking_saved_by, sidang.ranking_saved_at = version + 1, by, now
    return sidang


# -- Closing and forwarding -------------------------------------------------------------------


def closing_problems(
    sidang: Sidang,
    shortfall_reason: str = "",
    reasons: dict[int, str] | None = None,
    over_ceiling_reason: str = "",
) -> list[str]:
    """What still keeps the session from closing (empty when it may close). `reasons` are the
    runner's reasons for the candidates still undecided, by candidate id; closing with the
    utama over the area's pagu indikatif needs `over_ceiling_reason`."""
    problems = []
    if sidang.state != State.IN_PROGRESS:
        problems.append(_("Sidang belum dimulai."))
    present = sidang.participants.filter(present=True).count()
    quorum = quorum_for(sidang.kind, sidang.cycle)
    if not present:
        problems.append(_("Daftar hadir masih kosong."))
    elif present < quorum:
        problems.append(
            _("Baru %(count)s peserta hadir; kuorum sidang ini %(quorum)s orang.")
            % {"count": present, "quorum": quorum}
        )
    if sidang.is_ranked:
        problems += _ranking_problems(sidang, shortfall_reason, reasons, over_ceiling_reason)
    return problems


def ceiling_standing(sidang: Sidang, candidates=None) -> Standing:
    """The sidang's utama and cadangan against its pagu indikatif."""
    if candidates is None:
        candidates = sidang.candidates.select_related("proposal__survey")
    return standing(sidang.ceiling, ((c.decision, c.proposal) for c in candidates))


def over_ceiling_problem(over: Standing) -> str:
    return _(
        "Biaya usulan utama %(total)s melebihi pagu indikatif %(ceiling)s sebesar %(over)s: "
        "tuliskan alasannya."
    ) % {
        "total": rupiah(over.utama),
        "ceiling": rupiah(over.ceiling),
        "over": rupiah(over.over),
    }


def _ranking_problems(
    sidang: Sidang, shortfall_reason: str, reasons, over_ceiling_reason: str
) -> list[str]:
    problems = []
    if not sidang.ranking_version:
        problems.append(_("Peringkat belum disimpan."))
    candidates = list(sidang.candidates.select_related("proposal__survey"))
    utama = [c for c in candidates if c.decision == Decision.UTAMA]
    if len(utama) < sidang.quota and not (shortfall_reason or sidang.shortfall_reason).strip():
        problems.append(
            _(
                "Baru %(count)s dari %(quota)s usulan utama: lengkapi, atau tuliskan alasan "
                "mengapa kurang dari kuota."
            )
            % {"count": len(utama), "quota": sidang.quota}
        )
    ceiling = ceiling_standing(sidang, candidates)
    if ceiling.over and not (over_ceiling_reason or sidang.over_ceiling_reason).strip():
        problems.append(over_ceiling_problem(ceiling))
    # A survey recorded during the session may have withdrawn a recommendation.
    problems += filter(None, (utama_refusal(c.proposal, sidang.cycle) for c in utama))
    if reasons is not None:
        unexplained = [
            c.proposal.code
            for c in candidates
            if not c.decision and not reasons.get(c.pk, "").strip()
        ]
        if unexplained:
            problems.append(
                _("Tuliskan alasan untuk calon yang belum diputuskan: %(codes)s.")
                % {"codes": ", ".join(unexplained)}
            )
    return problems


def undecided(sidang: Sidang) -> list[Candidate]:
    """The candidates still without a decision: closing asks the runner why for each."""
    return list(
        sidang.candidates.filter(decision="")
        .select_related("proposal")
        .order_by("rank", "proposal__code")
    )


def _settle_undecided(sidang: Sidang, reasons: dict[int, str]) -> None:
    """Candidates left without a decision at closing were not chosen, for the runner's reason."""
    changed = []
    for candidate in undecided(sidang):
        reason = reasons[candidate.pk].strip()[:2000]
        Candidate.objects.filter(pk=candidate.pk).update(decision=Decision.TIDAK, reason=reason)
        changed.append((candidate, _with(candidate, decision=Decision.TIDAK, reason=reason)))
    audit.record(changed)


# What each decision makes of the proposal, per level.
_OUTCOME = {
    Kind.KELOMPOK: {
        Decision.UTAMA: Status.KELURAHAN_PRIORITY,
        Decision.CADANGAN: Status.KELURAHAN_RESERVE,
        Decision.TIDAK: Status.NOT_PRIORITISED,
    },
    Kind.KECAMATAN: {
        Decision.UTAMA: Status.KECAMATAN_PRIORITY,
        Decision.CADANGAN: Status.KECAMATAN_RESERVE,
        Decision.TIDAK: Status.NOT_PRIORITISED,
    },
}
# The journey step a ranked sidang records on each of its candidates' proposals.
KIND_ACTION = {
    Kind.KELOMPOK: Event.Action.RANKED_KELURAHAN,
    Kind.KECAMATAN: Event.Action.RANKED_KECAMATAN,
}
# The sentences with figures in that step's note, after the decision's label; the journey shows
# them in the reader's language (registered with proposals.journey in SessionsConfig.ready).
RANKED_PHRASES = (
    gettext_lazy("peringkat %(rank)s, dalam"),
    gettext_lazy("(%(upper)s sudah ditutup: menunggu keputusan Suku Badan Perencanaan)"),
)


def _forward(sidang: Sidang, by: User) -> None:
    """Record each candidate's decision on its proposal and pass the priorities upwards.

    A sidang kelompok's priorities go to its musrenbang kecamatan: on its table at once while
    it is in progress, when it starts if it has not; after it has closed, they wait as late
    priorities for the planning office. Every priority ends in exactly one place."""
    upper = upper_of(sidang) if sidang.kind == Kind.KELOMPOK else None
    sidang.closed_late = upper is not None and upper.is_closed
    outcome = dict(_OUTCOME[sidang.kind])
    if sidang.closed_late:
        outcome[Decision.UTAMA] = Status.KELURAHAN_LATE
    role = KIND_RUNNER[sidang.kind]
    office = office_of(by, role, sidang.area) if not by.is_superuser else str(sidang)
    events, moved = [], []
    for candidate in sidang.candidates.select_related("proposal"):
        status = outcome[candidate.decision]
        Proposal.objects.filter(pk=candidate.proposal_id).update(status=status)
        moved.append((candidate.proposal, _with(candidate.proposal, status=status)))
        place = str(RANKED_PHRASES[0]) % {"rank": candidate.rank or "—"}
        note = f"{Decision(candidate.decision).label}, {place} {sidang}"
        if candidate.reason:
            note += f": {candidate.reason}"
        if status == Status.KELURAHAN_LATE:
            note += " " + str(RANKED_PHRASES[1]) % {"upper": upper}
        events.append(
            Event(
                proposal_id=candidate.proposal_id,
                action=KIND_ACTION[sidang.kind],
                actor=by,
                actor_office=office,
                note=note,
            )
        )
    Event.objects.bulk_create(events)
    audit.record(moved)
    if upper is not None and upper.state == State.IN_PROGRESS:
        candidates_sync(upper)


# Verification codes avoid characters that are easily misread on paper (0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        if not Minutes.objects.filter(code=code).exists():
            return code


def _minutes_store(sidang: Sidang) -> Minutes:
    """Render the final berita acara once, sign it when the office has a certificate, store it
    and its SHA-256 (inside the closing)."""
    Cycle.objects.filter(pk=sidang.cycle_id).update(
        last_minutes_number=F("last_minutes_number") + 1
    )
    sequence = Cycle.objects.values_list("last_minutes_number", flat=True).get(pk=sidang.cycle_id)
    number = sidang.cycle.minutes_number(
        number=sequence, kind_code=pdf.KIND_CODE[sidang.kind], area_code=sidang.area.code
    )
    code = _new_code()
    try:
        content = pdf.minutes_pdf(sidang, number=number, code=code, final=True)
    except Exception as error:  # WeasyPrint fails in many ways; none may close the session
        raise SessionError(
            _("Berita acara gagal dibuat, sidang tetap terbuka: %(error)s") % {"error": error}
        ) from error
    try:
        content, signed_by = signing.sign(content)  # unchanged without an office certificate
    except Exception as error:  # a certificate that cannot sign must not leave it unsigned
        raise SessionError(
            _("Berita acara gagal ditandatangani, sidang tetap terbuka: %(error)s")
            % {"error": error}
        ) from error
    minutes = Minutes(
        sidang=sidang,
        number=number,
        code=code,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        signed_by=signed_by,
    )
    minutes.file.save(f"{sidang.cycle.year}/{code}.pdf", ContentFile(content), save=False)
    minutes.save()
    return minutes


@transaction.atomic
def sidang_close(
    *,
    sidang: Sidang,
    by: User,
    shortfall_reason: str = "",
    reasons: dict[int, str] | None = None,
    over_ceiling_reason: str = "",
) -> Sidang:
    """Close a complete session: its berita acara is rendered and stored, it is frozen from
    now on, and its priorities move up. `reasons` gives, by candidate id, why each candidate
    still undecided was not prioritised; `over_ceiling_reason` why the utama cost more than
    the area's pagu indikatif (kept only when they do). If anything fails, nothing of it
    happened."""
    sidang = _locked(sidang)
    _check_runner(sidang, by)
    _check_open(sidang)
    reasons = reasons or {}
    problems = closing_problems(sidang, shortfall_reason, reasons, over_ceiling_reason)
    if problems:
        raise SessionError(" ".join(problems))
    if sidang.is_ranked:
        # Reasons and journey notes are stored, and read in the berita acara and by the public
        # in the project's language, whichever language the closing official's screen shows.
        with translation.override(settings.LANGUAGE_CODE):
            _settle_undecided(sidang, reasons)
            _forward(sidang, by)
    sidang.shortfall_reason = shortfall_reason.strip() or sidang.shortfall_reason
    if sidang.is_ranked and ceiling_standing(sidang).over:
        sidang.over_ceiling_reason = over_ceiling_reason.strip() or sidang.over_ceiling_reason
    else:
        sidang.over_ceiling_reason = ""
    _minutes_store(sidang)
    sidang.state = State.CLOSED
    sidang.closed_at = timezone.now()
    sidang.closed_by = by
    sidang.save(
        update_fields=[
            "shortfall_reason",
            "over_ceiling_reason",
            "closed_late",
            "state",
            "closed_at",
            "closed_by",
        ]
    )
    notify.closing_tell(sidang)
    return sidang


# -- The wet-signed scan ----------------------------------------------------------------------


def _scan_kept(scan: SignedScan) -> SessionError:
    when = date_format(timezone.localtime(scan.uploaded_at), "j F Y, H.i")
    return SessionError(
        _("Pindaian sudah disimpan pada %(when)s; tidak dapat diganti.") % {"when": when}
    )


@transaction.atomic
def scan_upload(*, sidang: Sidang, upload: UploadedFile, by: User) -> SignedScan:
    """Keep the scan of the berita acara as signed on paper, once, beside the generated file.
    Raises SessionError before closing, for a file that is no PDF, JPEG or PNG (by content) or
    too large, and when a scan is already kept (it is never replaced)."""
    sidang = _locked(sidang)  # two runners uploading at once: the second waits, then is told
    _check_runner(sidang, by)
    minutes = Minutes.objects.filter(sidang=sidang).first()
    if not sidang.is_closed or minutes is None:
        raise SessionError(_("Pindaian berita acara diunggah setelah sidang ditutup."))
    kept = SignedScan.objects.filter(minutes=minutes).first()
    if kept is not None:
        raise _scan_kept(kept)
    try:
        content_type = scans.content_type(upload)
    except scans.ScanRefused as error:
        raise SessionError(str(error)) from error
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    scan = SignedScan(
        minutes=minutes,
        content_type=content_type,
        sha256=digest.hexdigest(),
        size=upload.size,
        uploaded_by=by,
    )
    name = f"{sidang.cycle.year}/{minutes.code}.{scans.extension(content_type)}"
    scan.file.save(name, upload, save=False)
    try:
        with transaction.atomic():
            scan.save()
    except IntegrityError as error:  # SQLite does not lock: another upload came first
        scan.file.delete(save=False)
        raise _scan_kept(SignedScan.objects.get(minutes=minutes)) from error
    return scan
