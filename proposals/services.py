"""Writes over proposals: entry by the RW, validation by the lurah, survey by the UKPD.

Each function is one transaction, takes keyword arguments only, and raises WorkflowError with a
message for the official when the step is not allowed.
"""

import copy
import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from areas import audit
from areas.models import Area, Dapil, Role, TechnicalUnit, User
from areas.scope import reach
from proposals import decisions, notify
from proposals.images import ImageRefused, image_check, photo_prepare
from proposals.models import (
    Attachment,
    CatalogueItem,
    Cycle,
    Decision,
    Event,
    Progress,
    Proposal,
    Recommendation,
    Status,
    SubActivity,
    Survey,
    rupiah_cost,
)
from proposals.signals import proposal_accepted


class WorkflowError(Exception):
    """A step the official may not take now; the message says why, in their language."""


def office_of(user: User, role: str, area: Area | None = None) -> str:
    """The office a user acts in, as the public may read it ("Lurah Kenari"), never a name.

    Stored in the journey, it is written in the project's language whichever language the
    official's screen shows, so that the record does not change language from step to step."""
    with translation.override(settings.LANGUAGE_CODE):
        return _office(user, role, area)


def _office(user: User, role: str, area: Area | None) -> str:
    if role == Role.UKPD:
        assignment = user.assignments.filter(role=Role.UKPD).select_related("unit").first()
        return assignment.unit.name if assignment else Role(role).label
    if area is None:
        return str(Role(role).label)
    if area.level == "kota":  # "… Kota Jakarta Pusat"
        return f"{Role(role).label} {area.name.removeprefix('Kota Administrasi ')}"
    if area.level == "rw":  # "Ketua RW 007 Kenari"
        return f"{Role(role).label} {area.code.rsplit('.', 1)[-1]} {area.parent.name}"
    return f"{Role(role).label} {area.name}"


def _event(proposal: Proposal, action: str, by: User | None, office: str, note: str = "") -> None:
    Event.objects.create(proposal=proposal, action=action, actor=by, actor_office=office, note=note)


