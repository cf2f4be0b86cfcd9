"""Pages of the proposal workflow. Every object is fetched through visible_to(user)."""

from functools import partial

from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_tables2 import RequestConfig
from django_tables2.export import TableExport

from areas.models import Area, Role
from areas.scope import reach
from proposals import services
from proposals.filters import ProposalFilter
from proposals.forms import AcceptForm, DecisionForm, ProposalForm, ReturnForm, SurveyForm
from proposals.imports import may_import
from proposals.models import Cycle, Decision, Proposal, Recommendation, Status, Survey
from proposals.tables import DeepPagePaginator, ProposalTable

PER_PAGE = 50


def _table_response(request, proposals, *, template, context, exclude=()):
    """Render a filtered proposals table, or export the whole filtered set (?_export=csv|xlsx)."""
    export_format = request.GET.get("_export")
    if TableExport.is_valid_format(export_format):
        table = ProposalTable(proposals.with_references(), exclude=exclude)
        RequestConfig(request, paginate=False).configure(table)
        exporter = TableExport(export_format, table, dataset_kwargs={"title": "usulan"})
        return exporter.response(f"usulan.{export_format}")
    table = ProposalTable(proposals, exclude=exclude)
    RequestConfig(
        request, paginate={"per_page": PER_PAGE, "paginator_class": DeepPagePaginator}
    ).configure(table)
    return render(request, template, {**context, "table": table})


@require_safe
@login_required
def proposal_list(request):
    proposals = Proposal.objects.visible_to(request.user).for_table()
    filterset = ProposalFilter(request.GET or None, queryset=proposals, user=request.user)
    user_reach = reach(request.user)
    return _table_response(
        request,
        filterset.qs,
        template="proposals/list.html",
        context={
            "filter": filterset,
            "may_create": Role.RW in user_reach.roles,
            "may_import": may_import(request.user),
        },
    )


def _detail_context(request, proposal: Proposal) -> dict:
    user = request.user
    survey = Survey.objects.filter(proposal=proposal).select_related("officer", "photo").first()
    attachments = proposal.attachments.all()
    if survey is not None and survey.photo_id:
        attachments = attachments.exclude(pk=survey.photo_id)
    return {
        "proposal": proposal,
        "survey": survey,
        "attachments": attachments,
        "journey": proposal.journey(),
        "history": LogEntry.objects.get_for_object(proposal)
        .select_related("actor", "content_type")
        .prefetch_related("actor__assignments__area", "actor__assignments__unit")
        .order_by("-timestamp")[:50],
        "may_edit": proposal.may_edit(user),
        "may_validate": proposal.may_validate(user),
        "may_survey": proposal.may_survey(user),
        "may_decide": proposal.may_decide(user),
        "decision": getattr(proposal, "decision", None),
        "decision_form": DecisionForm(proposal=proposal),
        "accept_form": AcceptForm(),
        "return_form": ReturnForm(),
    }


def _visible(request, pk: int) -> Proposal:
    return get_object_or_404(
        Proposal.objects.visible_to(request.user).select_related(
            "cycle__kota",
            "rw__parent__parent",
            "catalogue_item",
            "target_unit",
            "created_by",
            "decision__merged_into",
        ),
        pk=pk,
    )


@require_safe
@login_required
def proposal_detail(request, pk):
    proposal = _visible(request, pk)
    return render(request, "proposals/detail.html", _detail_context(request, proposal))


def _user_rws(user):
    return Area.objects.rw().filter(
        code__in=[code for role, code in reach(user).role_area_codes if role == Role.RW]
    )


def _proposal_form(request, form, save, *, success, context):
    """Show the proposal form; on a valid POST run `save` and go to the proposal."""
    if request.method == "POST" and form.is_valid():
        try:
            proposal = save(
                data=form.proposal_data(),
                by=request.user,
                uploads=form.cleaned_data["uploads"],
            )
        except services.WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, success % {"code": proposal.code})
            return redirect(proposal)
    cycle = context["cycle"]
    return render(
        request,
        "proposals/form.html",
        {"form": form, "window_open": cycle.rw_window_open(), **context},
    )


