"""Forms of the carry-over: opening the next cycle, and the RW's answer on a carried proposal."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from areas.forms import StyledFormMixin
from proposals.carry import cycle_open_check
from proposals.models import Cycle
from proposals.services import WorkflowError

PREFIX = re.compile(r"[A-Z0-9]{2,8}")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CycleOpenForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Tahun musrenbang"), min_value=2000, max_value=2100)
    code_prefix = forms.CharField(
        label=_("Awalan kode usulan"),
        max_length=8,
        help_text=_("2 sampai 8 huruf atau angka, mis. JP25 untuk JP25-00001."),
    )
    rw_opens = forms.DateField(label=_("Input usulan RW dibuka"), widget=DATE)
    rw_closes = forms.DateField(label=_("Input usulan RW ditutup"), widget=DATE)

    def __init__(self, *args, previous: Cycle, user, **kwargs):
        self.previous, self.user = previous, user
        kwargs.setdefault("initial", _initial(previous))
        super().__init__(*args, **kwargs)

    def clean_code_prefix(self):
        prefix = self.cleaned_data["code_prefix"].strip().upper()
        if not PREFIX.fullmatch(prefix):
            raise ValidationError(_("Awalan kode hanya huruf dan angka, 2 sampai 8 tanda."))
        return prefix

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            cycle_open_check(previous=self.previous, by=self.user, **data)
        except WorkflowError as error:
            raise ValidationError(str(error)) from error
        return data


def _next_year(day: datetime.date) -> datetime.date:
    return day.replace(year=day.year + 1, day=min(day.day, 28) if day.month == 2 else day.day)


def _initial(previous: Cycle) -> dict:
    """The year after the previous cycle, its prefix with the year moved on (JP24 → JP25),
    its RW window a year later."""
    year = previous.year + 1
    prefix = previous.code_prefix
    old, new = str(previous.year)[-2:], str(year)[-2:]
    return {
        "year": year,
        "code_prefix": prefix[: -len(old)] + new if prefix.endswith(old) else "",
        "rw_opens": _next_year(previous.rw_opens),
        "rw_closes": _next_year(previous.rw_closes),
    }


class CarriedAnswerForm(StyledFormMixin, forms.Form):
    """The RW's answer: keep one carried proposal, withdraw it, or keep all of them."""

    CONFIRM, WITHDRAW, CONFIRM_ALL = "confirm", "withdraw", "confirm_all"

    action = forms.ChoiceField(
        choices=[(CONFIRM, CONFIRM), (WITHDRAW, WITHDRAW), (CONFIRM_ALL, CONFIRM_ALL)]
    )
    proposal = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    reason = forms.CharField(
        label=_("Alasan menarik (boleh kosong)"), required=False, max_length=1000
    )

    def clean(self):
        data = super().clean()
        if data.get("action") in (self.CONFIRM, self.WITHDRAW) and not data.get("proposal"):
            raise ValidationError(_("Pilih usulan yang dijawab."))
        return data
