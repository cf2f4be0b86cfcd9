"""Read side of the public tracker: what anyone may look up, and how a proposal's fate reads.

Nothing here names a person: only offices (the events' `actor_office`), areas and sessions.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from areas.models import Area, Level
from proposals.models import (
    Attachment,
    Cycle,
    Event,
    Progress,
    Proposal,
    Realisation,
    Status,
    Survey,
)
from proposals.models import Decision as FinalDecision
from proposals.realisation import ACCOMMODATED, reports_of
from sessions.models import Candidate, Decision, Kind, Sidang, State

# A proposal code as stored: the cycle's prefix, a hyphen and the number ("JP24-00417").
CODE_SHAPE = re.compile(r"[A-Z0-9][A-Z0-9-]{0,19}")
# An attachment's token as stored: up to 32 letters and digits (a uuid4's hex).
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9]{1,32}")


def normalize_code(raw: str) -> str | None:
    """The code as typed (" jp24 - 00417 ") in its stored form, or None if it cannot be one."""
    code = re.sub(r"\s*-\s*|\s+", "-", raw.strip()).upper()
    return code if CODE_SHAPE.fullmatch(code) else None


def public_proposals() -> QuerySet[Proposal]:
    """What anyone may find: every proposal its RW has submitted, never a draft."""
    return Proposal.objects.exclude(status=Status.DRAFT)


def proposal_by_code(raw: str) -> Proposal | None:
    """The public proposal with this code (any case), with what its page shows, in one query."""
    code = normalize_code(raw)
    if code is None:
        return None
    return (
        public_proposals()
        .select_related(
            "cycle__kota",
            "rw",
            "kelurahan",
            "kecamatan",
            "target_unit",
            "survey",
            "decision__merged_into",
            "realisation__unit",
            "carried_from__cycle",
            "carried_to",
        )
        .filter(code__iexact=code)
        .first()
    )


# -- What became of the proposals the planning office accommodated: public, photos included.


def public_realisation(proposal: Proposal) -> Realisation | None:
    """The proposal's realisation, while it stands accommodated."""
    if proposal.status not in ACCOMMODATED:
        return None
    return getattr(proposal, "realisation", None)


def public_photo(code: str, token: str) -> Attachment | None:
    """A photo of a realisation report of the accommodated proposal with this code; any other
    file (a proposal's or a survey's photo, a document) stays with the officials."""
    if not CODE_SHAPE.fullmatch(code) or not TOKEN_SHAPE.fullmatch(token):
        return None  # what no stored code or token looks like is not looked up
    return (
        Attachment.objects.filter(
            proposal__code=code,
            proposal__status__in=ACCOMMODATED,
            progress__isnull=False,
            kind=Attachment.Kind.PHOTO,
            token=token,
        )
        .select_related("proposal")
        .first()
    )


# -- Search by area --------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaSelect:
    """One select of the search form: kecamatan, kelurahan or RW, and what was chosen."""

    name: str
    label: str
    empty_label: str
    options: list[tuple[int, str]]
    chosen: Area | None


@dataclass
class AreaSearch:
    """The selects to show (each only once the one above is chosen) and the chosen RW."""

    kota: Area | None = None
    selects: list[AreaSelect] = field(default_factory=list)

    def offer(self, name, label, empty_label, options, chosen, caption=None) -> Area | None:
        """Add the select of one level; the area chosen there (None if none)."""
        caption = caption or (lambda area: area.name)
        self.selects.append(
            AreaSelect(name, label, empty_label, [(a.pk, caption(a)) for a in options], chosen)
        )
        return chosen

    def chosen(self, name: str) -> Area | None:
        return next((select.chosen for select in self.selects if select.name == name), None)

    @property
    def kelurahan(self) -> Area | None:
        return self.chosen(Level.KELURAHAN)

    @property
    def rw(self) -> Area | None:
        return self.chosen(Level.RW)

    @property
    def rw_label(self) -> str:
        return _rw_label(self.rw) if self.rw else ""


def _pick(options: list[Area], raw: str | None) -> Area | None:
    """The option whose id was sent; anything else (text, an id elsewhere) chooses nothing."""
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        return None
    return next((area for area in options if area.pk == pk), None)


def _rw_number(rw: Area) -> str:
    return rw.code.rsplit(".", 1)[-1]


def _rw_label(rw: Area) -> str:
    return _("RW %(number)s") % {"number": _rw_number(rw)}


# Below the kota, each select narrowing the next: the level, its label, its empty choice and
# how it names an option.
CASCADE = [
    (Level.KECAMATAN, _("Kecamatan"), _("Pilih kecamatan"), None),
    (Level.KELURAHAN, _("Kelurahan"), _("Pilih kelurahan"), None),
    (Level.RW, _("RW"), _("Pilih RW"), _rw_label),
]


