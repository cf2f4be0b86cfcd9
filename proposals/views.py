"""Pages of the proposal workflow. Every object is fetched through visible_to(user)."""

from functools import partial

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_tables2 import RequestConfig
from django_tables2.export import TableExport

from areas.models import Area, Role
from areas.scope import reach
from proposals import carry_views, services
from proposals.carry import CARRIED_STATUSES
from proposals.decision_views import may_decide_many, merged_from, verdict_carry, verdict_lines
from proposals.filters import ProposalFilter, SurveyQueueFilter
from proposals.forms import (
    AcceptForm,
    DecisionForm,
    ProposalForm,
    ReturnForm,
    SurveyForm,
)
from proposals.imports import may_import
from proposals.models import (
    Attachment,
    Cycle,
    Decision,
    Proposal,
    Realisation,
    Recommendation,
    Status,
    Survey,
)
from proposals.pdf import has_receipt
from proposals.queues import awaiting_survey, surveyed
from proposals.realisation import reports_of
from proposals.renja_views import may_export_renja, may_manage_sub_activities
from proposals.tables import (
    CHOOSABLE,
    DeepPagePaginator,
    ProposalTable,
    column_choices,
    remember_columns,
    shown_columns,
)
from proposals.validation_views import may_validate_many

PER_PAGE = 50


def _table_response(
    request, proposals, *, template, context, exclude=(), selectable=False, sortable=True
):
    """Render a filtered proposals table, or export the whole filtered set (?_export=csv|xlsx);
    `selectable` rows carry a checkbox for deciding many at once; an unsortable table keeps the
    order of `proposals` (the survey queue's own) and its headers are no sort links."""
    order = {} if sortable else {"order_by": (), "orderable": False}
    export_format = request.GET.get("_export")
    if TableExport.is_valid_format(export_format):
        table = ProposalTable(proposals.with_references(), exclude=exclude, **order)
        RequestConfig(request, paginate=False).configure(table)
        exporter = TableExport(export_format, table, dataset_kwargs={"title": "usulan"})
        return exporter.response(f"usulan.{export_format}")
    # The screen shows the columns the user chose, or their role's (tables.shown_columns).
    shown = shown_columns(request.user)
    hidden = [name for name in CHOOSABLE if name not in shown]
    table = ProposalTable(proposals, exclude=(*exclude, *hidden), selectable=selectable, **order)
    RequestConfig(
        request, paginate={"per_page": PER_PAGE, "paginator_class": DeepPagePaginator}
    ).configure(table)
    return render(
        request,
        template,
        {
            **context,
            "table": table,
            "selectable": selectable,
            "column_choices": column_choices(shown, exclude),
        },
    )


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
            "may_export_renja": may_export_renja(request.user),
            "may_manage_sub_activities": may_manage_sub_activities(request.user),
            "may_decide_many": may_decide_many(request.user),
            "may_validate_many": may_validate_many(request.user),
        },
        selectable=True
        if may_decide_many(request.user)
        else may_validate_many(request.user) and frozenset({Status.SUBMITTED}),
    )


@require_POST
@login_required
def table_columns(request):
    """Keep the columns ticked in the table's chooser ("Kembalikan bawaan": forget them), then
    go back to the list as it was filtered, sorted and paged."""
    reset = request.POST.get("action") == "reset"
    remember_columns(request.user, None if reset else request.POST.getlist("kolom"))
    back = request.POST.get("next", "")
    if not (
        back.startswith("/")
        and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
    ):
        back = reverse("proposals:list")
    return redirect(back)


def _detail_context(request, proposal: Proposal) -> dict:
    user = request.user
    _with_outcome(proposal)
    survey = getattr(proposal, "survey", None)
    attachments = proposal.attachments.filter(progress__isnull=True)  # reports show their own
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
        "has_receipt": has_receipt(proposal),
        "decision": getattr(proposal, "decision", None),
        "merged_from": merged_from(proposal, Proposal.objects.visible_to(user)),
        "may_manage_sub_activities": may_manage_sub_activities(user),
        **carry_views.detail_context(user, proposal),
        **_realisation_context(user, proposal),
        "decision_form": DecisionForm(proposal=proposal),
        "accept_form": AcceptForm(),
        "return_form": ReturnForm(),
    }


def _realisation_context(user, proposal: Proposal) -> dict:
    """The realisation of an accommodated proposal, its reports, and whether the user records."""
    realisation = getattr(proposal, "realisation", None)
    if realisation is None:
        return {"realisation": None}
    return {
        "realisation": realisation,
        "reports": reports_of(realisation),
        "may_record": Realisation.objects.recordable_by(user).filter(pk=realisation.pk).exists(),
    }


def _visible(request, pk: int) -> Proposal:
    return get_object_or_404(
        Proposal.objects.visible_to(request.user).select_related(
            "cycle__kota",
            "rw__parent__parent",
            "catalogue_item",
            "target_unit",
            "created_by",
            "recess__dapil",
        ),
        pk=pk,
    )


