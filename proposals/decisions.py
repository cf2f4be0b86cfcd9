"""The planning office's final decisions: the rules and the writes, the same for one proposal
and for a batch decided from the table (services.decision_record and decision_record_many).

A batch is checked whole before anything is written, then written with one statement per table
(decisions, statuses, journey, realisations, audit), so deciding a hundred proposals costs
about what deciding one does, plus the notices to each RW.
"""

import copy
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from areas import audit
from areas.formatting import rupiah
from areas.models import Area, TechnicalUnit, User
from proposals.models import (
    Decision,
    Event,
    Progress,
    Proposal,
    Realisation,
    SubActivity,
)
from proposals.notify import rw_tell_all, stored_language

MAX_BATCH = 500  # proposals decided at once from the table
DECISION_FIELDS = [
    "kind",
    "reason",
    "merged_into",
    "sub_activity",
    "unit",
    "amount",
    "budget_year",
    "decided_by",
    "decided_at",
]


@dataclass(frozen=True)
class Verdict:
    """What the office decided, the same for every proposal it is applied to. A unit, amount
    or budget year left None takes each proposal's default (see `budget_defaults`)."""

    kind: str
    reason: str = ""
    merged_into: Proposal | None = None
    sub_activity: SubActivity | None = None
    unit: TechnicalUnit | None = None
    amount: int | None = None
    budget_year: int | None = None

    @property
    def accommodated(self) -> bool:
        return self.kind in Decision.ACCOMMODATED


def budget_defaults(proposal: Proposal, kind: str) -> dict:
    """The Renja fields an accommodated proposal starts from: its target unit, the surveyed
    cost (else its own), the plan year for the Renja, the cycle's year for the current budget."""
    survey = getattr(proposal, "survey", None)
    cycle = proposal.cycle
    return {
        "unit": proposal.target_unit_id,
        "amount": survey.revised_cost if survey is not None else proposal.cost,
        "budget_year": cycle.plan_year if kind == Decision.Kind.RENJA else cycle.year,
    }


# -- The rules ---------------------------------------------------------------------------------


def verdict_refusal(verdict: Verdict) -> str:
    """Why the verdict itself cannot be recorded on any proposal ("" when it can)."""
    if verdict.kind not in Decision.Kind.values:
        return _("Pilih keputusan akhir.")
    if verdict.kind == Decision.Kind.NOT_ACCOMMODATED and not verdict.reason:
        return _("Tuliskan alasan usulan tidak diakomodir.")
    if verdict.kind == Decision.Kind.MERGED and verdict.merged_into is None:
        return _("Pilih usulan lain tempat usulan ini digabung.")
    if verdict.accommodated:
        if verdict.sub_activity is None:
            return _("Pilih sub kegiatan Renja bagi usulan yang diakomodir.")
        if verdict.amount is not None and not 0 <= verdict.amount < 2**63:
            return _("Pagu anggaran diisi rupiah bulat, tidak negatif.")
        if verdict.budget_year is not None and not 2000 <= verdict.budget_year <= 2100:
            return _("Tahun anggaran antara 2000 dan 2100.")
    return ""


def proposal_refusal(proposal: Proposal, verdict: Verdict, *, by: User, reported: set) -> str:
    """Why this proposal may not take the verdict ("" when it may). `reported`: the ids of the
    proposals whose realisation already has progress reports."""
    if not proposal.may_decide(by):
        return _("Keputusan akhir dicatat Suku Badan Perencanaan untuk prioritas kecamatan.")
    target = verdict.merged_into
    if target is not None and target.pk == proposal.pk:
        return _("Pilih usulan lain tempat usulan ini digabung.")
    if target is not None and target.cycle_id != proposal.cycle_id:
        return _("Usulan hanya dapat digabung dalam siklus yang sama.")
    if verdict.sub_activity is not None and verdict.sub_activity.cycle_id != proposal.cycle_id:
        return _("Sub kegiatan yang dipilih bukan dari siklus usulan ini.")
    if verdict.unit is not None and verdict.unit.kota_id != proposal.kota_id:
        return _("SKPD/UKPD pelaksana harus dari kota usulan ini.")
    if not verdict.accommodated and proposal.pk in reported:
        return _(
            "Realisasi usulan ini sudah dilaporkan UKPD pelaksana; keputusan tidak dapat "
            "diubah menjadi tidak diakomodir."
        )
    return ""


def locked(ids) -> list[Proposal]:
    """The proposals re-read under row locks, with what deciding them reads, in one query."""
    return list(
        Proposal.objects.select_for_update(of=("self",))
        .filter(pk__in=list(ids))
        .select_related("rw", "cycle__kota", "survey", "decision", "realisation")
        .order_by("pk")
    )


def refusals(proposals: list[Proposal], verdict: Verdict, *, by: User) -> dict[Proposal, str]:
    """Each proposal that may not take the verdict, with the reason."""
    reported = set(
        Progress.objects.filter(realisation__proposal__in=proposals).values_list(
            "realisation__proposal_id", flat=True
        )
    )
    found = {}
    for proposal in proposals:
        refusal = proposal_refusal(proposal, verdict, by=by, reported=reported)
        if refusal:
            found[proposal] = refusal
    return found


# -- The writes --------------------------------------------------------------------------------