@login_required
def proposal_create(request):
    rws = list(_user_rws(request.user).select_related("parent"))
    cycle = Cycle.objects.current_for(request.user)
    if not rws or cycle is None:
        raise Http404
    rw = next((r for r in rws if str(r.pk) == request.POST.get("rw")), rws[0])
    return _proposal_form(
        request,
        ProposalForm(request.POST or None, request.FILES or None, cycle=cycle),
        partial(services.proposal_create, cycle=cycle, rw=rw),
        success=_("Usulan %(code)s disimpan sebagai draf. Ajukan ke kelurahan bila sudah lengkap."),
        context={"cycle": cycle, "rws": rws, "rw": rw},
    )


@login_required
def proposal_edit(request, pk):
    proposal = _visible(request, pk)
    if not proposal.may_edit(request.user):
        raise PermissionDenied
    return _proposal_form(
        request,
        ProposalForm(
            request.POST or None, request.FILES or None, instance=proposal, cycle=proposal.cycle
        ),
        partial(services.proposal_update, proposal=proposal),
        success=_("Perubahan usulan %(code)s disimpan."),
        context={"cycle": proposal.cycle, "proposal": proposal},
    )


def _holds(request, proposal: Proposal, role: str) -> None:
    """A step is for one role over the proposal's area: anyone else who sees the proposal is
    refused outright (403), before any form is read; a step taken too early or too late is
    explained on the page instead."""
    if not reach(request.user).holds(role, proposal.rw.code):
        raise PermissionDenied


def _step(request, pk, step, *, role: str, success: str, form_class=None, form_name: str = ""):
    """Run one workflow step on a visible proposal and come back to its page."""
    proposal = _visible(request, pk)
    _holds(request, proposal, role)
    kwargs = {}
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            context = _detail_context(request, proposal)
            context[form_name] = form
            return render(request, "proposals/detail.html", context, status=400)
        kwargs["note"] = form.cleaned_data["note"]
    try:
        step(proposal=proposal, by=request.user, **kwargs)
    except services.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success % {"code": proposal.code})
    return redirect(proposal)


@login_required
def proposal_submit(request, pk):
    """Submitting is asked once more (GET shows what will happen); the form there submits."""
    if request.method == "POST":
        return _step(
            request,
            pk,
            services.proposal_submit,
            role=Role.RW,
            success=_("Usulan %(code)s diajukan ke kelurahan."),
        )
    proposal = _visible(request, pk)
    _holds(request, proposal, Role.RW)
    if not proposal.may_edit(request.user):
        return redirect(proposal)
    confirm = {
        "title": _("Ajukan usulan %(code)s") % {"code": proposal.code},
        "subject": proposal.title,
        "happens": [
            _("Usulan dikirim kepada Lurah %(kelurahan)s untuk divalidasi.")
            % {"kelurahan": proposal.rw.parent.name},
            _("Tanggal pengajuan dicatat dalam riwayat usulan yang dapat dilihat publik."),
        ],
        "final": _(
            "Setelah diajukan, usulan tidak dapat diubah lagi oleh RW, kecuali lurah "
            "mengembalikannya untuk diperbaiki."
        ),
        "action": reverse("proposals:submit", args=[proposal.pk]),
        "button": _("Ya, ajukan ke kelurahan"),
        "back": proposal.get_absolute_url(),
        "carry": [],
    }
    return render(request, "confirm.html", {"confirm": confirm})


@login_required
@require_POST
def proposal_accept(request, pk):
    return _step(
        request,
        pk,
        services.proposal_accept,
        role=Role.LURAH,
        success=_("Usulan %(code)s diterima sebagai calon kelurahan."),
        form_class=AcceptForm,
        form_name="accept_form",
    )


@login_required
@require_POST
def proposal_return(request, pk):
    return _step(
        request,
        pk,
        services.proposal_return,
        role=Role.LURAH,
        success=_("Usulan %(code)s dikembalikan ke RW."),
        form_class=ReturnForm,
        form_name="return_form",
    )


