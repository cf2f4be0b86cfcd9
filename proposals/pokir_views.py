"""A DPRD member's recesses (/reses/) and the pokir entered from them; the planning office and
observers read them over their kota."""

from functools import partial

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from areas.models import Role
from areas.scope import reach
from proposals import pokir, services
from proposals.forms import ProposalForm, RecessForm
from proposals.models import Cycle, Proposal, Recess, Status
from proposals.views import _proposal_form


def may_read_recesses(user) -> bool:
    r = reach(user)
    return r.everything or bool(r.dapil_ids) or bool(r.roles & {Role.PLANNING, Role.OBSERVER})


@require_safe
@login_required
def recess_list(request):
    if not may_read_recesses(request.user):
        raise Http404
    recesses = (
        Recess.objects.visible_to(request.user)
        .select_related("dapil", "cycle")
        .annotate(
            pokir=Count("proposals"),
            decided=Count("proposals", filter=~Q(proposals__status=Status.POKIR)),
        )
    )
    return render(
        request,
        "proposals/recess_list.html",
        {"recesses": recesses, "may_enter": bool(reach(request.user).dapil_ids)},
    )


@login_required
def recess_create(request):
    dapils = pokir.dapils_of(request.user)
    cycle = Cycle.objects.current_for(request.user)
    if not dapils or cycle is None:
        raise Http404
    form = RecessForm(
        request.POST or None, dapils=dapils, initial={"member": request.user.get_full_name()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recess = pokir.recess_create(
                cycle=cycle,
                dapil=data["dapil"],
                member=data["member"],
                held_on=data["held_on"],
                place=data["place"],
                by=request.user,
            )
        except services.WorkflowError as error:
            form.add_error(None, str(error))
        else:
            return redirect(recess)
    return render(request, "proposals/recess_form.html", {"form": form, "cycle": cycle})


def _visible_recess(request, pk) -> Recess:
    return get_object_or_404(
        Recess.objects.visible_to(request.user).select_related("dapil", "cycle__kota"), pk=pk
    )


@require_safe
@login_required
def recess_detail(request, pk):
    recess = _visible_recess(request, pk)
    proposals = (
        Proposal.objects.visible_to(request.user)
        .filter(recess=recess)
        .select_related("rw__parent", "target_unit")
        .order_by("number")
    )
    return render(
        request,
        "proposals/recess_detail.html",
        {
            "recess": recess,
            "proposals": proposals,
            "may_enter": recess.dapil_id in reach(request.user).dapil_ids,
        },
    )


@login_required
def pokir_create(request, pk):
    """'Tambah pokir': the proposal form, with the RW chosen among the dapil's."""
    recess = _visible_recess(request, pk)
    if recess.dapil_id not in reach(request.user).dapil_ids:
        raise PermissionDenied
    rws = list(pokir.rw_choices(recess.dapil))
    if not rws:
        raise Http404
    chosen = request.POST.get("rw") or request.GET.get("rw")
    rw = next((r for r in rws if str(r.pk) == chosen), rws[0])
    return _proposal_form(
        request,
        ProposalForm(request.POST or None, request.FILES or None, cycle=recess.cycle),
        partial(pokir.pokir_create, recess=recess, rw=rw),
        success=_("Pokir %(code)s dicatat dan diteruskan ke tingkat kota."),
        context={
            "cycle": recess.cycle,
            "rws": rws,
            "rw": rw,
            "recess": recess,
            "window_open": True,  # a recess is not bound to the RWs' entry window
        },
    )
