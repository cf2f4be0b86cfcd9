"""The realisation page of an accommodated proposal: its reports, and the form of its unit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from proposals.forms import ProgressForm
from proposals.models import Proposal, Realisation
from proposals.realisation import first_report_day, is_final, progress_record, reports_of
from proposals.services import WorkflowError


def _recordable(request, pk: int) -> Realisation:
    """The realisation for its unit's officers; anyone else who sees the proposal is refused
    (403, as on the survey form), and to everyone else it does not exist."""
    if not 0 < pk < 2**63:  # no row has it; a database would refuse the number
        raise Http404
    realisation = (
        Realisation.objects.recordable_by(request.user)
        .select_related("proposal__rw__parent", "proposal__decision", "unit")
        .filter(proposal_id=pk)
        .first()
    )
    if realisation is not None:
        return realisation
    if Proposal.objects.visible_to(request.user).filter(pk=pk).exists():
        raise PermissionDenied
    raise Http404


@login_required
def progress(request, pk):
    realisation = _recordable(request, pk)
    final = is_final(realisation)
    initial = {
        "stage": realisation.stage,
        "percent": realisation.percent,
        "reported_on": timezone.localdate(),
    }
    posted = request.method == "POST"
    form = ProgressForm(request.POST if posted else None, request.FILES or None, initial=initial)
    if posted and form.is_valid():
        try:
            progress_record(realisation=realisation, by=request.user, **form.cleaned_data)
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Laporan realisasi usulan %(code)s dicatat.")
                % {"code": realisation.proposal.code},
            )
            return redirect("proposals:progress", pk=pk)
    return render(
        request,
        "proposals/progress.html",
        {
            "proposal": realisation.proposal,
            "realisation": realisation,
            "reports": reports_of(realisation),
            "form": form,
            "final": final,
            "first_day": first_report_day(realisation),
        },
        status=400 if form.errors else 200,
    )