def decide(
    proposals: list[Proposal], verdict: Verdict, *, by: User, office: Callable[[Area], str]
) -> list[Decision]:
    """Record the verdict on every proposal (already checked and locked): its decision, status,
    journey, realisation, audit entries, and a notice to its RW. `office` names the office the
    user decides as, for a kota. Returns the decisions."""
    now = timezone.now()
    by_kota = {p.cycle.kota_id: p.cycle.kota for p in proposals}
    kota_office = {pk: office(kota) for pk, kota in by_kota.items()}
    offices = {p.pk: kota_office[p.cycle.kota_id] for p in proposals}
    decisions = _decisions_save(proposals, verdict, by=by, now=now)
    _statuses_save(proposals, Decision.STATUS[verdict.kind])
    _realisations_save(proposals, decisions, accommodated=verdict.accommodated)
    with stored_language():
        notes = {d.proposal_id: journey_note(d) for d in decisions}
        Event.objects.bulk_create(
            [
                Event(
                    proposal=p,
                    action=Event.Action.DECIDED,
                    actor=by,
                    actor_office=offices[p.pk],
                    at=now,
                    note=notes[p.pk],
                )
                for p in proposals
            ]
            + _merged_events(proposals, verdict, by=by, offices=offices, now=now)
        )
        rw_tell_all(
            [
                rw_notice(p, d, office=offices[p.pk], note=notes[p.pk])
                for p, d in zip(proposals, decisions, strict=True)
            ],
            kind="decided",
        )
    return decisions


def _decisions_save(proposals, verdict: Verdict, *, by: User, now) -> list[Decision]:
    """Each proposal's decision created or replaced; one INSERT and one UPDATE at most."""
    pairs, fresh, changed = [], [], []
    for proposal in proposals:
        existing = getattr(proposal, "decision", None)
        before = copy.copy(existing) if existing is not None else None
        decision = existing or Decision(proposal=proposal)
        decision.kind, decision.reason = verdict.kind, verdict.reason
        decision.merged_into = verdict.merged_into
        decision.decided_by, decision.decided_at = by, now
        _budget_apply(decision, proposal, verdict)
        (changed if existing is not None else fresh).append(decision)
        pairs.append((before, decision))
    Decision.objects.bulk_create(fresh)
    Decision.objects.bulk_update(changed, DECISION_FIELDS)
    audit.record(pairs)
    return [decision for _before, decision in pairs]


def _budget_apply(decision: Decision, proposal: Proposal, verdict: Verdict) -> None:
    if not verdict.accommodated:  # the database refuses Renja fields on any other decision
        decision.sub_activity = decision.unit = decision.amount = decision.budget_year = None
        return
    defaults = budget_defaults(proposal, verdict.kind)
    decision.sub_activity = verdict.sub_activity
    decision.unit_id = verdict.unit.pk if verdict.unit is not None else defaults["unit"]
    decision.amount = verdict.amount if verdict.amount is not None else defaults["amount"]
    decision.budget_year = verdict.budget_year or defaults["budget_year"]


def _statuses_save(proposals, status: str) -> None:
    pairs = []
    for proposal in proposals:
        before = copy.copy(proposal)
        proposal.status = status
        pairs.append((before, proposal))
    Proposal.objects.filter(pk__in=[p.pk for p in proposals]).update(status=status)
    audit.record(pairs)


def _realisations_save(proposals, decisions, *, accommodated: bool) -> None:
    """An accommodated proposal's realisation begins (or changes unit); another decision
    removes one that has no report yet (those with reports were refused)."""
    if not accommodated:
        Realisation.objects.filter(proposal__in=proposals).delete()
        return
    today = timezone.localdate()
    fresh, moved = [], []
    for proposal, decision in zip(proposals, decisions, strict=True):
        realisation = getattr(proposal, "realisation", None)
        if realisation is None:
            fresh.append(
                Realisation(
                    proposal=proposal,
                    unit_id=decision.unit_id,
                    kecamatan_id=proposal.kecamatan_id,
                    started_on=today,
                )
            )
        elif realisation.unit_id != decision.unit_id:
            realisation.unit_id = decision.unit_id
            moved.append(realisation)
    Realisation.objects.bulk_create(fresh)
    Realisation.objects.bulk_update(moved, ["unit"])


def _merged_events(proposals, verdict: Verdict, *, by: User, offices: dict, now) -> list[Event]:
    """The journey of the proposal merged into says which proposals joined it."""
    if verdict.merged_into is None:
        return []
    return [
        Event(
            proposal=verdict.merged_into,
            action=Event.Action.DECIDED,
            actor=by,
            actor_office=offices[proposal.pk],
            at=now,
            note=_("Usulan %(code)s digabung ke usulan ini") % {"code": proposal.code},
        )
        for proposal in proposals
    ]


# -- What is said ------------------------------------------------------------------------------


def journey_note(decision: Decision) -> str:
    """The decision as the public journey reads it, in the active language."""
    note = decision.get_kind_display()
    if decision.merged_into_id:
        note += f" ({decision.merged_into.code})"
    if decision.accommodated:
        note += ", " + _("sub kegiatan %(sub)s, tahun anggaran %(year)s") % {
            "sub": decision.sub_activity,
            "year": decision.budget_year,
        }
    if decision.reason:
        note += f": {decision.reason}"
    return note


def rw_notice(proposal: Proposal, decision: Decision, *, office: str, note: str) -> tuple:
    """What the RW is told of the decision: (proposal, subject, text), for notify.rw_tell_all."""
    text = _("%(office)s memutuskan usulan “%(title)s” pada %(date)s: %(decision)s.") % {
        "office": office,
        "title": proposal.title,
        "date": date_format(timezone.localdate(decision.decided_at), "j F Y"),
        "decision": note.rstrip("."),  # one full stop, whatever the reason ends with
    }
    if decision.accommodated:
        text += " " + _("Pagu anggaran %(amount)s.") % {"amount": rupiah(decision.amount)}
    subject = _("keputusan akhir: %(kind)s") % {"kind": decision.get_kind_display()}
    return proposal, subject, text
