"""Filters of the proposals table. Area choices follow each other (kecamatan → kelurahan → RW),
so no select ever lists hundreds of options."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from areas.forms import StyledFormMixin
from areas.models import Area, TechnicalUnit
from proposals.models import Category, Proposal, Recommendation, Status

NOT_SURVEYED = "none"


class FilterForm(StyledFormMixin, forms.Form):
    pass


def _choices(areas) -> list[tuple[int, str]]:
    return list(areas.values_list("pk", "name"))


class ProposalFilter(django_filters.FilterSet):
    """The table's filters. The area and UKPD choices are read as plain (id, name) lists, one
    query each, so validating and drawing the form adds no query per choice."""

    q = django_filters.CharFilter(label=_("Cari"), method="search")
    kecamatan = django_filters.ChoiceFilter(label=_("Kecamatan"), empty_label=_("Semua kecamatan"))
    kelurahan = django_filters.ChoiceFilter(label=_("Kelurahan"), empty_label=_("Semua kelurahan"))
    rw = django_filters.ChoiceFilter(label=_("RW"), empty_label=_("Semua RW"))
    category = django_filters.ChoiceFilter(
        label=_("Kategori"), choices=Category.choices, empty_label=_("Semua kategori")
    )
    target_unit = django_filters.ChoiceFilter(label=_("UKPD"), empty_label=_("Semua UKPD"))
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, empty_label=_("Semua status")
    )
    recommendation = django_filters.ChoiceFilter(
        label=_("Rekomendasi survei"),
        choices=[*Recommendation.choices, (NOT_SURVEYED, _("Belum disurvei"))],
        empty_label=_("Semua"),
        method="filter_recommendation",
    )

    class Meta:
        model = Proposal
        fields = ["q", "kecamatan", "kelurahan", "rw", "category", "target_unit", "status"]
        form = FilterForm

    def __init__(self, data=None, *args, user, **kwargs):
        super().__init__(data, *args, **kwargs)
        areas = Area.objects.visible_to(user).order_by("code")
        filters = self.filters
        filters["target_unit"].extra["choices"] = list(
            TechnicalUnit.objects.visible_to(user).order_by("name").values_list("pk", "name")
        )
        kecamatan = _choices(areas.kecamatan())
        filters["kecamatan"].extra["choices"] = kecamatan
        chosen = self._chosen("kecamatan", kecamatan)
        # The kelurahan of the chosen kecamatan, or all the user reaches when that is at most
        # one kecamatan's; a kelurahan named in the address bar still filters on its own.
        if chosen is not None:
            kelurahan = _choices(areas.kelurahan().filter(parent_id=chosen))
        elif len(kecamatan) <= 1:
            kelurahan = _choices(areas.kelurahan())
        elif str((self.data or {}).get("kelurahan", "")).isdigit():
            kelurahan = _choices(areas.kelurahan().filter(pk=self.data["kelurahan"]))
        else:
            kelurahan = []
        filters["kelurahan"].extra["choices"] = kelurahan
        chosen_kelurahan = self._chosen("kelurahan", kelurahan)
        if chosen_kelurahan is None and not kecamatan and len(kelurahan) == 1:
            chosen_kelurahan = kelurahan[0][0]  # a lurah: their own kelurahan
        rws = _choices(areas.rw().filter(parent_id=chosen_kelurahan)) if chosen_kelurahan else []
        filters["rw"].extra["choices"] = rws
        # A choice with nothing to choose from is no filter: a lurah is not offered kecamatan.
        if not kecamatan:
            del filters["kecamatan"]
            if len(kelurahan) <= 1:
                del filters["kelurahan"]
            if not kelurahan:
                del filters["rw"]

    def _chosen(self, name: str, choices: list[tuple[int, str]]) -> int | None:
        value = str((self.data or {}).get(name, ""))
        return next((pk for pk, _label in choices if str(pk) == value), None)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(code__iexact=value) | Q(title__icontains=value) | Q(address__icontains=value)
        )

    def filter_recommendation(self, queryset, name, value):
        if value == NOT_SURVEYED:
            return queryset.filter(recommendation="")
        return queryset.filter(recommendation=value)
