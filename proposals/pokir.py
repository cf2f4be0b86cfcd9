"""Pokir DPRD: a member's recess (reses) and the aspirations heard there, which enter the cycle
at the kota stage (the UKPD's survey, the planning office's final decision) beside the RWs'
proposals, marked by their source. Writes here follow services.py: one transaction, keyword
arguments, WorkflowError with the official's message."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from areas.models import Area, Dapil, Role, User
from areas.scope import reach
from notices.services import Message, holders_by, notify_all
from proposals import notify
from proposals.duplicates import similar_proposals
from proposals.models import Cycle, Event, Proposal, Recess, Source, Status
from proposals.services import (
    ProposalData,
    WorkflowError,
    _allocate_numbers,
    _event,
    attachment_add,
    member_office,
    proposal_code,
)


def dapils_of(user: User) -> list[Dapil]:
    """The dapils whose member (or staff) the user is."""
    return list(Dapil.objects.filter(pk__in=reach(user).dapil_ids).select_related("kota"))


def rw_choices(dapil: Dapil):
    """The RWs a pokir of the dapil may concern: those of its kecamatan."""
    return (
        Area.objects.rw()
        .filter(parent__parent__in=dapil.kecamatan.all())
        .select_related("parent__parent")
        .order_by("code")
    )


@transaction.atomic
def recess_create(
    *, cycle: Cycle, dapil: Dapil, member: str, held_on: datetime.date, place: str, by: User
) -> Recess:
    """Record a recess of a member of the dapil, whose aspirations are then entered."""
    if dapil.pk not in reach(by).dapil_ids:
        raise WorkflowError(_("Anda bukan anggota DPRD (atau staf) dapil ini."))
    if cycle.kota_id != dapil.kota_id:
        raise WorkflowError(_("Siklus musrenbang ini bukan dari kota dapil Anda."))
    if not member.strip() or not place.strip():
        raise WorkflowError(_("Tuliskan nama anggota DPRD dan tempat reses."))
    return Recess.objects.create(
        cycle=cycle,
        dapil=dapil,
        member=member.strip(),
        held_on=held_on,
        place=place.strip(),
        created_by=by,
    )


@transaction.atomic
def pokir_create(*, recess: Recess, rw: Area, data: ProposalData, by: User, uploads=()) -> Proposal:
    """One aspiration of the recess, for an RW of the dapil: at the kota stage at once (in its
    UKPD's survey queue when physical). One like an RW's proposal is flagged to the planning
    office, who may merge them by its final decision."""
    if recess.dapil_id not in reach(by).dapil_ids:
        raise WorkflowError(_("Anda bukan anggota DPRD (atau staf) dapil ini."))
    kecamatan_ids = set(recess.dapil.kecamatan.values_list("pk", flat=True))
    if rw.level != "rw" or rw.parent.parent_id not in kecamatan_ids:
        raise WorkflowError(_("RW yang dipilih tidak berada di dapil reses ini."))
    cycle = recess.cycle
    number = _allocate_numbers(cycle, 1)
    proposal = Proposal(
        cycle=cycle,
        number=number,
        code=proposal_code(cycle, number),
        rw=rw,
        created_by=by,
        source=Source.POKIR,
        recess=recess,
        status=Status.POKIR,
        submitted_at=timezone.now(),
    )
    data.apply(proposal)
    proposal.save()
    for upload in uploads:
        attachment_add(proposal=proposal, upload=upload, by=by, locate=True)
    _event(
        proposal,
        Event.Action.POKIR,
        by,
        member_office(recess.dapil),
        recess_note(recess),
    )
    if proposal.needs_survey:  # it joins its UKPD's survey queue now (proposals/queues.py)
        notify.surveys_due_tell([proposal])
    duplicates = rw_duplicates(proposal)
    if duplicates:
        duplicates_tell(proposal, duplicates)
    return proposal


def recess_note(recess: Recess) -> str:
    with notify.stored_language():
        return _("Reses %(date)s di %(place)s.") % {
            "date": date_format(recess.held_on, "j F Y"),
            "place": recess.place,
        }


def rw_duplicates(proposal: Proposal) -> list[Proposal]:
    """The RW proposals the pokir looks like (same RW and catalogue item, or a similar title in
    its kelurahan), as the planning office of its kota sees them."""
    office = _planning_reader(proposal)
    if office is None:
        return []
    return [p for p in similar_proposals(proposal, office) if p.source == Source.RW]


def _planning_reader(proposal: Proposal) -> User | None:
    people = holders_by(Role.PLANNING, areas=[proposal.kota_id]).get(proposal.kota_id, [])
    return people[0] if people else None


def duplicates_tell(proposal: Proposal, duplicates: list[Proposal]) -> None:
    """Tell the planning office of the kota that a pokir repeats RW proposals."""
    people = holders_by(Role.PLANNING, areas=[proposal.kota_id]).get(proposal.kota_id, [])
    with notify.stored_language():
        codes = ", ".join(p.code for p in duplicates)
        notify_all(
            [
                Message(
                    people,
                    kind="pokir_duplicate",
                    subject=_("%(code)s: pokir mirip usulan RW") % {"code": proposal.code},
                    text=_(
                        "Pokir %(code)s (%(title)s) mirip usulan RW %(others)s. Bila sama, "
                        "gabungkan melalui keputusan akhir: Digabung dengan usulan lain."
                    )
                    % {"code": proposal.code, "title": proposal.title, "others": codes},
                    url=proposal.get_absolute_url(),
                )
            ]
        )
