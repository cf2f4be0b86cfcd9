"""Carry-over: opening the next cycle with the last one's unfunded proposals, which each RW
then confirms or withdraws in its window; what is left unconfirmed expires.

A carried proposal is a new row of the new cycle (status CARRIED) that keeps a link to its
original (`carried_from`) and the year it was first proposed (`first_year`); both journeys tell
of the step.
"""

import datetime
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from areas import audit
from areas.models import Role, User
from areas.scope import reach
from notices.services import Message, holders_by, notify_all
from proposals.models import Attachment, Cycle, Event, Proposal, Source, Status, Survey
from proposals.notify import stored_language
from proposals.services import (
    WorkflowError,
    _allocate_numbers,
    _check_window,
    _locked,
    hand_to_kelurahan,
    office_of,
    proposal_code,
)

# What the last cycle left unfunded and offers again ("usulan yang belum terakomodir"): the
# reserves of both levels, what the planning office did not accommodate, and what a sidang did
# not prioritise. The last belong here too: they were accepted by the lurah and are still
# needs; the RW confirms or withdraws each, so offering one too many costs a click, while
# leaving one out would lose a need nobody re-enters.
CARRIED_STATUSES = (
    Status.KELURAHAN_RESERVE,
    Status.KECAMATAN_RESERVE,
    Status.NOT_ACCOMMODATED,
    Status.NOT_PRIORITISED,
)

# A carried proposal not (or no longer) taking part in its cycle: the recap's funnel, the
# home page's counts and the sessions leave these out.
NOT_TAKING_PART = (Status.CARRIED, Status.WITHDRAWN, Status.EXPIRED)

# The fields a carried proposal takes from its original.
COPIED = [
    "rw_id",
    "kelurahan_id",
    "kecamatan_id",
    "kota_id",
    "title",
    "problem",
    "catalogue_item_id",
    "category",
    "target_unit_id",
    "address",
    "rt",
    "latitude",
    "longitude",
    "volume",
    "measure",
    "unit_price",
    "cost",
    "beneficiaries",
]

BATCH_SIZE = 1000


@dataclass
class CarryPlan:
    """What carrying the previous cycle forward does: the proposals carried, and those left
    behind with the reason noted in their journey."""

    carried: list[Proposal] = field(default_factory=list)
    expired: list[tuple[Proposal, str]] = field(default_factory=list)


def carry_plan(previous: Cycle) -> CarryPlan:
    """Which of `previous`'s unfunded proposals go forward. Times carried so far is
    previous.year − first_year; a proposal goes while that is below carry_over_cycles, its
    catalogue item still active (or it lies outside the catalogue), and it was not carried
    already. A DPRD member's pokir is not carried: the RW never proposed it, so has nothing to
    confirm; the member brings it again from a later recess. One query."""
    plan = CarryPlan()
    limit = previous.carry_over_cycles
    rows = (
        Proposal.objects.filter(
            cycle=previous,
            status__in=CARRIED_STATUSES,
            carried_to__isnull=True,
            source=Source.RW,
        )
        .annotate(item_active=F("catalogue_item__active"))
        .order_by("number")
    )
    with stored_language():
        for proposal in rows:
            proposal.cycle = previous  # the journeys name its year
            carried_so_far = previous.year - (proposal.first_year or previous.year)
            if proposal.item_active is False:
                plan.expired.append((proposal, _("Item kamus usulannya tidak aktif lagi.")))
            elif carried_so_far >= limit:
                plan.expired.append((proposal, _expired_note(limit)))
            else:
                plan.carried.append(proposal)
    return plan


def _expired_note(limit: int) -> str:
    if limit == 0:
        return _("Usulan tidak dibawa ke siklus berikutnya menurut pengaturan siklus.")
    return _("Sudah dibawa %(n)s kali, batas usulan dibawa ke siklus berikutnya.") % {"n": limit}