def _allocate_numbers(cycle: Cycle, count: int) -> int:
    """Reserve `count` consecutive proposal numbers in the cycle; returns the first.

    One UPDATE … RETURNING (PostgreSQL; SQLite ≥ 3.35): the row stays locked until the
    transaction ends, so two writers never get the same numbers."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Cycle._meta.db_table} SET last_number = last_number + %s WHERE id = %s "
            "RETURNING last_number",
            [count, cycle.pk],
        )
        (last,) = cursor.fetchone()
    return last - count + 1


def proposal_code(cycle: Cycle, number: int) -> str:
    return f"{cycle.code_prefix}-{number:05d}"


# -- Attachments ------------------------------------------------------------------------------

_SIGNATURES = [
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
]


def sniff_content_type(upload: UploadedFile) -> str:
    """The file's type from its content (never from its name), or WorkflowError: over 5 MB, of
    another type, or an image damaged or too large in pixels (read from its header only)."""
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise WorkflowError(_("Berkas %(name)s lebih dari 5 MB.") % {"name": upload.name})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = next((ct for sig, ct in _SIGNATURES if head.startswith(sig)), None)
    if content_type is None:
        raise WorkflowError(_("Berkas %(name)s bukan JPEG, PNG atau PDF.") % {"name": upload.name})
    if content_type.startswith("image/"):
        try:
            image_check(_read(upload), upload.name)
        except ImageRefused as error:
            raise WorkflowError(str(error)) from error
    return content_type


def _read(upload: UploadedFile) -> bytes:
    upload.seek(0)
    try:
        return upload.read()
    finally:
        upload.seek(0)


def attachment_add(
    *,
    proposal: Proposal,
    upload: UploadedFile,
    by: User,
    locate: bool = False,
    progress: Progress | None = None,
) -> Attachment:
    """Store a photo or document of the proposal (of one of its realisation reports, with
    `progress`); WorkflowError if the file cannot be kept.

    A photo is stored as images.photo_prepare makes it (upright, downscaled, without EXIF); the
    original is not kept. With `locate`, a proposal without coordinates takes the photo's GPS
    position, when the camera recorded one inside DKI Jakarta."""
    content_type = sniff_content_type(upload)
    content = upload
    if content_type.startswith("image/"):
        try:
            photo = photo_prepare(_read(upload), upload.name)
        except ImageRefused as error:
            raise WorkflowError(str(error)) from error
        content_type, content = photo.content_type, ContentFile(photo.content)
        if locate and photo.location and proposal.latitude is None and proposal.longitude is None:
            proposal.latitude, proposal.longitude = photo.location
            proposal.save(update_fields=["latitude", "longitude"])
    attachment = Attachment(
        proposal=proposal,
        progress=progress,
        token=uuid.uuid4().hex,
        kind=Attachment.Kind.PHOTO if content_type.startswith("image/") else "document",
        content_type=content_type,
        original_name=upload.name[:200],
        size=content.size,
        uploaded_by=by,
    )
    attachment.file.save(attachment_filename(attachment), content, save=False)
    attachment.save()
    return attachment


def attachment_filename(attachment: Attachment) -> str:
    return f"{attachment.token}.{attachment.extension}"


# -- Entry by the RW --------------------------------------------------------------------------


@dataclass
class ProposalData:
    """The fields an RW fills in (from the form or a spreadsheet row)."""

    title: str
    problem: str
    catalogue_item: CatalogueItem | None
    category: str
    target_unit_id: int
    address: str
    rt: str
    latitude: Decimal | None
    longitude: Decimal | None
    volume: Decimal
    measure: str
    unit_price: int
    beneficiaries: int

    def apply(self, proposal: Proposal) -> None:
        for name, value in vars(self).items():
            setattr(proposal, name, value)


def _check_rw(*, rw: Area, by: User) -> None:
    if not reach(by).holds(Role.RW, rw.code):
        raise WorkflowError(_("Anda bukan pengurus RW ini."))


def _check_may_edit(proposal: Proposal, by: User) -> None:
    if proposal.is_pokir:
        if not proposal.may_edit(by):
            raise WorkflowError(
                _(
                    "Pokir hanya dapat diubah oleh anggota DPRD (atau staf) dapilnya, "
                    "sebelum disurvei atau diputuskan."
                )
            )
        return
    _check_rw(rw=proposal.rw, by=by)
    if not proposal.may_edit(by):
        raise WorkflowError(_("Usulan yang sudah diajukan tidak dapat diubah oleh RW."))


def member_office(dapil: Dapil) -> str:
    """The office the journey names for a pokir, never a person: "Anggota DPRD Dapil DKI
    Jakarta 1"."""
    with notify.stored_language():
        return _("Anggota DPRD %(dapil)s") % {"dapil": dapil.name}


def _editor_office(proposal: Proposal, by: User) -> str:
    if proposal.is_pokir:
        return member_office(proposal.recess.dapil)
    return office_of(by, Role.RW, proposal.rw)


def _check_window(cycle: Cycle) -> None:
    if not cycle.rw_window_open():
        raise WorkflowError(
            _(
                "Masa input usulan RW %(year)s sudah ditutup atau belum dibuka "
                "(%(opens)s – %(closes)s)."
            )
            % {
                "year": cycle.year,
                "opens": date_format(cycle.rw_opens, "j F Y"),
                "closes": date_format(cycle.rw_closes, "j F Y"),
            }
        )


@transaction.atomic
def proposal_create(
    *, cycle: Cycle, rw: Area, data: ProposalData, by: User, uploads=()
) -> Proposal:
    """A new draft proposal of the RW, with its photos and documents."""
    _check_rw(rw=rw, by=by)
    _check_window(cycle)
    number = _allocate_numbers(cycle, 1)
    proposal = Proposal(
        cycle=cycle, number=number, code=proposal_code(cycle, number), rw=rw, created_by=by
    )
    data.apply(proposal)
    proposal.save()
    for upload in uploads:
        attachment_add(proposal=proposal, upload=upload, by=by, locate=True)
    _event(proposal, Event.Action.CREATED, by, office_of(by, Role.RW, rw))
    return proposal


