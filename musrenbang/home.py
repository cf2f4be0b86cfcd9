"""What needs doing now, per role: the panels of a signed-in official's home page; for a
read-only observer (Dewan Kota), a summary of how far the kota has come.

Each panel is built from a few aggregate queries over the official's scope (visible_to), so
the home page costs the same with 100 proposals or a million.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from areas.models import Role
from areas.scope import reach
from musrenbang.public.recap_format import count
from proposals.carry import NOT_TAKING_PART
from proposals.models import (
    Category,
    Cycle,
    Proposal,
    Realisation,
    Recommendation,
    Source,
    Status,
)
from proposals.queues import awaiting_survey, surveyed
from proposals.realisation import standing
from sessions.models import Kind, Sidang, State


@dataclass
class Item:
    label: str
    count: int | None = None
    url: str = ""
    note: str = ""


@dataclass
class Panel:
    title: str
    items: list[Item] = field(default_factory=list)
    sessions: list[Sidang] = field(default_factory=list)
    exceptions: list[Sidang] = field(default_factory=list)  # started out of stage order
    stale: "StaleRealisations | None" = None
    read_only: bool = False  # figures to follow, no work of the user's own


class Panels(list):
    """A user's panels, and what the page calls them: tasks, or for a user who only watches
    (the Dewan Kota) a summary."""

    @property
    def heading(self) -> str:
        if self and all(panel.read_only for panel in self):
            return _("Ringkasan")
        return _("Yang perlu dikerjakan")


@dataclass
class StaleRealisations:
    """A unit's accommodated proposals whose work has not moved: the oldest few, and how many."""

    months: int
    realisations: list[Realisation]
    count: int


STALE_SHOWN = 10


def _list_url(**params) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse("proposals:list") + (f"?{query}" if query else "")


def _rw_panel(user) -> Panel:
    mine = Proposal.objects.actionable_by(user, Role.RW)
    counts = mine.aggregate(
        drafts=Count("pk", filter=Q(status=Status.DRAFT)),
        returned=Count("pk", filter=Q(status=Status.RETURNED)),
        submitted=Count(
            "pk", filter=~Q(status__in=[Status.DRAFT, Status.RETURNED, *NOT_TAKING_PART])
        ),
        carried=Count("pk", filter=Q(status=Status.CARRIED)),
    )
    carried = [
        Item(
            _("Usulan bawaan menunggu konfirmasi"),
            counts["carried"],
            reverse("proposals:carried"),
        )
    ]
    return Panel(
        _("Usulan RW saya"),
        [
            *(carried if counts["carried"] else []),
            Item(_("Draf belum diajukan"), counts["drafts"], _list_url(status=Status.DRAFT)),
            Item(
                _("Dikembalikan kelurahan, perlu diperbaiki"),
                counts["returned"],
                _list_url(status=Status.RETURNED),
            ),
            Item(_("Sudah diajukan"), counts["submitted"], _list_url()),
            Item(_("Buat usulan baru"), None, reverse("proposals:create")),
        ],
    )


def _dprd_panel(user) -> Panel:
    """A DPRD member's recesses and their pokir, and where the pokir stand."""
    pokir = Proposal.objects.visible_to(user).filter(
        source=Source.POKIR, recess__dapil_id__in=reach(user).dapil_ids
    )
    counts = pokir.aggregate(
        total=Count("pk"),
        waiting=Count("pk", filter=Q(status=Status.POKIR)),
        accommodated=Count("pk", filter=Q(status__in=[Status.RENJA, Status.CURRENT_BUDGET])),
    )
    return Panel(
        _("Pokir DPRD dapil saya"),
        [
            Item(_("Pokir dicatat"), counts["total"], _list_url(source=Source.POKIR)),
            Item(
                _("Menunggu survei dan keputusan kota"),
                counts["waiting"],
                _list_url(source=Source.POKIR, status=Status.POKIR),
            ),
            Item(_("Diakomodir"), counts["accommodated"], _list_url(source=Source.POKIR)),
            Item(_("Catat reses dan pokirnya"), None, reverse("proposals:recess_list")),
        ],
    )