@transaction.atomic
def cycle_open_next(
    *,
    previous: Cycle,
    year: int,
    code_prefix: str,
    rw_opens: datetime.date,
    rw_closes: datetime.date,
    by: User,
) -> Cycle:
    """The planning office opens the kota's next cycle with the settings of `previous` (the
    kota's newest), carries its unfunded proposals forward, and expires what `previous` still
    had waiting for confirmation."""
    previous = Cycle.objects.select_for_update().select_related("kota").get(pk=previous.pk)
    cycle_open_check(
        previous=previous,
        year=year,
        code_prefix=code_prefix,
        rw_opens=rw_opens,
        rw_closes=rw_closes,
        by=by,
    )
    cycle = Cycle.objects.create(
        kota=previous.kota,
        year=year,
        code_prefix=code_prefix,
        rw_opens=rw_opens,
        rw_closes=rw_closes,
        **{name: getattr(previous, name) for name in INHERITED},
    )
    _expire_waiting(previous)
    carry_forward(previous=previous, cycle=cycle, by=by)
    return cycle


# The settings a new cycle takes from the one before (its dates are its own).
INHERITED = [
    "quota_kelurahan",
    "quota_kecamatan",
    "priority_needs_survey",
    "quorum_rembuk_rw",
    "quorum_pleno",
    "quorum_kelompok",
    "quorum_kecamatan",
    "legal_basis",
    "carry_over_cycles",
    "stale_progress_months",
    "minutes_number_pattern",
]


def cycle_open_check(
    *,
    previous: Cycle,
    year: int,
    code_prefix: str,
    rw_opens: datetime.date,
    rw_closes: datetime.date,
    by: User,
) -> None:
    """Raise WorkflowError if the next cycle cannot be opened so (the form asks it too)."""
    if rw_closes < rw_opens:
        raise WorkflowError(_("Tanggal tutup input RW tidak boleh sebelum tanggal buka."))
    if not reach(by).holds(Role.PLANNING, previous.kota.code):
        raise WorkflowError(_("Siklus baru dibuka oleh Suku Badan Perencanaan kota ini."))
    newest = Cycle.objects.filter(kota=previous.kota_id).order_by("-year").first()
    if newest != previous:
        raise WorkflowError(
            _("Siklus berikutnya dibuka dari siklus terbaru kota, musrenbang %(year)s.")
            % {"year": newest.year}
        )
    if year <= previous.year:
        raise WorkflowError(
            _("Tahun siklus baru harus setelah %(year)s.") % {"year": previous.year}
        )
    if Cycle.objects.filter(kota=previous.kota_id, year=year).exists():
        raise WorkflowError(_("Musrenbang %(year)s sudah ada.") % {"year": year})
    if Cycle.objects.filter(code_prefix__iexact=code_prefix).exists():
        raise WorkflowError(
            _("Awalan kode %(prefix)s sudah dipakai siklus lain.") % {"prefix": code_prefix}
        )


def carry_forward(*, previous: Cycle, cycle: Cycle, by: User) -> CarryPlan:
    """Carry `previous`'s unfunded proposals into `cycle` (see carry_plan): new rows waiting for
    their RW, their photos and documents referenced, both journeys told, each RW told once."""
    plan = carry_plan(previous)
    now = timezone.now()
    office = office_of(by, Role.PLANNING, previous.kota)
    copies = _copies(plan.carried, previous_year=previous.year, cycle=cycle, by=by, now=now)
    Proposal.objects.bulk_create(copies, batch_size=BATCH_SIZE)
    _copy_attachments(copies)
    with stored_language():
        events = [
            event
            for original, copy in zip(plan.carried, copies, strict=True)
            for event in _carry_events(original, copy, office=office, by=by, now=now)
        ]
        events += [
            Event(
                proposal=p,
                action=Event.Action.EXPIRED,
                actor=by,
                actor_office=office,
                at=now,
                note=note,
            )
            for p, note in plan.expired
        ]
    Event.objects.bulk_create(events, batch_size=BATCH_SIZE)
    _tell_rws(copies, cycle=cycle, previous=previous)
    if copies:
        audit.record_change(
            cycle,
            {"last_number": [copies[0].number - 1, copies[-1].number]},
            {"carried": {"from": previous.year, "count": len(copies)}},
        )
    return plan


