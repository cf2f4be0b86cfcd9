"""The Renja pages: the cycle's sub kegiatan list with its import (planning office), and the
XLSX of accommodated proposals by SKPD/UKPD (planning office and observers of the kota)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from areas.models import Role
from areas.scope import reach
from proposals.import_views import TEMPLATE_TYPES, ImportForm, _notes_message
from proposals.models import Cycle, Proposal
from proposals.renja import (
    HEADERS,
    accommodated,
    renja_workbook,
    sub_activities_import,
    template_rows,
)
from proposals.spreadsheet import UTF_8, ImportRejected

SHOWN_PROBLEMS = 200


def may_manage_sub_activities(user) -> bool:
    user_reach = reach(user)
    return user_reach.everything or Role.PLANNING in user_reach.roles


def may_export_renja(user) -> bool:
    user_reach = reach(user)
    return user_reach.everything or bool(user_reach.roles & {Role.PLANNING, Role.OBSERVER})


def _cycle_or_404(user, allowed) -> Cycle:
    # For anyone else the page does not exist, as with any object outside one's scope.
    cycle = Cycle.objects.current_for(user) if allowed(user) else None
    if cycle is None:
        raise Http404
    return cycle


class SubActivityImportForm(ImportForm):
    """The proposal import's file and encoding fields, for the cycle's sub kegiatan list."""

    def __init__(self, *args, cycle: Cycle, **kwargs):
        super().__init__(*args, cycles=[cycle], **kwargs)
        self.fields["file"].help_text = _(
            "Berkas .xlsx atau .csv, paling besar 10 MB, satu baris untuk satu sub kegiatan."
        )


@login_required
def sub_activities(request):
    cycle = _cycle_or_404(request.user, may_manage_sub_activities)
    data = (request.POST, request.FILES) if request.method == "POST" else ()
    form = SubActivityImportForm(*data, cycle=cycle)
    problems = []
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            imported = sub_activities_import(
                cycle=cycle,
                data=upload.read(),
                file_name=upload.name,
                by=request.user,
                encoding=form.cleaned_data["encoding"] or UTF_8,
            )
        except ImportRejected as rejected:
            problems = rejected.problems
        else:
            messages.success(
                request,
                _("Sub kegiatan diimpor: %(created)s baru, %(updated)s diperbarui.")
                % {"created": imported.created, "updated": imported.updated},
            )
            if imported.notes:
                messages.warning(request, _notes_message(imported.notes))
            return redirect("proposals:sub_activities")
    return render(
        request,
        "proposals/sub_activities.html",
        {
            "cycle": cycle,
            "form": form,
            "lines": cycle.sub_activities.order_by("code"),
            "file_problems": [p for p in problems if p.row is None],
            "row_problems": [p for p in problems if p.row is not None][:SHOWN_PROBLEMS],
            "headers": HEADERS,
            "example": template_rows()[1],
        },
    )


@require_safe
@login_required
def renja_xlsx(request):
    cycle = _cycle_or_404(request.user, may_export_renja)
    decisions = accommodated(cycle, Proposal.objects.visible_to(request.user))
    response = HttpResponse(renja_workbook(cycle, decisions), content_type=TEMPLATE_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="renja-usulan-{cycle.year}.xlsx"'
    return response
