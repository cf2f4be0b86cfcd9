"""Forms of the proposal workflow: RW entry, the lurah's return note, the UKPD survey."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from areas.forms import StyledFormMixin
from areas.models import Dapil, TechnicalUnit
from proposals import plausible
from proposals.decisions import budget_defaults
from proposals.models import (
    CatalogueItem,
    Cycle,
    Decision,
    Proposal,
    Recess,
    Recommendation,
    RejectionReason,
    Stage,
    SubActivity,
)
from proposals.services import ProposalData, SurveyData, WorkflowError, sniff_content_type

ACCEPTED_UPLOADS = "image/jpeg,image/png,application/pdf"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern), each checked by content."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPTED_UPLOADS}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        cleaned = [super(MultipleFileField, self).clean(f, initial) for f in files]
        for upload in cleaned:
            try:
                sniff_content_type(upload)
            except WorkflowError as error:
                raise ValidationError(str(error)) from error
        return cleaned


class CatalogueSelect(forms.Select):
    """Options carry the item's unit, price and category, so the page can fill them in."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        item = getattr(value, "instance", None)
        if item is not None:
            option["attrs"].update(
                {
                    "data-measure": item.measure,
                    "data-price": item.unit_price,
                    "data-category": item.category,
                }
            )
        return option