def _copies(
    originals: list[Proposal], *, previous_year: int, cycle: Cycle, by: User, now
) -> list[Proposal]:
    first = _allocate_numbers(cycle, len(originals)) if originals else 0
    copies = []
    for offset, original in enumerate(originals):
        number = first + offset
        copy = Proposal(
            cycle=cycle,
            number=number,
            code=proposal_code(cycle, number),
            status=Status.CARRIED,
            carried_from=original,
            first_year=original.first_year or previous_year,
            created_by=by,
            created_at=now,
        )
        for name in COPIED:
            setattr(copy, name, getattr(original, name))
        copies.append(copy)
    return copies


def _copy_attachments(copies: list[Proposal]) -> None:
    """The RW's own photos and documents go along, referencing the same stored files (a
    survey's photo and realisation photos stay with the cycle they were taken in)."""
    new_id = {copy.carried_from_id: copy.pk for copy in copies}
    if not new_id:
        return
    kept = (
        Attachment.objects.filter(proposal_id__in=new_id, progress__isnull=True)
        .exclude(
            pk__in=Survey.objects.filter(proposal_id__in=new_id, photo__isnull=False).values(
                "photo_id"
            )
        )
        .order_by("pk")
    )
    Attachment.objects.bulk_create(
        [
            Attachment(
                proposal_id=new_id[a.proposal_id],
                token=uuid.uuid4().hex,
                kind=a.kind,
                content_type=a.content_type,
                file=a.file.name,
                original_name=a.original_name,
                size=a.size,
                uploaded_by_id=a.uploaded_by_id,
                uploaded_at=a.uploaded_at,
            )
            for a in kept
        ],
        batch_size=BATCH_SIZE,
    )


def _carry_events(original: Proposal, copy: Proposal, *, office: str, by: User, now) -> list:
    return [
        Event(
            proposal=original,
            action=Event.Action.CARRIED,
            actor=by,
            actor_office=office,
            at=now,
            note=_("Dibawa ke musrenbang %(year)s sebagai %(code)s")
            % {"year": copy.cycle.year, "code": copy.code},
        ),
        Event(
            proposal=copy,
            action=Event.Action.CARRIED,
            actor=by,
            actor_office=office,
            at=now,
            note=_("Dibawa dari %(code)s (musrenbang %(year)s)")
            % {"code": original.code, "year": original.cycle.year},
        ),
    ]


def _tell_rws(copies: list[Proposal], *, cycle: Cycle, previous: Cycle) -> None:
    """One notice per RW with carried proposals, whatever their number."""
    per_rw: dict[int, int] = {}
    for copy in copies:
        per_rw[copy.rw_id] = per_rw.get(copy.rw_id, 0) + 1
    if not per_rw:
        return
    holders = holders_by(Role.RW, areas=per_rw)
    url = reverse("proposals:carried")
    with stored_language():
        window = {
            "opens": date_format(cycle.rw_opens, "j F Y"),
            "closes": date_format(cycle.rw_closes, "j F Y"),
        }
        messages = [
            Message(
                holders.get(rw_id, []),
                kind="carried",
                subject=_("%(n)s usulan bawaan menunggu konfirmasi") % {"n": n},
                text=_(
                    "%(n)s usulan RW Anda dari musrenbang %(previous)s yang belum terakomodir "
                    "dibawa ke musrenbang %(year)s. Pilih untuk setiap usulan: tetap diusulkan "
                    "atau ditarik, antara %(opens)s dan %(closes)s. Usulan yang tidak "
                    "dikonfirmasi sampai masa itu berakhir menjadi kedaluwarsa."
                )
                % {"n": n, "previous": previous.year, "year": cycle.year, **window},
                url=url,
            )
            for rw_id, n in per_rw.items()
            if holders.get(rw_id)
        ]
    notify_all(messages)


