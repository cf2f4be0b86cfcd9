"""Session pages: the list, scheduling, the pleno pembuka of all kecamatan, one sidang, its start
and its closing.

Every sidang is fetched through visible_to(user): outside the user's reach it does not exist.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_tables2 import RequestConfig

from areas import audit
from areas.forms import CONTROL_CHARACTERS_MESSAGE, has_control_characters
from areas.models import Role
from areas.scope import reach
from proposals.models import Cycle
from proposals.tables import BoundedLazyPaginator
from sessions import services
from sessions.audit import sidang_trail
from sessions.forms import (
    CloseForm,
    PlenoPembukaForm,
    SidangCreateForm,
    SidangFilterForm,
    SidangForm,
    schedulable_kinds,
)
from sessions.models import Decision, Kind, Minutes, Mode, Sidang, State, sidang_title
from sessions.stages import stages_missing, upper_of
from sessions.tables import SidangTable

PER_PAGE = 50


def visible_sidang(request, pk: int) -> Sidang:
    """The sidang if the user may see it; 404 otherwise (also used by the attendance pages)."""
    return get_object_or_404(
        Sidang.objects.visible_to(request.user)
        .select_related("area__parent", "cycle", "closed_by", "ranking_saved_by")
        .with_ceiling(),
        pk=pk,
    )


def run_sidang(request, pk: int) -> Sidang:
    """The sidang for a change: 404 outside the user's reach, 403 to an official who sees it
    but does not run it (the camat looking at a kelurahan's sidang kelompok, say)."""
    sidang = visible_sidang(request, pk)
    if not sidang.may_run(request.user):
        raise PermissionDenied
    return sidang


class BadInput(Exception):
    """Input no form field checks (a reason typed in the ranking, say) that cannot be saved."""


def free_text(value: str, limit: int = 2000) -> str:
    """A reason typed by the official; a control character (which no keyboard types, and
    PostgreSQL cannot store as NUL) is refused like any other bad input, as the forms do."""
    if has_control_characters(value, multiline=True):
        raise BadInput(str(CONTROL_CHARACTERS_MESSAGE))
    return value[:limit]


def _plans_the_kota(user) -> bool:
    r = reach(user)
    return r.everything or Role.PLANNING in r.roles


@require_safe
@login_required
def sidang_list(request):
    filters = SidangFilterForm(request.GET, user=request.user)
    sessions = filters.filter(
        Sidang.objects.visible_to(request.user).select_related("area__parent", "cycle")
    )
    # Below 576 px each session is a card, as the proposals are ("Tables that fit", app.css).
    table = SidangTable(sessions, attrs={"class": f"{SidangTable.Meta.attrs['class']} table-cards"})
    RequestConfig(
        request, paginate={"per_page": PER_PAGE, "paginator_class": BoundedLazyPaginator}
    ).configure(table)
    return render(
        request,
        "sessions/list.html",
        {
            "table": table,
            "filter_form": filters,
            "may_schedule": bool(schedulable_kinds(request.user)),
            "may_schedule_all": _plans_the_kota(request.user),
        },
    )


@login_required
def sidang_create(request):
    cycle = Cycle.objects.current_for(request.user)
    if cycle is None or not schedulable_kinds(request.user):
        raise Http404
    form = SidangCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            sidang = services.sidang_schedule(
                cycle=cycle,
                kind=form.cleaned_data["kind"],
                area=form.cleaned_data["area"],
                data=form.sidang_data(),
                by=request.user,
            )
        except services.SessionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(sidang)s dijadwalkan.") % {"sidang": sidang})
            return redirect(sidang)
    return render(request, "sessions/form.html", {"form": form, "cycle": cycle})


@login_required
def pleno_pembuka_all(request):
    cycle = Cycle.objects.current_for(request.user)
    if cycle is None or not _plans_the_kota(request.user):
        raise Http404
    initial = {"mode": Mode.HYBRID, "time": "09:00", "date": cycle.pleno_pembuka_on}
    form = PlenoPembukaForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.pleno_pembuka_schedule_all(
                cycle=cycle, data=form.sidang_data(), by=request.user
            )
        except services.SessionError as error:
            form.add_error(None, str(error))
        else:
            if created:
                messages.success(
                    request,
                    _("Sidang pleno pembuka dijadwalkan serentak di %(count)s kecamatan.")
                    % {"count": len(created)},
                )
            else:
                messages.info(request, _("Setiap kecamatan sudah memiliki jadwal pleno pembuka."))
            url = reverse("sessions:list")
            return redirect(f"{url}?{urlencode({'kind': Kind.PLENO_PEMBUKA})}")
    return render(request, "sessions/pleno_pembuka.html", {"form": form, "cycle": cycle})


@require_safe
@login_required
def sidang_detail(request, pk):
    sidang = visible_sidang(request, pk)
    may_run = sidang.may_run(request.user)
    counts = sidang.participants.aggregate(
        listed=Count("pk"),
        participants=Count("pk", filter=Q(present=True)),
        delegates=Count("pk", filter=Q(is_delegate=True)),
    )
    if sidang.is_ranked:
        counts |= sidang.candidates.aggregate(
            candidates=Count("pk"), utama=Count("pk", filter=Q(decision=Decision.UTAMA))
        )
    in_progress = sidang.state == State.IN_PROGRESS
    scheduled = sidang.state == State.SCHEDULED
    return render(
        request,
        "sessions/detail.html",
        {
            "sidang": sidang,
            "active": "detail",
            "counts": counts,
            "may_run": may_run,
            "problems": services.closing_problems(sidang) if may_run and in_progress else [],
            "missing": stages_missing(sidang) if may_run and scheduled else [],
            "quorum": services.quorum_for(sidang.kind, sidang.cycle),
            "minutes": Minutes.objects.filter(sidang=sidang).first(),
            "history": audit.named_now(sidang_trail(sidang)[:100], sidang),
        },
    )


@login_required
def sidang_edit(request, pk):
    sidang = visible_sidang(request, pk)
    if not sidang.may_run(request.user):
        raise PermissionDenied
    if sidang.is_closed:
        messages.error(request, _("Sidang sudah ditutup; isinya tidak dapat diubah lagi."))
        return redirect(sidang)
    form = SidangForm(request.POST or None, initial=SidangForm.initial_for(sidang), sidang=sidang)
    if request.method == "POST" and form.is_valid():
        try:
            services.sidang_update(sidang=sidang, data=form.sidang_data(), by=request.user)
        except services.SessionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Perubahan data sidang disimpan."))
            return redirect(sidang)
    return render(request, "sessions/form.html", {"form": form, "sidang": sidang})


@login_required
@require_POST
def sidang_start(request, pk):
    sidang = run_sidang(request, pk)
    try:
        sidang = services.sidang_start(
            sidang=sidang,
            by=request.user,
            stage_exception=free_text(request.POST.get("stage_exception", "")),
        )
    except (services.SessionError, BadInput) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Sidang dimulai. Catat daftar hadir peserta."))
    return redirect(sidang)


@login_required
def sidang_close(request, pk):
    """Closing asks once more, saying what will happen, with a reason for every candidate
    still undecided; only the confirmed form closes."""
    sidang = run_sidang(request, pk)
    if sidang.state != State.IN_PROGRESS:
        messages.error(request, _("Hanya sidang yang sedang berlangsung yang dapat ditutup."))
        return redirect(sidang)
    pending = services.undecided(sidang) if sidang.is_ranked else []
    utama = sidang.candidates.filter(decision=Decision.UTAMA).count() if sidang.is_ranked else 0
    form = CloseForm(
        request.POST or None,
        initial={
            "shortfall_reason": sidang.shortfall_reason,
            "over_ceiling_reason": sidang.over_ceiling_reason,
        },
    )
    error, status = "", 200
    if request.method == "POST":
        try:
            reasons = _closing_reasons(request.POST, pending)
            services.sidang_close(
                sidang=sidang,
                by=request.user,
                shortfall_reason=free_text(request.POST.get("shortfall_reason", "")),
                reasons=reasons,
                over_ceiling_reason=free_text(request.POST.get("over_ceiling_reason", "")),
            )
        except (services.SessionError, BadInput) as failure:
            error, status = str(failure), 400
        else:
            messages.success(
                request,
                _("%(sidang)s ditutup. Isinya tidak dapat diubah lagi.") % {"sidang": sidang},
            )
            return redirect(sidang)
    context = {
        "sidang": sidang,
        "close_form": form,
        "pending": pending,
        "short_of_quota": sidang.is_ranked and utama < sidang.quota,
        "ceiling": services.ceiling_standing(sidang) if sidang.ceiling is not None else None,
        "reason_all": request.POST.get("reason-all", ""),
        "problems": [] if error else services.closing_problems(sidang),
        "error": error,
        "confirm": _closing_confirmation(sidang, pending, utama),
    }
    return render(request, "sessions/close.html", context, status=status)


def _closing_reasons(post, pending) -> dict[int, str]:
    """The reason typed for each undecided candidate, or the one typed for all of them."""
    common = free_text(post.get("reason-all", "")).strip()
    reasons = {}
    for candidate in pending:
        candidate.posted_reason = free_text(post.get(f"reason-{candidate.pk}", ""))
        reasons[candidate.pk] = candidate.posted_reason.strip() or common
    return reasons


def _closing_confirmation(sidang: Sidang, pending, utama: int) -> dict:
    happens = [_("Berita acara final dibuat, diberi nomor dan kode verifikasi, lalu disimpan.")]
    if sidang.is_ranked:
        happens.append(_forwarding_line(sidang, utama))
    if pending:
        happens.append(
            _("%(n)s calon yang belum diputuskan dicatat tidak diprioritaskan, dengan alasan Anda.")
            % {"n": len(pending)}
        )
    return {
        "title": _("Tutup %(sidang)s") % {"sidang": sidang},
        "subject": _("Periksa sekali lagi sebelum sidang ditutup."),
        "happens": happens,
        "final": _(
            "Setelah ditutup, data sidang, daftar hadir, peringkat dan berita acara tidak dapat "
            "diubah lagi."
        ),
        "action": reverse("sessions:close", args=[sidang.pk]),
        "button": _("Ya, tutup sidang"),
        "back": sidang.get_absolute_url(),
        "carry": [],
    }


def _forwarding_line(sidang: Sidang, utama: int) -> str:
    """Where the sidang's priorities go when it closes, as the confirmation says it."""
    if sidang.kind == Kind.KECAMATAN:
        return _("%(n)s usulan utama diteruskan ke Suku Badan Perencanaan kota.") % {"n": utama}
    upper = upper_of(sidang, lock=False)
    if upper is not None and upper.is_closed:
        return _(
            "%(upper)s sudah ditutup: %(n)s usulan utama menjadi prioritas kelurahan terlambat "
            "dan menunggu keputusan Suku Badan Perencanaan."
        ) % {"upper": upper, "n": utama}
    return _("%(n)s usulan utama diteruskan ke %(upper)s.") % {
        "n": utama,
        "upper": sidang_title(Kind.KECAMATAN, sidang.area.parent),
    }