def _upcoming(sessions) -> list[Sidang]:
    return list(
        sessions.exclude(state=State.CLOSED)
        .select_related("area__parent")
        .order_by("starts_at")[:3]
    )


def _lurah_panel(user) -> Panel:
    mine = Proposal.objects.actionable_by(user, Role.LURAH)
    counts = mine.aggregate(
        awaiting=Count("pk", filter=Q(status=Status.SUBMITTED)),
        unsurveyed=Count("pk", filter=Q(category=Category.FISIK) & awaiting_survey()),
        accepted=Count("pk", filter=Q(status=Status.ACCEPTED)),
    )
    return Panel(
        _("Kelurahan"),
        [
            Item(
                _("Usulan menunggu validasi"),
                counts["awaiting"],
                _list_url(status=Status.SUBMITTED),
            ),
            Item(
                _("Usulan fisik belum disurvei UKPD"),
                counts["unsurveyed"],
                reverse("proposals:survey_queue"),
            ),
            Item(
                _("Calon sidang kelompok (diterima)"),
                counts["accepted"],
                _list_url(status=Status.ACCEPTED),
            ),
        ],
        _upcoming(Sidang.objects.run_by(user).filter(kind=Kind.KELOMPOK)),
    )


def _ukpd_panel(user) -> Panel:
    # The survey queue's own sets (proposals/queues.py), so each figure is its tab's count.
    queue = Proposal.objects.actionable_by(user, Role.UKPD).filter(category=Category.FISIK)
    counts = queue.aggregate(
        pending=Count("pk", filter=awaiting_survey()),
        recommended=Count("pk", filter=surveyed() & Q(recommendation=Recommendation.RECOMMENDED)),
        rejected=Count("pk", filter=surveyed() & Q(recommendation=Recommendation.NOT_RECOMMENDED)),
    )
    queue_url = reverse("proposals:survey_queue")
    return Panel(
        _("Survei UKPD"),
        [
            Item(_("Belum disurvei"), counts["pending"], queue_url),
            Item(_("Direkomendasikan"), counts["recommended"], queue_url + "?tampil=selesai"),
            Item(_("Tidak direkomendasikan"), counts["rejected"], queue_url + "?tampil=selesai"),
        ],
        stale=_stale_realisations(user),
    )


def _stale_realisations(user) -> StaleRealisations:
    """The unit's realisations not started, or without a report for the months the current
    cycle allows; three queries whatever their number."""
    cycle = Cycle.objects.current_for(user)
    months = cycle.stale_progress_months if cycle else Cycle.stale_progress_months.field.default
    mine = standing() & Realisation.objects.recordable_by(user)
    waiting = mine.stale(months=months) | mine.filter(stage="")
    oldest = (
        waiting.select_related("proposal")
        .annotate(last=Coalesce("reported_on", "started_on"))
        .order_by("last", "pk")
    )
    return StaleRealisations(months, list(oldest[:STALE_SHOWN]), waiting.count())


def _session_counts(sessions, kind) -> dict:
    return sessions.filter(kind=kind).aggregate(
        total=Count("pk"), held=Count("pk", filter=Q(state=State.CLOSED))
    )


def _camat_panel(user) -> Panel:
    visible = Sidang.objects.visible_to(user)
    kelompok = _session_counts(visible, Kind.KELOMPOK)
    list_url = reverse("sessions:list")
    return Panel(
        _("Kecamatan"),
        [
            Item(
                _("Sidang kelompok kelurahan sudah ditutup"),
                kelompok["held"],
                list_url + f"?kind={Kind.KELOMPOK}&state={State.CLOSED}",
                _("dari %(n)s terjadwal") % {"n": count(kelompok["total"])},
            ),
            Item(
                _("Sidang kelompok belum ditutup"),
                kelompok["total"] - kelompok["held"],
                list_url + f"?kind={Kind.KELOMPOK}",
            ),
            Item(
                _("Prioritas kelurahan menunggu musrenbang kecamatan"),
                Proposal.objects.visible_to(user).filter(status=Status.KELURAHAN_PRIORITY).count(),
                _list_url(status=Status.KELURAHAN_PRIORITY),
            ),
        ],
        _upcoming(Sidang.objects.run_by(user)),
    )


