"""Final decisions on many proposals at once, chosen in the proposals table: the planning office
selects, decides once with one reason, confirms, and services.decision_record_many records all
or none. Also the lines both confirmations read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.humanize.templatetags.humanize import intcomma
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from areas.formatting import rupiah
from areas.models import Role
from areas.scope import reach
from proposals import services
from proposals.decisions import MAX_BATCH
from proposals.forms import VerdictForm
from proposals.models import Cycle, Decision, Proposal

SELECTED = "usulan"  # the checkboxes' name in the table


def may_decide_many(user) -> bool:
    """Whether the table offers the selection: to the planning office (and the superuser)."""
    user_reach = reach(user)
    return user_reach.everything or Role.PLANNING in user_reach.roles


def merged_from(proposal: Proposal, visible) -> list[Proposal]:
    """The proposals merged into this one, of those the reader sees."""
    return list(
        visible.filter(decision__merged_into=proposal).only("pk", "code", "title").order_by("code")
    )


def verdict_lines(form: VerdictForm) -> list[str]:
    """What the decision records beside its kind, as the confirmation lists it."""
    data = form.cleaned_data
    lines = []
    if data["merged_proposal"] is not None:
        lines.append(
            _("Digabung dengan %(code)s %(title)s.")
            % {"code": data["merged_proposal"].code, "title": data["merged_proposal"].title}
        )
    if data["kind"] in Decision.ACCOMMODATED:
        lines.append(_("Sub kegiatan: %(sub)s.") % {"sub": data["sub_activity"]})
        if data.get("unit"):
            lines.append(_("SKPD/UKPD pelaksana: %(unit)s.") % {"unit": data["unit"].name})
        if data.get("amount") is not None:
            lines.append(_("Pagu anggaran: %(amount)s.") % {"amount": rupiah(data["amount"])})
        if data.get("budget_year"):
            lines.append(_("Tahun anggaran: %(year)s.") % {"year": data["budget_year"]})
    if data["reason"].strip():
        lines.append(_("Alasan: %(reason)s") % {"reason": data["reason"].strip()})
    return lines


def verdict_carry(form: VerdictForm) -> list[tuple[str, str]]:
    """The form's fields as sent, for the confirmation to post again."""
    return [(name, form.data.get(name, "")) for name in form.fields]


def selected_ids(request) -> list[int]:
    ids = []
    for value in request.POST.getlist(SELECTED):
        if value.isascii() and value.isdigit() and len(value) < 19 and int(value) not in ids:
            ids.append(int(value))
    return ids


def chosen_proposals(request, *, too_many: str) -> list[Proposal] | None:
    """The proposals ticked in the table, in code order; None, with the reason shown to the
    user, when there are none or more than MAX_BATCH (`too_many` says so, with %(max)s and
    %(count)s). One outside the user's reach is a 404, as if it did not exist."""
    ids = selected_ids(request)
    if len(ids) > MAX_BATCH:
        messages.error(
            request, too_many % {"max": intcomma(MAX_BATCH), "count": intcomma(len(ids))}
        )
        return None
    proposals = list(
        Proposal.objects.visible_to(request.user)
        .filter(pk__in=ids)
        .select_related("kelurahan")
        .only("pk", "code", "title", "status", "cost", "kelurahan__name")
        .order_by("code")
    )
    if len(proposals) != len(ids):
        raise Http404
    if not proposals:
        messages.error(request, _("Pilih paling sedikit satu usulan di tabel."))
        return None
    return proposals


@login_required
@require_POST
def decide_many(request):
    """The selection from the table: the decision's form (again, when refused), then the
    confirmation, then all of them decided at once."""
    user = request.user
    cycle = Cycle.objects.current_for(user)
    if not may_decide_many(user) or cycle is None:
        raise Http404
    proposals = chosen_proposals(
        request,
        too_many=_("Paling banyak %(max)s usulan diputuskan sekaligus; Anda memilih %(count)s."),
    )
    if proposals is None:
        return redirect("proposals:list")
    if "kind" not in request.POST:  # just chosen in the table: the decision is asked next
        return _form_page(request, VerdictForm(cycle=cycle), proposals, status=200)
    form = VerdictForm(request.POST, cycle=cycle)
    if not form.is_valid():
        return _form_page(request, form, proposals, status=400)
    if not request.POST.get("confirmed"):
        return render(request, "proposals/decide_many_confirm.html", _confirmation(form, proposals))
    try:
        services.decision_record_many(proposals=proposals, by=user, **form.verdict())
    except services.WorkflowError as error:
        form.add_error(None, str(error))
        return _form_page(request, form, proposals, status=400)
    messages.success(
        request,
        _("Keputusan akhir %(count)s usulan dicatat: %(kind)s.")
        % {
            "count": intcomma(len(proposals)),
            "kind": Decision.Kind(form.cleaned_data["kind"]).label,
        },
    )
    return redirect("proposals:list")


def _form_page(request, form, proposals, *, status: int):
    return render(
        request,
        "proposals/decide_many.html",
        {"form": form, "proposals": proposals, "selected_name": SELECTED},
        status=status,
    )


def _confirmation(form: VerdictForm, proposals: list[Proposal]) -> dict:
    kind = Decision.Kind(form.cleaned_data["kind"]).label
    happens = [
        _("Keputusan akhir yang sama bagi %(count)s usulan di bawah: %(kind)s.")
        % {"count": intcomma(len(proposals)), "kind": kind},
        *verdict_lines(form),
    ]
    if form.cleaned_data["kind"] in Decision.ACCOMMODATED:
        happens.append(
            _(
                "SKPD/UKPD pelaksana setiap usulan adalah UKPD tujuannya; pagunya biaya hasil "
                "survei, atau perkiraan biaya bila tanpa survei."
            )
        )
    happens.append(
        _("Setiap RW pengusul diberi tahu; keputusan tampil di halaman pelacakan publik.")
    )
    confirm = {
        "title": _("Catat keputusan akhir %(count)s usulan") % {"count": intcomma(len(proposals))},
        "subject": kind,
        "happens": happens,
        "final": _(
            "Keputusan tercatat dalam riwayat setiap usulan dan tidak terhapus; keputusan yang "
            "diubah kemudian tercatat sebagai langkah baru. Bila satu usulan tidak dapat "
            "diputuskan, tidak ada yang dicatat."
        ),
        "action": reverse("proposals:decide_many"),
        "button": _("Ya, catat keputusan"),
        "back": reverse("proposals:list"),
        "carry": [*verdict_carry(form), *((SELECTED, p.pk) for p in proposals)],
    }
    return {"confirm": confirm, "proposals": proposals}
