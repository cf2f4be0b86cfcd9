"""The ranking of a sidang kelompok or musrenbang kecamatan.

The ranking is one plain form: rank numbers, up/down buttons, scores and a decision per
candidate, one row each, so it works with the keyboard alone and without JavaScript. At the
musrenbang kecamatan each row also says where the candidate comes from: its kelurahan and its
rank in that kelurahan's sidang kelompok.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from proposals.models import Recommendation
from sessions import services
from sessions.ceilings import standing
from sessions.models import Candidate, Decision, Kind, State
from sessions.views import BadInput, free_text, run_sidang, visible_sidang


@dataclass
class Row:
    """One candidate as the form shows it (from the database, or as the official posted it)."""

    candidate: Candidate
    rank: int | None
    decision: str
    reason: str
    scores: dict[str, int]
    total: int | None = None  # the weighted score: as stored, or of the scores posted
    focus: str = ""  # the move button to focus after a move: "up" or "down"
    is_new: bool = False  # joined the table after the ranking was last saved
    cells: list = field(default_factory=list)  # (criterion, its score as text) per column

    @property
    def proposal(self):
        return self.candidate.proposal

    @property
    def survey(self):
        """The UKPD's survey of the proposal, or None (read with the candidates)."""
        return getattr(self.proposal, "survey", None)

    @property
    def volume(self) -> Decimal:
        """The volume the survey found, the proposed one while there is no survey."""
        return self.survey.revised_volume if self.survey else self.proposal.volume

    @property
    def cost(self) -> int:
        return self.proposal.planned_cost

    @property
    def awaits_survey(self) -> bool:
        """A physical proposal the UKPD has not surveyed yet."""
        return self.proposal.needs_survey and not self.proposal.recommendation

    @property
    def may_be_utama(self) -> bool:
        """Not when the survey advises against it, nor, when the cycle requires it, before a
        survey recommends a physical proposal (the rule the save applies)."""
        return not services.utama_refusal(self.proposal, self.candidate.sidang.cycle)

    @property
    def why_not_utama(self) -> str:
        """Why the Utama option is closed to this row, in a few words; "" when it is open."""
        if self.may_be_utama:
            return ""
        if self.proposal.recommendation == Recommendation.NOT_RECOMMENDED:
            return _("Tidak direkomendasikan survei: tidak dapat menjadi utama.")
        return _("Belum disurvei: paling tinggi cadangan.")


@dataclass(frozen=True)
class Weight:
    """A scoring criterion as a sidang's scores were given: its id, name and weight then."""

    pk: int
    name: str
    weight: int


def _shown_criteria(sidang, criteria) -> list:
    """The criteria the page heads its score columns with: the weights the sidang's scores
    were made with once it has scores, the cycle's criteria before that."""
    if not sidang.weights:
        return criteria
    position = {c.pk: i for i, c in enumerate(criteria)}
    weights = [Weight(int(pk), name, weight) for pk, (name, weight) in sidang.weights.items()]
    return sorted(weights, key=lambda w: (position.get(w.pk, len(position)), w.pk))


def _rows_from_db(candidates) -> list[Row]:
    return [Row(c, c.rank, c.decision, c.reason, dict(c.scores), c.score) for c in candidates]


def _int_or_none(value: str | None) -> int | None:
    """A whole number typed in a field, None when left empty; ValueError for anything else.
    ASCII digits only: isdigit() and int() would take "٣" or "３" too."""
    value = (value or "").strip()
    if not value:
        return None
    if not re.fullmatch(r"[0-9]{1,4}", value):
        raise ValueError(value)
    return int(value)