@login_required
@require_POST
def proposal_decide(request, pk):
    proposal = _visible(request, pk)
    _holds(request, proposal, Role.PLANNING)
    form = DecisionForm(request.POST, proposal=proposal)
    if not form.is_valid():
        context = {**_detail_context(request, proposal), "decision_form": form}
        return render(request, "proposals/detail.html", context, status=400)
    if not request.POST.get("confirmed"):
        return render(request, "confirm.html", {"confirm": _decision_confirmation(proposal, form)})
    try:
        services.decision_record(
            proposal=proposal,
            kind=form.cleaned_data["kind"],
            reason=form.cleaned_data["reason"],
            merged_into=form.cleaned_data["merged_proposal"],
            by=request.user,
        )
    except services.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Keputusan akhir usulan %(code)s dicatat.") % {"code": proposal.code}
        )
    return redirect(proposal)


def _decision_confirmation(proposal: Proposal, form: DecisionForm) -> dict:
    data = form.cleaned_data
    happens = [
        _("Keputusan akhir: %(kind)s.") % {"kind": Decision.Kind(data["kind"]).label},
    ]
    if data["merged_proposal"] is not None:
        happens.append(
            _("Digabung dengan %(code)s %(title)s.")
            % {"code": data["merged_proposal"].code, "title": data["merged_proposal"].title}
        )
    if data["reason"].strip():
        happens.append(_("Alasan: %(reason)s") % {"reason": data["reason"].strip()})
    happens.append(
        _("Keputusan tampil di halaman pelacakan publik dan dalam riwayat usulan, atas nama Anda.")
    )
    return {
        "title": _("Catat keputusan akhir %(code)s") % {"code": proposal.code},
        "subject": proposal.title,
        "happens": happens,
        "final": _(
            "Keputusan tercatat dalam riwayat usulan dan tidak terhapus; keputusan yang diubah "
            "kemudian tercatat sebagai langkah baru, di samping yang ini."
        ),
        "action": reverse("proposals:decide", args=[proposal.pk]),
        "button": _("Ya, catat keputusan"),
        "back": proposal.get_absolute_url(),
        "carry": [
            ("kind", data["kind"]),
            ("merged_into", form.data.get("merged_into", "")),
            ("reason", data["reason"]),
        ],
    }


@require_safe
@login_required
def attachment_download(request, pk, attachment_pk):
    proposal = _visible(request, pk)
    attachment = get_object_or_404(proposal.attachments, pk=attachment_pk)
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=not attachment.is_image,
        filename=f"{proposal.code}-{attachment.pk}.{attachment.extension}",
    )
    # Served bytes are never a page: no scripts, no plugins, even if a check were fooled.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
@login_required
def survey_queue(request):
    user_reach = reach(request.user)
    if not user_reach.unit_ids:
        raise Http404
    queue = Proposal.objects.actionable_by(request.user, Role.UKPD).filter(
        category="fisik", status__in=[Status.SUBMITTED, Status.ACCEPTED]
    )
    done = request.GET.get("tampil") == "selesai"
    counts = queue.aggregate(
        pending=Count("pk", filter=~_surveyed()), done=Count("pk", filter=_surveyed())
    )
    queue = queue.filter(_surveyed()) if done else queue.exclude(_surveyed())
    return _table_response(
        request,
        queue.for_table(),
        template="proposals/survey_queue.html",
        context={"done": done, "counts": counts},
        exclude=("target_unit", "category"),
    )


def _surveyed():
    return ~Q(recommendation="")


@login_required
def survey_form(request, pk):
    proposal = _visible(request, pk)
    if not proposal.may_survey(request.user):
        raise PermissionDenied
    existing = getattr(proposal, "survey", None)
    initial = {"revised_volume": proposal.volume}
    if existing is not None:
        initial = {
            "surveyed_on": existing.surveyed_on,
            "findings": existing.findings,
            "recommendation": existing.recommendation,
            "reason": existing.reason,
            "reason_note": existing.reason_note,
            "revised_volume": existing.revised_volume,
        }
    form = SurveyForm(
        request.POST or None, request.FILES or None, initial=initial, proposal=proposal
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_record(
                proposal=proposal,
                data=form.survey_data(),
                by=request.user,
                photo=form.cleaned_data.get("photo"),
            )
        except services.WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Survei usulan %(code)s dicatat.") % {"code": proposal.code}
            )
            return redirect("proposals:survey_queue")
    return render(
        request,
        "proposals/survey_form.html",
        {"form": form, "proposal": proposal, "recommended": Recommendation.RECOMMENDED},
    )
