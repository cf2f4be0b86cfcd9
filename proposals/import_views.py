"""The spreadsheet import page and its downloadable templates (the logic is in imports.py)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from areas.forms import StyledFormMixin
from proposals.imports import may_import, proposals_import
from proposals.models import Cycle
from proposals.spreadsheet import (
    ENCODINGS,
    MAX_BYTES,
    UTF_8,
    ImportRejected,
    Problem,
    column_guide,
    template_csv,
    template_xlsx,
)

SHOWN_PROBLEMS = 200
SHOWN_NOTES = 10
TEMPLATE_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


class ImportForm(StyledFormMixin, forms.Form):
    cycle = forms.TypedChoiceField(label=gettext_lazy("Siklus musrenbang"), coerce=int)
    file = forms.FileField(
        label=gettext_lazy("Berkas lembar kerja"),
        help_text=gettext_lazy(
            "Berkas .xlsx atau .csv, paling besar 10 MB, paling banyak 20.000 baris usulan."
        ),
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    encoding = forms.ChoiceField(
        label=gettext_lazy("Pengodean berkas CSV"),
        choices=ENCODINGS,
        initial=UTF_8,
        required=False,  # a form posted without it (a script, an old page) reads UTF-8
        help_text=gettext_lazy(
            "Hanya untuk berkas .csv. Pilih Windows-1252 bila berkas disimpan sebagai "
            "“CSV (Comma delimited)” di Excel lama."
        ),
    )

    def __init__(self, *args, cycles: list[Cycle], **kwargs):
        super().__init__(*args, **kwargs)
        self.cycles = {cycle.pk: cycle for cycle in cycles}
        if len(cycles) > 1:  # the choice matters only to someone who reaches several kota
            self.fields["cycle"].choices = [(cycle.pk, str(cycle)) for cycle in cycles]
            self.fields["cycle"].initial = cycles[0].pk
        else:
            del self.fields["cycle"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(_("Berkas lebih dari 10 MB. Bagilah menjadi beberapa berkas."))
        return upload

    def chosen_cycle(self) -> Cycle:
        return self.cycles[self.cleaned_data.get("cycle") or next(iter(self.cycles))]


def _importer_or_404(user) -> None:
    # For anyone else the page does not exist, as with any object outside one's scope.
    if not may_import(user):
        raise Http404


@login_required
def proposal_import(request):
    _importer_or_404(request.user)
    cycles = list(
        Cycle.objects.visible_to(request.user)
        .select_related("kota")
        .order_by("-year", "kota__code")
    )
    form = None
    if cycles:
        data = (request.POST, request.FILES) if request.method == "POST" else ()
        form = ImportForm(*data, cycles=cycles)
    problems = []
    if form is not None and form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            imported = proposals_import(
                cycle=form.chosen_cycle(),
                data=upload.read(),
                file_name=upload.name,
                by=request.user,
                encoding=form.cleaned_data["encoding"] or UTF_8,
            )
        except ImportRejected as rejected:
            problems = rejected.problems
        else:
            count = intcomma(imported.count)
            messages.success(request, _("%(count)s usulan diimpor.") % {"count": count})
            if imported.notes:
                messages.warning(request, _notes_message(imported.notes))
            return redirect("proposals:list")
    row_problems = [p for p in problems if p.row is not None]
    return render(
        request,
        "proposals/import.html",
        {
            "form": form,
            "cycle": cycles[0] if len(cycles) == 1 else None,
            "file_problems": [p for p in problems if p.row is None],
            "row_problems": row_problems[:SHOWN_PROBLEMS],
            "problem_count": len(row_problems),
            "hidden_problems": max(len(row_problems) - SHOWN_PROBLEMS, 0),
            "guide": column_guide(),
        },
    )


def _notes_message(notes: list[Problem]) -> str:
    """What was changed in the imported rows, by row and column, the first SHOWN_NOTES of them."""
    shown = "; ".join(
        _("baris %(row)s, kolom %(column)s: %(note)s")
        % {"row": note.row, "column": note.column, "note": note.message}
        for note in notes[:SHOWN_NOTES]
    )
    message = _("Periksa isi usulan yang diimpor: %(notes)s.") % {"notes": shown}
    if len(notes) > SHOWN_NOTES:
        more = _("Dan %(count)s catatan lain.") % {"count": intcomma(len(notes) - SHOWN_NOTES)}
        message = f"{message} {more}"
    return message


@require_safe
@login_required
def import_template(request, fmt):
    """An empty template, header row and one example row, as XLSX or CSV."""
    _importer_or_404(request.user)
    if fmt not in TEMPLATE_TYPES:
        raise Http404
    body = template_xlsx() if fmt == "xlsx" else template_csv()
    response = HttpResponse(body, content_type=TEMPLATE_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="templat-impor-usulan.{fmt}"'
    return response