def _rows_from_post(post, candidates, criteria) -> list[Row]:
    # The messages are only translated when needed: this runs for every candidate on each save.
    decisions = {"", *Decision.values}
    rows = []
    for c in candidates:
        try:
            rank = _int_or_none(post.get(f"rank-{c.pk}"))
            if rank is not None and not 1 <= rank <= len(candidates):
                raise ValueError(rank)
        except ValueError:
            raise BadInput(
                _("Peringkat %(code)s harus bilangan bulat 1 sampai %(count)s.")
                % {"code": c.proposal.code, "count": len(candidates)}
            ) from None
        decision = post.get(f"decision-{c.pk}", "")
        if decision not in decisions:
            raise BadInput(_("Keputusan tidak dikenal."))
        scores = {}
        try:
            for criterion in criteria:
                value = _int_or_none(post.get(f"score-{c.pk}-{criterion.pk}"))
                if value is not None:
                    scores[str(criterion.pk)] = value
        except ValueError:
            raise BadInput(_("Nilai setiap kriteria 1 sampai 5.")) from None
        reason = free_text(post.get(f"reason-{c.pk}", ""))
        total = services.score_total(scores, criteria)
        rows.append(Row(c, rank, decision, reason, scores, total))
    return rows


def _in_order(rows: list[Row]) -> list[Row]:
    """Ranked rows by rank, then the unranked ones in their code order."""
    return sorted(rows, key=lambda r: (r.rank is None, r.rank or 0, r.proposal.code))


def _renumber(rows: list[Row]) -> None:
    for position, row in enumerate(rows, start=1):
        row.rank = position


def _apply_move(rows: list[Row], move: str) -> list[Row]:
    """ "up-<id>" / "down-<id>": swap the candidate with its neighbour; everyone gets a rank."""
    direction, _sep, candidate_id = move.partition("-")
    rows = _in_order(rows)
    index = next((i for i, r in enumerate(rows) if str(r.candidate.pk) == candidate_id), None)
    if index is None or direction not in ("up", "down"):
        raise BadInput(_("Usulan yang dipindahkan tidak ada dalam daftar."))
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(rows):
        rows[index], rows[other] = rows[other], rows[index]
    _renumber(rows)
    return rows


def _sort_by_score(rows: list[Row], criteria) -> list[Row]:
    rows = sorted(
        rows,
        key=lambda r: (-(services.score_total(r.scores, criteria) or -1), r.proposal.code),
    )
    _renumber(rows)
    return rows


def _mark(rows: list[Row], sidang, shown, focus: str) -> None:
    """What each row shows beyond its values: the move button to focus, whether it joined
    since the last save, and its score per criterion column."""
    direction, _sep, moved = focus.partition("-")
    # What joined matters while the ranking can still change; a closed table is final.
    saved_at = sidang.ranking_saved_at if sidang.state == State.IN_PROGRESS else None
    for i, row in enumerate(rows):
        if str(row.candidate.pk) == moved:
            # A button disabled at the top or the bottom cannot keep the focus: use the other.
            row.focus = direction
            if direction == "up" and i == 0:
                row.focus = "down"
            elif direction == "down" and i == len(rows) - 1:
                row.focus = "up"
        row.is_new = saved_at is not None and row.candidate.added_at > saved_at
        row.cells = [(c, str(row.scores.get(str(c.pk), ""))) for c in shown]


def _render(request, sidang, rows, criteria, *, version, status=200, focus="", **extra):
    rows = _in_order(rows)
    shown = _shown_criteria(sidang, criteria)
    _mark(rows, sidang, shown, focus)
    utama = [r for r in rows if r.decision == Decision.UTAMA]
    may_edit = sidang.state == State.IN_PROGRESS and sidang.may_run(request.user)
    by_kelurahan = sidang.kind == Kind.KECAMATAN
    context = {
        "sidang": sidang,
        "active": "ranking",
        "rows": rows,
        "criteria": shown,
        "decisions": Decision.choices,
        "utama_count": len(utama),
        "utama_cost": sum(r.cost for r in utama),
        "ceiling": standing(sidang.ceiling, ((r.decision, r.proposal) for r in rows)),
        "new_codes": [r.proposal.code for r in rows if r.is_new],
        "by_kelurahan": by_kelurahan,
        # The footer's total stands under the cost column: the columns before and after it.
        "columns_before_cost": 6 if by_kelurahan else 5,
        "columns_after_cost": (len(shown) + 1 if shown else 0) + 1,
        "may_edit": may_edit,
        "version": version,
        **extra,
    }
    return render(request, "sessions/ranking.html", context, status=status)


