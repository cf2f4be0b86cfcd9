"""Pages of the carry-over: the planning office opens the next cycle; the RW confirms or
withdraws the proposals carried into it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from areas.models import Role
from areas.scope import reach
from proposals import carry
from proposals.carry_forms import CarriedAnswerForm, CycleOpenForm
from proposals.duplicates import Subject, may_see_duplicates, similar_proposals
from proposals.models import Cycle, Proposal, Status
from proposals.services import ProposalData, WorkflowError


def _previous_cycle(user) -> Cycle:
    """The kota's newest cycle, for its planning office (anyone else: there is no such page)."""
    cycle = Cycle.objects.current_for(user)
    if cycle is None or not reach(user).holds(Role.PLANNING, cycle.kota.code):
        raise Http404
    return cycle


@login_required
def cycle_open(request):
    """The form, then what opening will do, then the new cycle."""
    previous = _previous_cycle(request.user)
    form = CycleOpenForm(request.POST or None, previous=previous, user=request.user)
    if request.method == "POST" and form.is_valid():
        if not request.POST.get("confirmed"):
            confirm = _open_confirmation(previous, form.cleaned_data)
            return render(request, "confirm.html", {"confirm": confirm})
        try:
            cycle = carry.cycle_open_next(previous=previous, by=request.user, **form.cleaned_data)
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Musrenbang %(year)s dibuka; %(n)s usulan dibawa dari musrenbang %(previous)s.")
                % {
                    "year": cycle.year,
                    "n": cycle.proposals.count(),
                    "previous": previous.year,
                },
            )
            return redirect("home")
    return render(request, "proposals/cycle_open.html", {"form": form, "previous": previous})


def _open_confirmation(previous: Cycle, data: dict) -> dict:
    plan = carry.carry_plan(previous)
    waiting = carry.waiting_for_any(previous).count()
    happens = [
        _("Musrenbang %(year)s dibuka dengan kode usulan %(prefix)s-00001 dan seterusnya.")
        % {"year": data["year"], "prefix": data["code_prefix"]},
        _("Masa input usulan RW: %(opens)s sampai %(closes)s.")
        % {
            "opens": date_format(data["rw_opens"], "j F Y"),
            "closes": date_format(data["rw_closes"], "j F Y"),
        },
        _(
            "%(n)s usulan yang belum terakomodir dibawa ke siklus baru dan menunggu konfirmasi "
            "RW; setiap RW yang memilikinya diberi tahu."
        )
        % {"n": len(plan.carried)},
        _("%(n)s usulan tidak dibawa lagi (kedaluwarsa).") % {"n": len(plan.expired)},
    ]
    if waiting:
        happens.append(
            _("%(n)s usulan bawaan musrenbang %(year)s yang belum dikonfirmasi RW kedaluwarsa.")
            % {"n": waiting, "year": previous.year}
        )
    return {
        "title": _("Buka musrenbang %(year)s") % {"year": data["year"]},
        "subject": _("Pengaturan disalin dari %(cycle)s.") % {"cycle": previous},
        "happens": happens,
        "final": _("Siklus baru dan usulan bawaannya tidak dapat dihapus dari halaman ini."),
        "action": reverse("proposals:cycle_open"),
        "button": _("Ya, buka siklus baru"),
        "back": reverse("proposals:cycle_open"),
        "carry": [
            ("year", data["year"]),
            ("code_prefix", data["code_prefix"]),
            ("rw_opens", data["rw_opens"].isoformat()),
            ("rw_closes", data["rw_closes"].isoformat()),
        ],
    }


def _rw_cycle(user) -> Cycle:
    """The cycle an RW's pengurus answers in (anyone without an RW: there is no such page)."""
    cycle = Cycle.objects.current_for(user)
    if cycle is None or Role.RW not in reach(user).roles:
        raise Http404
    return cycle


@login_required
def carried(request):
    """The RW's carried proposals waiting for an answer, and the answers (POST)."""
    cycle = _rw_cycle(request.user)
    form = CarriedAnswerForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            _answer(request, cycle, form.cleaned_data)
            return redirect("proposals:carried")
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    waiting = (
        carry.waiting_for(request.user, cycle)
        .select_related("rw__parent", "carried_from__cycle")
        .order_by("rw__code", "number")
    )
    return render(
        request,
        "proposals/carried.html",
        {"cycle": cycle, "waiting": waiting, "window_open": cycle.rw_window_open()},
        status=400 if request.method == "POST" else 200,
    )


def _answer(request, cycle: Cycle, data: dict) -> None:
    action = data["action"]
    try:
        if action == CarriedAnswerForm.CONFIRM_ALL:
            count = carry.carried_confirm_all(cycle=cycle, by=request.user)
            messages.success(
                request, _("%(n)s usulan bawaan diajukan ke kelurahan.") % {"n": count}
            )
            return
        proposal = get_object_or_404(
            Proposal.objects.actionable_by(request.user, Role.RW).filter(cycle=cycle),
            pk=data["proposal"],
        )
        if action == CarriedAnswerForm.CONFIRM:
            carry.carried_confirm(proposal=proposal, by=request.user)
            done = _("Usulan %(code)s tetap diusulkan dan diajukan ke kelurahan.")
        else:
            carry.carried_withdraw(proposal=proposal, by=request.user, reason=data["reason"])
            done = _("Usulan %(code)s ditarik.")
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done % {"code": proposal.code})


def detail_context(user, proposal: Proposal) -> dict:
    """What a proposal's page shows of the carry-over and of duplicates: proposals like it (for
    its RW and lurah), and whether it waits for the user's confirmation."""
    shown = may_see_duplicates(user, proposal)
    return {
        "similar": similar_proposals(proposal, user) if shown else [],
        "awaits_confirmation": proposal.status == Status.CARRIED
        and reach(user).holds(Role.RW, proposal.rw.code),
    }


def similar_to_entry(request, data: ProposalData, context: dict) -> list[Proposal]:
    """Proposals like the new one the RW is saving (`context` names its cycle and RW), unless
    the RW chose to save it anyway. An edit is not asked again: the RW was warned when the
    proposal was entered, and its page keeps showing what it is like."""
    if request.POST.get("tetap_simpan") or context.get("proposal"):
        return []
    item = data.catalogue_item
    subject = Subject(
        cycle=context["cycle"],
        rw=context["rw"],
        title=data.title,
        catalogue_item_id=item.pk if item else None,
    )
    return similar_proposals(subject, request.user)