def _locked(proposal: Proposal) -> Proposal:
    """The proposal re-read under a row lock, so two officials cannot both move it."""
    return Proposal.objects.select_for_update().select_related("rw", "cycle").get(pk=proposal.pk)


@transaction.atomic
def proposal_update(*, proposal: Proposal, data: ProposalData, by: User, uploads=()) -> Proposal:
    """The RW edits its draft (or a proposal returned to it); a DPRD member, their pokir until
    it is surveyed or decided (a recess is not bound to the RWs' entry window)."""
    proposal = _locked(proposal)
    _check_may_edit(proposal, by)
    if not proposal.is_pokir:
        _check_window(proposal.cycle)
    data.apply(proposal)
    proposal.save()
    for upload in uploads:
        attachment_add(proposal=proposal, upload=upload, by=by, locate=True)
    _event(proposal, Event.Action.EDITED, by, _editor_office(proposal, by))
    return proposal


@transaction.atomic
def proposal_submit(*, proposal: Proposal, by: User) -> Proposal:
    """The RW hands the proposal to its kelurahan; the RW's editing ends here."""
    proposal = _locked(proposal)
    if proposal.is_pokir:  # a pokir is at the kota already
        raise WorkflowError(_("Pokir tidak diajukan ke kelurahan."))
    _check_may_edit(proposal, by)
    _check_window(proposal.cycle)
    return hand_to_kelurahan(proposal, by=by, action=Event.Action.SUBMITTED)


def hand_to_kelurahan(proposal: Proposal, *, by: User, action: str, note: str = "") -> Proposal:
    """What submitting means, whether the RW submits a new proposal or confirms one carried
    over from the last cycle: the lurah's to validate from now on. Inside the caller's
    transaction, on a proposal it has locked and checked."""
    proposal.status = Status.SUBMITTED
    proposal.submitted_at = timezone.now()
    proposal.save(update_fields=["status", "submitted_at"])
    _event(proposal, action, by, office_of(by, Role.RW, proposal.rw), note)
    if settings.SURVEY_BEFORE_ACCEPTANCE:  # it joins the survey queue now (proposals/queues.py)
        notify.surveys_due_tell([proposal])
    return proposal


# -- Validation by the lurah ------------------------------------------------------------------


def _check_lurah(proposal: Proposal, by: User) -> None:
    if not reach(by).holds(Role.LURAH, proposal.rw.code):
        raise WorkflowError(_("Hanya lurah kelurahan ini yang dapat memvalidasi usulan."))
    if not proposal.may_validate(by):
        raise WorkflowError(_("Hanya usulan yang sedang diajukan yang dapat divalidasi."))


@transaction.atomic
def proposal_accept(*, proposal: Proposal, by: User, note: str = "") -> Proposal:
    """The lurah accepts the proposal as a candidate of the kelurahan."""
    return proposals_validate(proposals=[proposal], accept=True, by=by, note=note)[0]


@transaction.atomic
def proposal_return(*, proposal: Proposal, by: User, note: str) -> Proposal:
    """The lurah sends the proposal back to the RW, saying what to fix."""
    return proposals_validate(proposals=[proposal], accept=False, by=by, note=note)[0]


