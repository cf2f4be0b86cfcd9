"""The planning office's page of a cycle's pagu indikatif kewilayahan: the kecamatan and
kelurahan with their ceilings, a sheet to import, and a kota total to split by RW count."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from areas.forms import StyledFormMixin
from areas.models import Level
from proposals.ceilings import (
    CeilingError,
    ceiling_areas,
    ceilings_from_sheet,
    ceilings_set,
    may_set_ceilings,
    parse_amount,
    split_by_rw,
)
from proposals.import_views import ImportForm
from proposals.models import Cycle
from proposals.spreadsheet import UTF_8, ImportRejected

SHOWN_PROBLEMS = 200


class CeilingImportForm(ImportForm):
    def __init__(self, *args, cycle: Cycle, **kwargs):
        super().__init__(*args, cycles=[cycle], **kwargs)
        self.fields["file"].help_text = _(
            "Berkas .xlsx atau .csv, paling besar 10 MB, satu baris untuk satu kecamatan atau "
            "kelurahan."
        )


class CeilingSplitForm(StyledFormMixin, forms.Form):
    total = forms.CharField(
        label=gettext_lazy("Pagu indikatif kota (Rp)"),
        max_length=30,
        help_text=gettext_lazy("Bilangan bulat rupiah, mis. 25.000.000.000."),
    )
    level = forms.ChoiceField(
        label=gettext_lazy("Dibagi kepada"),
        choices=[
            (Level.KECAMATAN, gettext_lazy("Setiap kecamatan")),
            (Level.KELURAHAN, gettext_lazy("Setiap kelurahan")),
        ],
    )

    def clean_total(self) -> int:
        amount = parse_amount(self.cleaned_data["total"])
        if amount is None or not 0 < amount <= 10**15:
            raise forms.ValidationError(_("Pagu harus bilangan bulat rupiah lebih dari 0."))
        return amount


def _cycle_or_404(request, pk: int) -> Cycle:
    """The cycle, for the planning office of its kota; for anyone else there is no such page."""
    cycle = get_object_or_404(Cycle.objects.visible_to(request.user).select_related("kota"), pk=pk)
    if not may_set_ceilings(request.user, cycle):
        raise Http404
    return cycle


@login_required
def cycle_ceilings(request, pk):
    cycle = _cycle_or_404(request, pk)
    action = request.POST.get("action") if request.method == "POST" else None
    import_form = CeilingImportForm(
        *((request.POST, request.FILES) if action == "import" else ()), cycle=cycle
    )
    split_form = CeilingSplitForm(request.POST if action == "split" else None)
    problems, status = [], 200
    try:
        amounts = None
        if action == "import" and import_form.is_valid():
            upload = import_form.cleaned_data["file"]
            amounts = ceilings_from_sheet(
                cycle=cycle,
                data=upload.read(),
                name=upload.name,
                encoding=import_form.cleaned_data["encoding"] or UTF_8,
            )
        elif action == "split" and split_form.is_valid():
            data = split_form.cleaned_data
            amounts = split_by_rw(cycle=cycle, total=data["total"], level=data["level"])
        if amounts is not None:
            count = ceilings_set(cycle=cycle, amounts=amounts, by=request.user)
            messages.success(request, _("%(n)s pagu indikatif disimpan.") % {"n": count})
            return redirect("proposals:ceilings", pk=cycle.pk)
    except ImportRejected as rejected:
        problems = rejected.problems
    except CeilingError as error:
        split_form.add_error(None, str(error))
    if request.method == "POST":
        status = 400
    return render(
        request,
        "proposals/ceilings.html",
        {
            "cycle": cycle,
            "areas": ceiling_areas(cycle),
            "import_form": import_form,
            "split_form": split_form,
            "file_problems": [p for p in problems if p.row is None],
            "row_problems": [p for p in problems if p.row is not None][:SHOWN_PROBLEMS],
        },
        status=status,
    )