def _kota_of(kecamatan_pk, kota_options: list[Area]) -> Area | None:
    """The kota of the kecamatan sent, when that kota holds a cycle (a link names no kota)."""
    try:
        parent_id = Area.objects.values_list("parent_id", flat=True).get(pk=int(kecamatan_pk))
    except (TypeError, ValueError, Area.DoesNotExist):
        return None
    return next((kota for kota in kota_options if kota.pk == parent_id), None)


def _choose_kota(search: AreaSearch, kota_options: list[Area], params: Mapping) -> Area | None:
    """The one kota that holds a cycle; among several, the one chosen (or the kecamatan's)."""
    if len(kota_options) < 2:
        return next(iter(kota_options), None)
    chosen = _pick(kota_options, params.get("kota"))
    chosen = chosen or _kota_of(params.get("kecamatan"), kota_options)
    return search.offer("kota", _("Kota/Kabupaten"), _("Pilih kota"), kota_options, chosen)


def area_search(params: Mapping) -> AreaSearch:
    """Kota → kecamatan → kelurahan → RW, each narrowing the next, among the kota that hold a
    musrenbang cycle; the kota is asked only when there is more than one.

    A kelurahan outside the chosen kecamatan (left over when only the kecamatan changed) is
    simply not chosen, and likewise an RW.
    """
    areas = Area.objects.only("pk", "code", "name", "level", "parent_id")
    kota_options = list(areas.filter(pk__in=Cycle.objects.values("kota_id")).order_by("code"))
    search = AreaSearch()
    search.kota = parent = _choose_kota(search, kota_options, params)
    for level, label, empty_label, caption in CASCADE:
        if parent is None:
            break
        options = list(areas.filter(level=level, parent=parent))
        chosen = _pick(options, params.get(level.value))
        parent = search.offer(level.value, label, empty_label, options, chosen, caption)
    return search


def rw_proposals(rw: Area) -> QuerySet[Proposal]:
    """The RW's submitted proposals for the result list, newest cycle first."""
    return (
        public_proposals()
        .filter(rw=rw)
        .only("pk", "code", "title", "category", "source", "status", "number", "cycle_id")
        .order_by("-cycle__year", "number")
    )


# -- One proposal's journey ------------------------------------------------------------------


@dataclass(frozen=True)
class Candidacy:
    """The proposal on the table of one closed sidang, with that sidang's berita acara."""

    sidang: Sidang
    rank: int | None
    decision: str
    reason: str
    minutes_url: str | None
    minutes_pdf_url: str | None

    @property
    def summary(self) -> str:
        """The outcome as the public reads it: "Peringkat 2 — Utama (prioritas)"."""
        if self.rank is None:
            return self.decision
        return _("Peringkat %(rank)s — %(decision)s") % {
            "rank": self.rank,
            "decision": self.decision,
        }


@dataclass
class Track:
    """Everything the public page of one proposal shows."""

    proposal: Proposal
    journey: list[Event]
    candidacies: list[Candidacy]
    rw_number: str
    survey: Survey | None = None
    decision: FinalDecision | None = None
    realisation: Realisation | None = None
    reports: list[Progress] = field(default_factory=list)
    merged_from: list[Proposal] = field(default_factory=list)  # proposals merged into this one

    def candidacy_in(self, kind: str) -> Candidacy | None:
        return next((c for c in self.candidacies if c.sidang.kind == kind), None)

    @property
    def kelompok(self) -> Candidacy | None:
        return self.candidacy_in(Kind.KELOMPOK)

    @property
    def kecamatan(self) -> Candidacy | None:
        return self.candidacy_in(Kind.KECAMATAN)


def _candidacy(candidate: Candidate) -> Candidacy:
    minutes = getattr(candidate.sidang, "minutes", None)
    return Candidacy(
        sidang=candidate.sidang,
        rank=candidate.rank,
        decision=Decision(candidate.decision).label if candidate.decision else "",
        reason=candidate.reason,
        minutes_url=minutes.get_absolute_url() if minutes else None,
        minutes_pdf_url=(
            reverse("sessions:verify_download", args=[minutes.code]) if minutes else None
        ),
    )


def track(proposal: Proposal) -> Track:
    """The proposal's journey and its candidacies in closed sessions (open ones may change)."""
    candidates = (
        Candidate.objects.filter(proposal=proposal, sidang__state=State.CLOSED)
        .select_related("sidang__area", "sidang__minutes")
        .order_by("sidang__starts_at", "sidang__pk")
    )
    realisation = public_realisation(proposal)
    return Track(
        proposal=proposal,
        journey=list(proposal.journey()),
        candidacies=[_candidacy(c) for c in candidates],
        rw_number=_rw_number(proposal.rw),
        survey=getattr(proposal, "survey", None),
        decision=getattr(proposal, "decision", None),
        merged_from=list(
            public_proposals()
            .filter(decision__merged_into=proposal)
            .only("pk", "code", "title")
            .order_by("code")
        ),
        realisation=realisation,
        reports=reports_of(realisation) if realisation else [],
    )