def _kota_panel(user, *, title: str, decide: bool) -> Panel:
    """The kota's progress: the planning office's to decide on, the observer's to follow."""
    proposals = Proposal.objects.visible_to(user).exclude(
        status__in=[Status.DRAFT, *NOT_TAKING_PART]
    )
    counts = proposals.aggregate(
        total=Count("pk"),
        awaiting=Count("pk", filter=Q(status=Status.SUBMITTED)),
        physical=Count("pk", filter=Q(category=Category.FISIK)),
        surveyed=Count("pk", filter=Q(category=Category.FISIK) & ~Q(recommendation="")),
        forwarded=Count("pk", filter=Q(status=Status.KECAMATAN_PRIORITY)),
        late=Count("pk", filter=Q(status=Status.KELURAHAN_LATE)),
        pokir=Count("pk", filter=Q(status=Status.POKIR)),
    )
    sessions = Sidang.objects.visible_to(user)
    kelompok = _session_counts(sessions, Kind.KELOMPOK)
    kecamatan = _session_counts(sessions, Kind.KECAMATAN)
    items = [
        Item(_("Usulan masuk"), counts["total"], _list_url()),
        Item(
            _("Menunggu validasi kelurahan"),
            counts["awaiting"],
            _list_url(status=Status.SUBMITTED),
        ),
        Item(
            _("Usulan fisik sudah disurvei"),
            counts["surveyed"],
            _list_url(category=Category.FISIK),
            _("dari %(n)s") % {"n": count(counts["physical"])},
        ),
        Item(
            _("Sidang kelompok ditutup"),
            kelompok["held"],
            reverse("sessions:list") + f"?kind={Kind.KELOMPOK}",
            _("dari %(n)s") % {"n": count(kelompok["total"])},
        ),
        Item(
            _("Musrenbang kecamatan ditutup"),
            kecamatan["held"],
            reverse("sessions:list") + f"?kind={Kind.KECAMATAN}",
            _("dari %(n)s") % {"n": count(kecamatan["total"])},
        ),
        Item(
            _("Prioritas kecamatan menunggu keputusan akhir")
            if decide
            else _("Prioritas kecamatan diteruskan ke kota"),
            counts["forwarded"],
            _list_url(status=Status.KECAMATAN_PRIORITY),
        ),
    ]
    if counts["late"]:
        items.append(
            Item(
                _("Prioritas kelurahan terlambat, menunggu keputusan akhir"),
                counts["late"],
                _list_url(status=Status.KELURAHAN_LATE),
                _("sidang kelompoknya ditutup setelah musrenbang kecamatan"),
            )
        )
    if counts["pokir"]:
        items.append(
            Item(
                _("Pokir DPRD menunggu keputusan akhir")
                if decide
                else _("Pokir DPRD di tingkat kota"),
                counts["pokir"],
                _list_url(status=Status.POKIR),
                _("dari reses anggota DPRD, tanpa sidang kelompok dan musrenbang kecamatan"),
            )
        )
    # Stages started before the one below had closed, with the runner's reason.
    exceptions = list(
        sessions.exclude(stage_exception="").select_related("area__parent").order_by("starts_at")
    )
    return Panel(title, items, exceptions=exceptions, read_only=not decide)


def panels_for(user) -> Panels:
    """The panels of every role the user holds, in the order of the process."""
    roles = reach(user).roles
    panels = Panels()
    if Role.RW in roles:
        panels.append(_rw_panel(user))
    if Role.LURAH in roles:
        panels.append(_lurah_panel(user))
    if Role.UKPD in roles:
        panels.append(_ukpd_panel(user))
    if Role.CAMAT in roles:
        panels.append(_camat_panel(user))
    if Role.DPRD in roles:
        panels.append(_dprd_panel(user))
    if Role.PLANNING in roles or user.is_superuser:
        panels.append(_kota_panel(user, title=_("Kemajuan kota"), decide=True))
    elif Role.OBSERVER in roles:
        panels.append(_kota_panel(user, title=_("Kemajuan kota (pantauan)"), decide=False))
    return panels
