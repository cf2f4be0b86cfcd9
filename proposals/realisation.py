"""Realisation: the responsible unit reports how the work of an accommodated proposal goes.

Each report is appended (never edited), moves the proposal's Realisation to its stage and
percent, joins the proposal's public journey and tells its RW, all in one transaction.
"""

import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from areas.models import Role, User
from proposals.models import Decision, Event, Progress, Realisation, Stage
from proposals.notify import rw_tell, stored_language
from proposals.services import WorkflowError, attachment_add, office_of, sniff_content_type

FINAL = (Stage.DONE, Stage.CANCELLED)
MAX_PHOTOS = 5
# A realisation counts (in the recap, on the tracker, on a unit's home) while its proposal
# stands accommodated.
ACCOMMODATED = [Decision.STATUS[kind] for kind in Decision.ACCOMMODATED]


def standing() -> QuerySet[Realisation]:
    """The realisations of proposals that stand accommodated."""
    return Realisation.objects.filter(proposal__status__in=ACCOMMODATED)


def is_final(realisation: Realisation) -> bool:
    return realisation.stage in FINAL


def reports_of(realisation: Realisation) -> list[Progress]:
    """The realisation's reports, oldest first, each with its photos: two queries."""
    return list(
        Progress.objects.filter(realisation=realisation)
        .prefetch_related("photos")
        .order_by("reported_on", "pk")
    )


def first_report_day(realisation: Realisation) -> datetime.date:
    """The earliest date a report may carry: the day of the decision (else since when the
    proposal counts as accommodated), or the latest report's day."""
    decision = getattr(realisation.proposal, "decision", None)
    first = timezone.localdate(decision.decided_at) if decision else realisation.started_on
    return max(first, realisation.reported_on or first)


@transaction.atomic
def progress_record(
    *,
    realisation: Realisation,
    stage: str,
    percent: int,
    reported_on: datetime.date,
    note: str,
    reason: str,
    photos: list[UploadedFile],
    by: User,
) -> Progress:
    """The unit's report on the work: its stage, how far (%), on which day, and photos.
    Raises WorkflowError when the report may not be made or does not add up."""
    realisation = _locked(realisation, by)
    reason = reason.strip() if stage == Stage.CANCELLED else ""
    _check(realisation, stage=stage, percent=percent, reported_on=reported_on, reason=reason)
    _check_photos(photos)
    progress = Progress.objects.create(
        realisation=realisation,
        stage=stage,
        percent=percent,
        reported_on=reported_on,
        note=note.strip(),
        reason=reason,
        recorded_by=by,
    )
    for upload in photos:
        attachment_add(proposal=realisation.proposal, upload=upload, by=by, progress=progress)
    realisation.stage, realisation.percent, realisation.reported_on = stage, percent, reported_on
    realisation.save(update_fields=["stage", "percent", "reported_on"])
    _announce(realisation, progress, by)
    return progress


def _locked(realisation: Realisation, by: User) -> Realisation:
    """The realisation re-read under a row lock; only its unit's officers report on it."""
    locked = (
        Realisation.objects.select_for_update(of=("self",))
        .select_related("proposal__rw", "proposal__decision", "unit")
        .filter(pk=realisation.pk)
        .first()
    )
    if locked is None or not Realisation.objects.recordable_by(by).filter(pk=locked.pk).exists():
        raise WorkflowError(_("Realisasi usulan ini dilaporkan oleh UKPD pelaksananya."))
    if locked.proposal.status not in ACCOMMODATED:
        raise WorkflowError(_("Usulan ini tidak lagi diakomodir; realisasinya tidak dilaporkan."))
    return locked


def _check(realisation: Realisation, *, stage: str, percent: int, reported_on, reason: str) -> None:
    if is_final(realisation):
        raise WorkflowError(
            _("Realisasi usulan ini sudah %(stage)s; laporan baru tidak dapat ditambahkan.")
            % {"stage": realisation.get_stage_display().lower()}
        )
    if stage not in Stage.values:
        raise WorkflowError(_("Pilih tahap realisasi."))
    if not isinstance(percent, int) or not 0 <= percent <= 100:
        raise WorkflowError(_("Progres diisi 0 sampai 100 %."))
    if stage == Stage.DONE and percent != 100:
        raise WorkflowError(_("Tahap selesai berarti progres 100 %."))
    if stage == Stage.CANCELLED and not reason:
        raise WorkflowError(_("Tuliskan alasan pembatalan."))
    if stage != Stage.CANCELLED and percent < realisation.percent:
        raise WorkflowError(
            _("Progres tidak boleh mundur: laporan terakhir %(percent)s %%.")
            % {"percent": realisation.percent}
        )
    _check_day(realisation, reported_on)


def _check_day(realisation: Realisation, reported_on) -> None:
    first, today = first_report_day(realisation), timezone.localdate()
    if not isinstance(reported_on, datetime.date) or not first <= reported_on <= today:
        raise WorkflowError(
            _("Tanggal laporan antara %(first)s dan hari ini (%(today)s).")
            % {"first": date_format(first, "j F Y"), "today": date_format(today, "j F Y")}
        )


def _check_photos(photos: list[UploadedFile]) -> None:
    if len(photos) > MAX_PHOTOS:
        raise WorkflowError(_("Paling banyak %(n)s foto untuk satu laporan.") % {"n": MAX_PHOTOS})
    for upload in photos:
        if not sniff_content_type(upload).startswith("image/"):
            raise WorkflowError(
                _("Berkas %(name)s bukan foto JPEG atau PNG.") % {"name": upload.name}
            )


def summary(progress: Progress) -> str:
    """The report in one line, as the journey and the RW read it: "Pelaksanaan 60 %: …"."""
    line = f"{progress.get_stage_display()} {progress.percent} %"
    detail = progress.reason if progress.stage == Stage.CANCELLED else progress.note
    return f"{line}: {detail}" if detail else line


def _announce(realisation: Realisation, progress: Progress, by: User) -> None:
    """The step in the public journey, and a notice to the RW, in the project's language."""
    proposal = realisation.proposal
    with stored_language():
        note = summary(progress)
        Event.objects.create(
            proposal=proposal,
            action=Event.Action.PROGRESS,
            actor=by,
            actor_office=office_of(by, Role.UKPD),
            note=note,
        )
        rw_tell(
            proposal,
            kind="progress",
            subject=_("realisasi %(stage)s") % {"stage": progress.get_stage_display().lower()},
            text=_("%(unit)s melaporkan realisasi usulan %(title)s per %(date)s: %(summary)s")
            % {
                "unit": realisation.unit.name,
                "title": proposal.title,
                "date": date_format(progress.reported_on, "j F Y"),
                "summary": note,
            },
        )