# -- The RW's confirmation ----------------------------------------------------------------------


def waiting_for(user: User, cycle: Cycle):
    """The carried proposals of the user's RWs in `cycle` that wait for confirmation."""
    return Proposal.objects.actionable_by(user, Role.RW).filter(cycle=cycle, status=Status.CARRIED)


def waiting_for_any(cycle: Cycle):
    """Every carried proposal of `cycle` still waiting for its RW."""
    return Proposal.objects.filter(cycle=cycle, status=Status.CARRIED)


def _check_carried(proposal: Proposal, by: User) -> None:
    if not reach(by).holds(Role.RW, proposal.rw.code):
        raise WorkflowError(_("Anda bukan pengurus RW ini."))
    if proposal.status != Status.CARRIED:
        raise WorkflowError(_("Usulan ini tidak sedang menunggu konfirmasi RW."))
    _check_window(proposal.cycle)


@transaction.atomic
def carried_confirm(*, proposal: Proposal, by: User) -> Proposal:
    """The RW keeps the carried proposal: it goes to the lurah as a submitted proposal does."""
    proposal = _locked(proposal)
    _check_carried(proposal, by)
    return hand_to_kelurahan(proposal, by=by, action=Event.Action.CONFIRMED)


@transaction.atomic
def carried_confirm_all(*, cycle: Cycle, by: User) -> int:
    """The RW keeps every carried proposal of its RWs in the cycle; returns how many."""
    _check_window(cycle)
    count = 0
    for proposal in waiting_for(by, cycle).select_for_update().select_related("rw", "cycle"):
        hand_to_kelurahan(proposal, by=by, action=Event.Action.CONFIRMED)
        count += 1
    return count


@transaction.atomic
def carried_withdraw(*, proposal: Proposal, by: User, reason: str = "") -> Proposal:
    """The RW no longer proposes the carried proposal (a reason is optional)."""
    proposal = _locked(proposal)
    _check_carried(proposal, by)
    proposal.status = Status.WITHDRAWN
    proposal.save(update_fields=["status"])
    Event.objects.create(
        proposal=proposal,
        action=Event.Action.WITHDRAWN,
        actor=by,
        actor_office=office_of(by, Role.RW, proposal.rw),
        note=reason.strip(),
    )
    return proposal


# -- Expiry -------------------------------------------------------------------------------------


@transaction.atomic
def carried_expire(*, cycle: Cycle, today: datetime.date | None = None) -> int:
    """Once the cycle's RW window has closed, its carried proposals still waiting expire.
    Returns how many (0 while the window is open or has not begun)."""
    today = today or timezone.localdate()
    if today <= cycle.rw_closes:
        return 0
    return _expire_waiting(cycle)


def _expire_waiting(cycle: Cycle) -> int:
    waiting = list(waiting_for_any(cycle).select_for_update().only("pk", "code"))
    if not waiting:
        return 0
    Proposal.objects.filter(pk__in=[p.pk for p in waiting]).update(status=Status.EXPIRED)
    now = timezone.now()
    with stored_language():
        office = office_of(None, Role.PLANNING, cycle.kota)
        note = _("Tidak dikonfirmasi RW sampai masa input ditutup (%(date)s).") % {
            "date": date_format(cycle.rw_closes, "j F Y")
        }
    Event.objects.bulk_create(
        [
            Event(proposal=p, action=Event.Action.EXPIRED, actor_office=office, at=now, note=note)
            for p in waiting
        ],
        batch_size=BATCH_SIZE,
    )
    audit.record_change(
        cycle,
        {},
        {"carried_expired": {"count": len(waiting), "codes": [p.code for p in waiting][:1000]}},
    )
    return len(waiting)


def cycles_to_expire(today: datetime.date | None = None):
    """The cycles whose RW window has closed while carried proposals still wait."""
    today = today or timezone.localdate()
    return Cycle.objects.filter(
        rw_closes__lt=today,
        pk__in=Proposal.objects.filter(status=Status.CARRIED).values("cycle_id"),
    ).select_related("kota")
