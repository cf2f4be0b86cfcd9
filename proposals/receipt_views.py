"""A proposal's receipt (tanda terima) as PDF, for whoever sees the proposal once submitted."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from proposals.models import Proposal
from proposals.pdf import RELATED, has_receipt, receipt_pdf


@require_safe
@login_required
def proposal_receipt(request, pk):
    proposal = get_object_or_404(
        Proposal.objects.visible_to(request.user).select_related(*RELATED), pk=pk
    )
    if not has_receipt(proposal):
        messages.info(request, _("Tanda terima tersedia setelah usulan diajukan ke kelurahan."))
        return redirect(proposal)
    response = HttpResponse(receipt_pdf(proposal), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="tanda-terima-{proposal.code}.pdf"'
    return response
