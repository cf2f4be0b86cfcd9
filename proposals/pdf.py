"""A proposal's receipt (tanda terima) as PDF: what the RW keeps once it has submitted, with
the code and the QR code that find the proposal on the public tracker.

Laid out by areas.pdf, like the berita acara, and always in Indonesian. Gathered in a fixed
number of queries: the proposal with its areas, the kop's areas and the submitting event.
"""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from areas.formatting import DAYS, date_short, rupiah, thousands
from areas.pdf import css_string, letterhead, qr_data_uri, render_pdf
from proposals.models import Event, Proposal, Status

# Statuses that were never submitted, or no longer are: the RW still holds the proposal.
NOT_SUBMITTED = (Status.DRAFT, Status.RETURNED, Status.CARRIED)
# The events by which a proposal reaches the kelurahan, the latest of which the receipt names.
HANDED_IN = (Event.Action.SUBMITTED, Event.Action.CONFIRMED, Event.Action.IMPORTED)
# What a receipt's proposal is read with.
RELATED = ("cycle", "rw__parent", "kelurahan", "kecamatan", "carried_from__cycle")


def has_receipt(proposal: Proposal) -> bool:
    """A receipt exists once the RW has submitted, whatever happened after; not for a draft,
    a proposal returned to the RW or one carried over and not yet confirmed. A pokir has none:
    no RW handed it to a kelurahan (its recess is its record)."""
    if proposal.is_pokir:
        return False
    return proposal.submitted_at is not None and proposal.status not in NOT_SUBMITTED


def tracker_url(code: str) -> str:
    """The proposal's public tracker page, in full, as a printed page gives it."""
    return settings.SITE_URL.rstrip("/") + reverse("tracker_proposal", args=[code])


def moment(when: datetime.datetime) -> str:
    """'Senin, 26 Februari 2024 pukul 09.30 WIB', in Jakarta's time."""
    local = timezone.localtime(when)
    time = local.strftime("%H.%M")
    return f"{DAYS[local.weekday()]}, {date_short(local.date())} pukul {time} WIB"


def submitted_by(proposal: Proposal) -> str:
    """The office that handed the proposal in ("Ketua RW 001 Kenari"), from its journey; for
    an imported one, the RW and who entered its spreadsheet row."""
    event = proposal.events.filter(action__in=HANDED_IN).order_by("-at", "-pk").first()
    rw_office = f"Ketua {proposal.rw.display_name}"
    if event is None:
        return rw_office
    if event.action == Event.Action.IMPORTED:
        return f"{rw_office}, dicatat oleh {event.actor_office} dari lembar kerja"
    return event.actor_office or rw_office


def carried_note(proposal: Proposal) -> str:
    """'Dibawa dari JP23-00012 (2023)' for a proposal carried over from an earlier cycle."""
    origin = proposal.carried_from
    if origin is None:
        return ""
    return f"Dibawa dari {origin.code} ({proposal.first_year or origin.cycle.year})"


def receipt_context(proposal: Proposal, *, printed_at: datetime.datetime) -> dict:
    """What the receipt prints, in the words of a government document."""
    kelurahan = proposal.kelurahan
    url = tracker_url(proposal.code)
    printed = moment(printed_at)
    return {
        "proposal": proposal,
        "kop": letterhead([*kelurahan.ancestors(), kelurahan]),
        "heading": f"TANDA TERIMA USULAN MUSRENBANG TAHUN {proposal.cycle.year}",
        "submitted": moment(proposal.submitted_at),
        "category": proposal.get_category_display(),
        "area": f"{proposal.rw.code.rsplit('.', 1)[-1]} / {kelurahan.name} / "
        f"{proposal.kecamatan.name}",
        "location": f"{proposal.address}, RT\u00a0{proposal.rt}"
        if proposal.rt
        else proposal.address,
        "volume": f"{thousands(proposal.volume)} {proposal.measure}",
        "cost": rupiah(proposal.cost),
        "submitted_by": submitted_by(proposal),
        "carried": carried_note(proposal),
        "tracker_url": url,
        "qr": qr_data_uri(url),
        "printed": printed,
        "footer": css_string(f"Tanda terima usulan {proposal.code} · dicetak {printed}"),
    }


def receipt_pdf(proposal: Proposal) -> bytes:
    """The receipt, one A4 page; `proposal` read with RELATED."""
    with translation.override("id"):  # the category's name, as the document reads
        context = receipt_context(proposal, printed_at=timezone.now())
    return render_pdf("pdf/tanda_terima.html", context)