def _candidates(sidang):
    """The candidates with what their rows show, in one query however many there are: the
    proposal, its RW, UKPD and survey; at the kecamatan also its kelurahan, and its rank in
    that kelurahan's sidang kelompok."""
    candidates = sidang.candidates.select_related(
        "proposal__rw", "proposal__target_unit", "proposal__survey"
    )
    if sidang.kind == Kind.KECAMATAN:
        kelompok_rank = Candidate.objects.filter(
            sidang__cycle_id=sidang.cycle_id,
            sidang__kind=Kind.KELOMPOK,
            proposal_id=OuterRef("proposal_id"),
        ).values("rank")[:1]
        candidates = candidates.select_related("proposal__kelurahan").annotate(
            kelurahan_rank=Subquery(kelompok_rank)
        )
    return list(candidates.order_by("rank", "proposal__code"))


@login_required
def ranking(request, pk):
    sidang = (run_sidang if request.method == "POST" else visible_sidang)(request, pk)
    if not sidang.is_ranked:
        raise Http404
    criteria = list(sidang.cycle.criteria.all())
    candidates = _candidates(sidang)
    if request.method != "POST":
        return _render(
            request,
            sidang,
            _rows_from_db(candidates),
            criteria,
            version=sidang.ranking_version,
            focus=request.GET.get("fokus", ""),
        )
    return _ranking_save(request, sidang, candidates, criteria)


def _posted_rows(post, candidates, criteria) -> list[Row]:
    """The rows as posted, after the move or the sort the official asked for."""
    rows = _rows_from_post(post, candidates, criteria)
    if post.get("move"):
        return _apply_move(rows, post["move"])
    if post.get("action") == "sort_score":
        return _sort_by_score(rows, criteria)
    return rows


def _ranking_save(request, sidang, candidates, criteria):
    version = request.POST.get("version", "")
    rows = None
    try:
        rows = _posted_rows(request.POST, candidates, criteria)
        if not version.isdigit():
            raise BadInput(_("Halaman ini kedaluwarsa; muat ulang."))
        services.ranking_save(
            sidang=sidang,
            placements=[
                services.Placement(r.candidate.pk, r.rank, r.decision, r.reason, r.scores)
                for r in rows
            ],
            version=int(version),
            by=request.user,
            candidates=candidates,
            criteria=criteria,
        )
    except services.RankingConflict as conflict:
        # Told who came first, and shown the order as it now stands.
        current = conflict.sidang
        return _render(
            request,
            current,
            _rows_from_db(_candidates(current)),
            criteria,
            version=current.ranking_version,
            error=str(conflict),
            status=409,
        )
    except (services.SessionError, BadInput) as error:
        # Nothing saved, nothing lost: the official's entries come back with the reason.
        return _render(
            request,
            sidang,
            rows or _rows_from_db(candidates),
            criteria,
            version=version,
            error=str(error),
            status=400,
        )
    messages.success(request, _("Peringkat disimpan."))
    url = reverse("sessions:ranking", args=[sidang.pk])
    direction, _sep, moved = request.POST.get("move", "").partition("-")
    if moved:
        # No #fragment: Chromium skips autofocus on a URL that has one.
        return redirect(f"{url}?fokus={direction}-{moved}")
    return redirect(url)


@login_required
@require_POST
def candidates_refresh(request, pk):
    sidang = run_sidang(request, pk)
    try:
        added = services.candidates_refresh(sidang=sidang, by=request.user)
    except services.SessionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(count)s calon baru ditambahkan.") % {"count": added})
    return redirect("sessions:ranking", pk=sidang.pk)