@transaction.atomic
def proposals_validate(
    *, proposals: list[Proposal], accept: bool, by: User, note: str = ""
) -> list[Proposal]:
    """The lurah accepts many submitted proposals at once, or returns them to their RWs with
    one note saying what to fix: all or none. Each gets its own journey entry and audit entry,
    and its RW its own notice; an accepted one joins an open sidang kelompok of its kelurahan.
    Returns the proposals as they now are. Raises WorkflowError naming every proposal that
    may not take the step."""
    note = note.strip()
    if not accept and not note:
        raise WorkflowError(_("Tuliskan catatan untuk RW: apa yang perlu diperbaiki."))
    if not proposals:
        raise WorkflowError(_("Pilih paling sedikit satu usulan."))
    if len(proposals) > decisions.MAX_BATCH:
        raise WorkflowError(
            _("Paling banyak %(max)s usulan divalidasi sekaligus.") % {"max": decisions.MAX_BATCH}
        )
    locked = list(
        Proposal.objects.select_for_update(of=("self",))
        .filter(pk__in=[p.pk for p in proposals])
        .select_related("rw__parent", "cycle")
        .order_by("pk")
    )
    _check_validation(locked, by)
    status = Status.ACCEPTED if accept else Status.RETURNED
    pairs = []
    for proposal in locked:
        before = copy.copy(proposal)
        proposal.status = status
        if not accept:
            proposal.submitted_at = None
        pairs.append((before, proposal))
    changed = {"status": status} if accept else {"status": status, "submitted_at": None}
    Proposal.objects.filter(pk__in=[p.pk for p in locked]).update(**changed)
    audit.record(pairs)
    offices = {}
    for proposal in locked:
        kelurahan = proposal.rw.parent
        if kelurahan.pk not in offices:
            offices[kelurahan.pk] = office_of(by, Role.LURAH, kelurahan)
    action = Event.Action.ACCEPTED if accept else Event.Action.RETURNED
    now = timezone.now()
    Event.objects.bulk_create(
        Event(
            proposal=p,
            action=action,
            actor=by,
            actor_office=offices[p.rw.parent_id],
            at=now,
            note=note,
        )
        for p in locked
    )
    said = notify.accepted_said if accept else notify.returned_said
    with notify.stored_language():
        notify.rw_tell_all(
            [said(p, note=note) for p in locked],
            kind="proposal_accepted" if accept else "proposal_returned",
        )
    if accept and not settings.SURVEY_BEFORE_ACCEPTANCE:
        notify.surveys_due_tell(locked)  # they join the survey queue now (proposals/queues.py)
    if accept:
        for proposal in locked:
            proposal_accepted.send(sender=Proposal, proposal=proposal)
    return locked


def _check_validation(proposals: list[Proposal], by: User) -> None:
    """WorkflowError unless the user is the lurah of every proposal and each awaits validation:
    one proposal's own reason, or the list of those refused among many."""
    refused = []
    for proposal in proposals:
        try:
            _check_lurah(proposal, by)
        except WorkflowError as error:
            refused.append((proposal, str(error)))
    if len(proposals) == 1 and refused:
        raise WorkflowError(refused[0][1])
    if refused:
        listed = "; ".join(f"{p.code} ({why})" for p, why in refused)
        raise WorkflowError(
            _("Tidak ada yang divalidasi. Usulan ini tidak dapat divalidasi: %(list)s")
            % {"list": listed}
        )


# -- Survey by the UKPD -----------------------------------------------------------------------


@dataclass
class SurveyData:
    surveyed_on: datetime.date
    findings: str
    recommendation: str
    reason: str
    reason_note: str
    revised_volume: Decimal


@transaction.atomic
def survey_record(
    *, proposal: Proposal, data: SurveyData, by: User, photo: UploadedFile | None = None
) -> Survey:
    """Record (or correct) the UKPD's survey of a physical proposal."""
    proposal = _locked(proposal)
    if proposal.target_unit_id not in reach(by).unit_ids:
        raise WorkflowError(_("Usulan ini bukan tugas survei UKPD Anda."))
    if not proposal.needs_survey:
        raise WorkflowError(_("Hanya usulan fisik yang disurvei."))
    if not proposal.may_survey(by):
        raise WorkflowError(_("Usulan ini belum diajukan oleh RW."))
    if data.recommendation == Recommendation.RECOMMENDED:
        data.reason = ""
    elif not data.reason:
        raise WorkflowError(_("Pilih alasan bila usulan tidak direkomendasikan."))
    survey = Survey.objects.filter(proposal=proposal).first() or Survey(proposal=proposal)
    for name, value in vars(data).items():
        setattr(survey, name, value)
    survey.officer = by
    survey.revised_cost = rupiah_cost(data.revised_volume, proposal.unit_price)
    survey.recorded_at = timezone.now()
    if photo is not None:
        survey.photo = attachment_add(proposal=proposal, upload=photo, by=by)
    survey.save()
    proposal.recommendation = data.recommendation
    proposal.save(update_fields=["recommendation"])
    with translation.override(settings.LANGUAGE_CODE):  # a stored note: see office_of
        note = survey.get_recommendation_display()
        if survey.reason:
            note += f": {survey.get_reason_display()}"
    if survey.reason_note:
        note += f" — {survey.reason_note}"
    _event(proposal, Event.Action.SURVEYED, by, office_of(by, Role.UKPD), note)
    notify.surveyed_tell(proposal, outcome=note)
    return survey