class ProposalForm(StyledFormMixin, forms.ModelForm):
    uploads = MultipleFileField(
        label=_("Foto dan dokumen"),
        required=False,
        help_text=_("JPEG, PNG atau PDF, masing-masing paling besar 5 MB."),
    )

    class Meta:
        model = Proposal
        fields = [
            "title",
            "catalogue_item",
            "problem",
            "category",
            "target_unit",
            "address",
            "rt",
            "latitude",
            "longitude",
            "volume",
            "measure",
            "unit_price",
            "beneficiaries",
        ]
        widgets = {
            "catalogue_item": CatalogueSelect,
            "problem": forms.Textarea(attrs={"rows": 4}),
            "rt": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 3}),
            "volume": forms.NumberInput(attrs={"step": "0.01", "min": "0.01"}),
            "unit_price": forms.NumberInput(attrs={"min": "0"}),
            # The bounds the form checks (plausible.py) are also the map picker's.
            "latitude": forms.NumberInput(
                attrs={
                    "step": "0.000001",
                    "min": plausible.LATITUDE_BOUNDS[0],
                    "max": plausible.LATITUDE_BOUNDS[1],
                }
            ),
            "longitude": forms.NumberInput(
                attrs={
                    "step": "0.000001",
                    "min": plausible.LONGITUDE_BOUNDS[0],
                    "max": plausible.LONGITUDE_BOUNDS[1],
                }
            ),
        }
        help_texts = {
            "category": _("Diisi otomatis dari kamus usulan; wajib bila di luar kamus."),
            "target_unit": _("Diisi otomatis dari kamus usulan; wajib bila di luar kamus."),
            "unit_price": _("Kosongkan untuk memakai harga indikatif kamus usulan."),
            "rt": _("Nomor RT, mis. 003."),
        }

    def __init__(self, *args, cycle: Cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["catalogue_item"].queryset = CatalogueItem.objects.active().filter(
            unit__kota=cycle.kota
        )
        self.fields["catalogue_item"].empty_label = _("— di luar kamus usulan —")
        self.fields["target_unit"].queryset = TechnicalUnit.objects.filter(kota=cycle.kota)
        for name in ("category", "target_unit", "measure", "unit_price"):
            self.fields[name].required = False

    def clean_rt(self):
        rt = self.cleaned_data["rt"].strip()
        return plausible.rt_number(rt) if rt else rt

    def clean(self):
        cleaned = super().clean()
        item = cleaned.get("catalogue_item")
        if item is not None:
            cleaned["category"] = item.category
            cleaned["target_unit"] = item.unit
            cleaned["measure"] = cleaned.get("measure") or item.measure
            if cleaned.get("unit_price") in (None, ""):
                cleaned["unit_price"] = item.unit_price
        else:
            for name in ("category", "target_unit", "measure", "unit_price"):
                if cleaned.get(name) in (None, "") and name not in self.errors:
                    self.add_error(name, _("Wajib diisi bila usulan di luar kamus usulan."))
        # Within DKI Jakarta, and a volume and cost within their limits (which also keep the
        # cost inside the 64-bit whole number it is stored as).
        problems = plausible.proposal_problems(
            latitude=cleaned.get("latitude"),
            longitude=cleaned.get("longitude"),
            volume=cleaned.get("volume"),
            unit_price=cleaned.get("unit_price"),
            max_volume=item.max_volume if item is not None else None,
        )
        for name, message in problems.items():
            if name not in self.errors:
                self.add_error(name, message)
        # A point needs both; a box refused above counts as filled in.
        filled = {
            n for n in ("latitude", "longitude") if n in self.errors or cleaned.get(n) is not None
        }
        if len(filled) == 1:
            [missing] = {"latitude", "longitude"} - filled
            self.add_error(
                missing, _("Isi Lintang dan Bujur bersama-sama, atau kosongkan keduanya.")
            )
        return cleaned

    def proposal_data(self) -> ProposalData:
        c = self.cleaned_data
        return ProposalData(
            title=c["title"],
            problem=c["problem"],
            catalogue_item=c["catalogue_item"],
            category=c["category"],
            target_unit_id=c["target_unit"].pk,
            address=c["address"],
            rt=c["rt"],
            latitude=c["latitude"],
            longitude=c["longitude"],
            volume=c["volume"],
            measure=c["measure"],
            unit_price=c["unit_price"],
            beneficiaries=c["beneficiaries"] or 0,
        )


class ReturnForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label=_("Catatan untuk RW"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Apa yang perlu diperbaiki sebelum diajukan lagi."),
    )


class AcceptForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label=_("Catatan (tidak wajib)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


class SurveyForm(StyledFormMixin, forms.Form):
    surveyed_on = forms.DateField(
        label=_("Tanggal survei"), widget=forms.DateInput(attrs={"type": "date"})
    )
    findings = forms.CharField(
        label=_("Temuan lapangan"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    recommendation = forms.ChoiceField(
        label=_("Rekomendasi"), choices=Recommendation.choices, widget=forms.RadioSelect
    )
    reason = forms.ChoiceField(
        label=_("Alasan bila tidak direkomendasikan"),
        choices=[("", "—"), *RejectionReason.choices],
        required=False,
    )
    reason_note = forms.CharField(
        label=_("Keterangan alasan"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )
    revised_volume = forms.DecimalField(
        label=_("Volume hasil survei"), min_value=0, max_digits=12, decimal_places=2
    )
    photo = forms.FileField(
        label=_("Foto survei"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )

    def __init__(self, *args, proposal: Proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposal = proposal

    def clean_surveyed_on(self):
        """Within the cycle: not before its RW window opened, not after its musrenbang
        kecamatan ended (or its year, while that is not set), and not in the future."""
        day = self.cleaned_data["surveyed_on"]
        first, last = self.proposal.cycle.survey_dates()
        if day > timezone.localdate():
            raise ValidationError(_("Tanggal survei tidak boleh di masa depan."))
        if day < first:
            raise ValidationError(
                _("Tanggal survei tidak boleh sebelum input usulan RW dibuka (%(date)s).")
                % {"date": date_format(first, "j F Y")}
            )
        if day > last:
            raise ValidationError(
                _("Tanggal survei tidak boleh setelah akhir siklus musrenbang (%(date)s).")
                % {"date": date_format(last, "j F Y")}
            )
        return day

    def clean_revised_volume(self):
        volume = self.cleaned_data["revised_volume"]
        item = self.proposal.catalogue_item
        problems = plausible.proposal_problems(
            volume=volume,
            unit_price=self.proposal.unit_price,
            max_volume=item.max_volume if item is not None else None,
        )
        if problems:
            raise ValidationError(list(problems.values()))
        return volume

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo:
            try:
                content_type = sniff_content_type(photo)
            except WorkflowError as error:
                raise ValidationError(str(error)) from error
            if not content_type.startswith("image/"):
                raise ValidationError(_("Foto survei harus JPEG atau PNG."))
        return photo

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("recommendation") == Recommendation.NOT_RECOMMENDED:
            if not cleaned.get("reason"):
                self.add_error("reason", _("Pilih alasan bila usulan tidak direkomendasikan."))
            elif cleaned["reason"] == RejectionReason.OTHER and not cleaned.get("reason_note"):
                self.add_error("reason_note", _("Jelaskan alasan lainnya."))
        return cleaned

    def survey_data(self) -> SurveyData:
        c = self.cleaned_data
        return SurveyData(
            surveyed_on=c["surveyed_on"],
            findings=c["findings"],
            recommendation=c["recommendation"],
            reason=c["reason"] if c["recommendation"] == Recommendation.NOT_RECOMMENDED else "",
            reason_note=c["reason_note"],
            revised_volume=c["revised_volume"],
        )


class VerdictForm(StyledFormMixin, forms.Form):
    """A final decision as the planning office takes it, on one proposal or on many: the kind,
    the reason, the proposal merged into, and for an accommodated proposal its sub kegiatan and
    budget year."""

    kind = forms.ChoiceField(
        label=_("Keputusan akhir"), choices=Decision.Kind.choices, widget=forms.RadioSelect
    )
    merged_into = forms.CharField(
        label=_("Kode usulan tujuan penggabungan"),
        required=False,
        max_length=20,
        help_text=_("Hanya bila digabung, mis. JP24-00417."),
    )
    reason = forms.CharField(
        label=_("Alasan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wajib bila tidak diakomodir."),
    )
    sub_activity = forms.ModelChoiceField(
        label=_("Sub kegiatan Renja"),
        queryset=SubActivity.objects.none(),
        required=False,
        help_text=_("Wajib bila diakomodir: program › kegiatan › sub kegiatan siklus ini."),
    )
    budget_year = forms.IntegerField(
        label=_("Tahun anggaran"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_(
            "Kosongkan untuk tahun rencana (Renja) atau tahun berjalan (anggaran berjalan)."
        ),
    )

    def __init__(self, *args, cycle: Cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.cycle = cycle
        self.fields["sub_activity"].queryset = SubActivity.objects.filter(cycle=cycle)
        self.fields["sub_activity"].empty_label = _("— pilih sub kegiatan —")

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == Decision.Kind.NOT_ACCOMMODATED and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Tuliskan alasan usulan tidak diakomodir."))
        missing = not cleaned.get("sub_activity") and "sub_activity" not in self.errors
        if kind in Decision.ACCOMMODATED and missing:
            self.add_error(
                "sub_activity", _("Pilih sub kegiatan Renja bagi usulan yang diakomodir.")
            )
        cleaned["merged_proposal"] = None
        if kind == Decision.Kind.MERGED:
            code = cleaned.get("merged_into", "").strip().upper()
            target = Proposal.objects.filter(code=code, cycle=self.cycle).first()
            if target is None or self.merges_into_itself(target):
                self.add_error("merged_into", _("Tulis kode usulan lain dalam siklus yang sama."))
            cleaned["merged_proposal"] = target
        return cleaned

    def merges_into_itself(self, target: Proposal) -> bool:
        return False

    def verdict(self) -> dict:
        """The decision as the services take it (keyword arguments)."""
        c = self.cleaned_data
        return {
            "kind": c["kind"],
            "reason": c["reason"],
            "merged_into": c["merged_proposal"],
            "sub_activity": c.get("sub_activity"),
            "budget_year": c.get("budget_year"),
        }


class DecisionForm(VerdictForm):
    """The decision on one proposal, whose unit and amount start from its own."""

    unit = forms.ModelChoiceField(
        label=_("SKPD/UKPD pelaksana"),
        queryset=TechnicalUnit.objects.none(),
        required=False,
        help_text=_("Kosongkan untuk UKPD tujuan usulan."),
    )
    amount = forms.IntegerField(
        label=_("Pagu anggaran (Rp)"),
        required=False,
        min_value=0,
        max_value=2**63 - 1,
        help_text=_("Kosongkan untuk biaya hasil survei, atau perkiraan biaya bila tanpa survei."),
    )

    field_order = ["kind", "merged_into", "sub_activity", "unit", "amount", "budget_year"]

    def __init__(self, *args, proposal: Proposal, **kwargs):
        kwargs.setdefault("initial", self._initial(proposal))
        super().__init__(*args, cycle=proposal.cycle, **kwargs)
        self.proposal = proposal
        self.fields["unit"].queryset = TechnicalUnit.objects.filter(kota_id=proposal.kota_id)

    @staticmethod
    def _initial(proposal: Proposal) -> dict:
        """Changing a decision starts from the one in force; a first one from the defaults."""
        defaults = budget_defaults(proposal, Decision.Kind.RENJA)
        initial = {"unit": defaults["unit"], "amount": defaults["amount"]}
        decision = getattr(proposal, "decision", None)
        if decision is not None:
            initial.update(
                kind=decision.kind,
                merged_into=decision.merged_into.code if decision.merged_into_id else "",
                reason=decision.reason,
            )
            if decision.accommodated:
                initial.update(
                    sub_activity=decision.sub_activity_id,
                    unit=decision.unit_id,
                    amount=decision.amount,
                    budget_year=decision.budget_year,
                )
        return initial

    def merges_into_itself(self, target: Proposal) -> bool:
        return target.pk == self.proposal.pk

    def verdict(self) -> dict:
        c = self.cleaned_data
        return {**super().verdict(), "unit": c.get("unit"), "amount": c.get("amount")}


class ProgressForm(StyledFormMixin, forms.Form):
    """A realisation report; proposals/realisation.py checks how it fits the ones before."""

    stage = forms.ChoiceField(label=_("Tahap"), choices=Stage.choices, widget=forms.RadioSelect)
    percent = forms.IntegerField(
        label=_("Progres (%)"),
        min_value=0,
        max_value=100,
        help_text=_("Tidak boleh kurang dari laporan sebelumnya; selesai berarti 100."),
    )
    reported_on = forms.DateField(
        label=_("Tanggal laporan"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("Catatan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text=_("Tampil di halaman pelacakan publik."),
    )
    reason = forms.CharField(
        label=_("Alasan pembatalan"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text=_("Wajib bila tahap batal."),
    )
    photos = MultipleFileField(
        label=_("Foto kegiatan"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}),
        help_text=_("JPEG atau PNG, paling banyak 5 foto, masing-masing paling besar 5 MB."),
    )


class RecessForm(StyledFormMixin, forms.ModelForm):
    """A DPRD member's recess: who, when, where (the dapil chosen when the user serves two)."""

    class Meta:
        model = Recess
        fields = ["dapil", "member", "held_on", "place"]
        widgets = {"held_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, dapils: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dapil"].queryset = Dapil.objects.filter(pk__in=[d.pk for d in dapils])
        self.fields["dapil"].empty_label = None
        if len(dapils) == 1:
            self.fields["dapil"].initial = dapils[0].pk
            self.fields["dapil"].widget = forms.HiddenInput()

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise ValidationError(_("Tanggal reses tidak boleh di masa depan."))
        return held_on
