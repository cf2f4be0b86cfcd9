"""Validation of many proposals at once, chosen in the proposals table: the lurah selects the
submitted proposals, chooses to accept them or to return them with one note, confirms, and
services.proposals_validate records all or none."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.humanize.templatetags.humanize import intcomma
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from areas.models import Role
from areas.scope import reach
from proposals import services
from proposals.decision_views import SELECTED, chosen_proposals
from proposals.forms import AcceptForm, ReturnForm

ACCEPT, RETURN = "terima", "kembalikan"


def may_validate_many(user) -> bool:
    """Whether the table offers the lurah's selection: to a lurah (and the superuser)."""
    user_reach = reach(user)
    return user_reach.everything or Role.LURAH in user_reach.roles


@login_required
@require_POST
def validate_many(request):
    """The selection from the table: the confirmation with its note, then all of them
    accepted or returned at once."""
    user = request.user
    step = request.POST.get("langkah")
    if not may_validate_many(user):
        raise Http404
    if step not in (ACCEPT, RETURN):
        return HttpResponseBadRequest(_("Pilih terima atau kembalikan."))
    proposals = chosen_proposals(
        request,
        too_many=_("Paling banyak %(max)s usulan divalidasi sekaligus; Anda memilih %(count)s."),
    )
    if proposals is None:
        return redirect("proposals:list")
    accept = step == ACCEPT
    form = (AcceptForm if accept else ReturnForm)(
        request.POST if "confirmed" in request.POST else None
    )
    if not form.is_valid():
        status = 400 if form.is_bound else 200
        return _confirmation(request, form, proposals, accept=accept, status=status)
    try:
        services.proposals_validate(
            proposals=proposals, accept=accept, by=user, note=form.cleaned_data["note"]
        )
    except services.WorkflowError as error:
        return _confirmation(request, form, proposals, accept=accept, status=400, error=error)
    count = len(proposals)
    done = (
        ngettext("%(count)s usulan diterima.", "%(count)s usulan diterima.", count)
        if accept
        else ngettext(
            "%(count)s usulan dikembalikan ke RW.", "%(count)s usulan dikembalikan ke RW.", count
        )
    )
    messages.success(request, done % {"count": intcomma(count)})
    return redirect("proposals:list")


def _confirmation(request, form, proposals, *, accept: bool, status: int, error=None):
    count = intcomma(len(proposals))
    if accept:
        title = _("Terima %(count)s usulan") % {"count": count}
        happens = [
            _("Setiap usulan di bawah menjadi calon prioritas kelurahan dalam sidang kelompok."),
            _("Setiap usulan mendapat langkah sendiri dalam perjalanannya, dengan catatan ini."),
            _("Setiap RW pengusul diberi tahu; usulan fisik masuk antrean survei UKPD."),
        ]
        button = _("Ya, terima %(count)s usulan") % {"count": count}
    else:
        title = _("Kembalikan %(count)s usulan ke RW") % {"count": count}
        happens = [
            _("Setiap usulan di bawah kembali ke RW-nya untuk diperbaiki, dengan catatan ini."),
            _("Setiap usulan mendapat langkah sendiri dalam perjalanannya."),
            _("Setiap RW pengusul diberi tahu dan dapat mengajukannya kembali."),
        ]
        button = _("Ya, kembalikan %(count)s usulan") % {"count": count}
    confirm = {
        "title": title,
        "subject": _("Validasi usulan oleh lurah"),
        "happens": happens,
        "final": _(
            "Validasi tercatat dalam riwayat setiap usulan dan tidak terhapus. Bila satu usulan "
            "tidak dapat divalidasi, tidak ada yang dicatat."
        ),
        "action": reverse("proposals:validate_many"),
        "button": button,
        "back": reverse("proposals:list"),
        "carry": [
            ("langkah", ACCEPT if accept else RETURN),
            *((SELECTED, p.pk) for p in proposals),
        ],
    }
    return render(
        request,
        "proposals/validate_many_confirm.html",
        {"confirm": confirm, "proposals": proposals, "form": form, "error": error},
        status=status,
    )