# -- Final decision by the planning office ----------------------------------------------------


@transaction.atomic
def decision_record(
    *,
    proposal: Proposal,
    kind: str,
    by: User,
    reason: str = "",
    merged_into: Proposal | None = None,
    sub_activity: SubActivity | None = None,
    unit: TechnicalUnit | None = None,
    amount: int | None = None,
    budget_year: int | None = None,
) -> Decision:
    """The planning office decides what becomes of a priority forwarded by the kecamatan.

    Accommodated (Renja, current budget), it names the sub kegiatan, and the unit, amount and
    budget year unless the defaults do (decisions.budget_defaults); the proposal's realisation
    begins. Merged, it names the proposal it joins."""
    verdict = _verdict(kind, reason, merged_into, sub_activity, unit, amount, budget_year)
    proposals = decisions.locked([proposal.pk])
    refused = decisions.refusals(proposals, verdict, by=by)
    if refused:
        raise WorkflowError(next(iter(refused.values())))
    return decisions.decide(proposals, verdict, by=by, office=_planning_office(by))[0]


@transaction.atomic
def decision_record_many(
    *,
    proposals: list[Proposal],
    kind: str,
    by: User,
    reason: str = "",
    merged_into: Proposal | None = None,
    sub_activity: SubActivity | None = None,
    budget_year: int | None = None,
) -> list[Decision]:
    """One decision on many proposals, as decision_record takes it on each (each keeps its own
    unit and amount), or on none: the refusal lists every proposal that may not take it."""
    if not proposals:
        raise WorkflowError(_("Pilih paling sedikit satu usulan."))
    if len(proposals) > decisions.MAX_BATCH:
        raise WorkflowError(
            _("Paling banyak %(max)s usulan diputuskan sekaligus.") % {"max": decisions.MAX_BATCH}
        )
    verdict = _verdict(kind, reason, merged_into, sub_activity, None, None, budget_year)
    locked = decisions.locked([p.pk for p in proposals])
    refused = decisions.refusals(locked, verdict, by=by)
    if refused:
        listed = "; ".join(f"{p.code} ({why})" for p, why in refused.items())
        raise WorkflowError(
            _("Tidak ada yang diputuskan. Usulan ini tidak dapat diputuskan: %(list)s")
            % {"list": listed}
        )
    return decisions.decide(locked, verdict, by=by, office=_planning_office(by))


def _verdict(kind, reason, merged_into, sub_activity, unit, amount, budget_year):
    """The decision as recorded, or WorkflowError when it cannot be recorded on anything."""
    accommodated = kind in Decision.ACCOMMODATED
    verdict = decisions.Verdict(
        kind=kind,
        reason=reason.strip(),
        merged_into=merged_into if kind == Decision.Kind.MERGED else None,
        sub_activity=sub_activity if accommodated else None,
        unit=unit if accommodated else None,
        amount=amount if accommodated else None,
        budget_year=budget_year if accommodated else None,
    )
    refusal = decisions.verdict_refusal(verdict)
    if refusal:
        raise WorkflowError(refusal)
    return verdict


def _planning_office(by: User):
    return lambda kota: office_of(by, Role.PLANNING, kota)