def _with_outcome(proposal: Proposal) -> Proposal:
    """Read what followed the proposal's entry (its survey, decision, realisation and carry
    links), each only where its status says it can exist. One join of them all, twenty tables,
    went past PostgreSQL's exhaustive planning (geqo_threshold) and took longer to plan than
    to run."""
    status = proposal.status
    outcome = {
        "survey": bool(proposal.recommendation)
        and Survey.objects.select_related("officer", "photo").filter(proposal=proposal).first(),
        "decision": status in Decision.STATUS.values()
        and Decision.objects.select_related("merged_into", "sub_activity", "unit")
        .filter(proposal=proposal)
        .first(),
        "realisation": status in (Status.RENJA, Status.CURRENT_BUDGET)
        and Realisation.objects.select_related("unit").filter(proposal=proposal).first(),
        "carried_to": status in CARRIED_STATUSES
        and Proposal.objects.filter(carried_from=proposal).first(),
    }
    for name, found in outcome.items():
        getattr(Proposal, name).related.set_cached_value(proposal, found or None)
    if proposal.carried_from_id:
        proposal.carried_from = Proposal.objects.select_related("cycle").get(
            pk=proposal.carried_from_id
        )
    return proposal


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
    """Show the proposal form; on a valid POST run `save` and go to the proposal, unless it
    looks like another one: then the form comes back with them, to be saved anyway."""
    if request.method == "POST" and form.is_valid():
        data = form.proposal_data()
        context["similar"] = carry_views.similar_to_entry(request, data, context)
    if request.method == "POST" and form.is_valid() and not context["similar"]:
        try:
            proposal = save(data=data, by=request.user, uploads=form.cleaned_data["uploads"])
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
        # A recess is not bound to the RWs' entry window: a pokir may be corrected any time.
        context={"cycle": proposal.cycle, "proposal": proposal}
        | ({"window_open": True} if proposal.is_pokir else {}),
    )


def _holds(request, proposal: Proposal, role: str) -> None:
    """A step is for one role over the proposal's area: anyone else who sees the proposal is
    refused outright (403), before any form is read; a step taken too early or too late is
    explained on the page instead."""
    if not reach(request.user).holds(role, proposal.rw.code):
        raise PermissionDenied


def _step(request, pk, step, *, role: str, success, form_class=None, form_name: str = ""):
    """Run one workflow step on a visible proposal and come back to its page; `success` is
    the message, with %(code)s, or a function of the proposal that writes it."""
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
        message = success(proposal) if callable(success) else success % {"code": proposal.code}
        messages.success(request, message)
    return redirect(proposal)


def _submitted(proposal: Proposal) -> str:
    """The RW is pointed to the receipt, which carries the code the tracker finds."""
    return format_html(
        '{} <a href="{}">{}</a>',
        _("Usulan %(code)s diajukan ke kelurahan.") % {"code": proposal.code},
        reverse("proposals:receipt", args=[proposal.pk]),
        _("Cetak tanda terima"),
    )


@login_required
def proposal_submit(request, pk):
    """Submitting is asked once more (GET shows what will happen); the form there submits."""
    if request.method == "POST":
        return _step(
            request,
            pk,
            services.proposal_submit,
            role=Role.RW,
            success=_submitted,
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
            _("Tanda terima dengan kode usulan dapat dicetak sebagai bukti pengajuan."),
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
        services.decision_record(proposal=proposal, by=request.user, **form.verdict())
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
    happens += verdict_lines(form)
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
        "carry": verdict_carry(form),
    }


@require_safe
@login_required
def attachment_download(request, pk, attachment_pk):
    proposal = _visible(request, pk)
    attachment = get_object_or_404(proposal.attachments, pk=attachment_pk)
    return attachment_response(attachment, proposal.code)


def attachment_response(attachment: Attachment, code: str) -> FileResponse:
    """The stored file with its checked content type: a photo shown, a document downloaded."""
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=not attachment.is_image,
        filename=f"{code}-{attachment.pk}.{attachment.extension}",
    )
    # Served bytes are never a page: no scripts, no plugins, even if a check were fooled.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Who follows the survey queue without surveying: the officials over an area above the RW, and
# a DPRD member over their dapil (where their pokir are surveyed).
FOLLOW_SURVEYS = frozenset({Role.LURAH, Role.CAMAT, Role.PLANNING, Role.OBSERVER, Role.DPRD})


@require_safe
@login_required
def survey_queue(request):
    """A UKPD's physical proposals: those waiting for its survey, or those it surveyed. The tabs
    count both over the same filters. The lurah, the camat, the planning office and observers
    follow the same queue over their area, read-only; an RW has none."""
    mine = reach(request.user)
    ukpd = bool(mine.unit_ids)
    if ukpd:
        proposals = Proposal.objects.actionable_by(request.user, Role.UKPD)
    elif mine.everything or mine.roles & FOLLOW_SURVEYS:
        proposals = Proposal.objects.visible_to(request.user)
    else:
        raise Http404
    physical = proposals.filter(category="fisik")
    filterset = SurveyQueueFilter(request.GET, queryset=physical, user=request.user)
    queue = filterset.qs
    counts = queue.aggregate(
        pending=Count("pk", filter=awaiting_survey()), done=Count("pk", filter=surveyed())
    )
    done = request.GET.get("tampil") == "selesai"
    queue = queue.filter(surveyed() if done else awaiting_survey())
    cycle = filterset.form.cleaned_data.get("siklus")
    return _table_response(
        request,
        filterset.ordered(queue.for_table()),
        template="proposals/survey_queue.html",
        context={
            "done": done,
            "counts": counts,
            "filter": filterset,
            "reset_url": reverse("proposals:survey_queue") + ("?tampil=selesai" if done else ""),
            "recap_url": reverse("recap") + (f"?siklus={cycle}" if cycle else ""),
            "before_acceptance": settings.SURVEY_BEFORE_ACCEPTANCE,
            "ukpd": ukpd,
        },
        exclude=("target_unit", "category"),
        sortable=False,
    )


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
