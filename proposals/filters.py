"""Filters of the proposals table. Area choices follow each other (kecamatan → kelurahan → RW),
so no select ever lists hundreds of options."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from musrenbang.areas.forms import StyledFormMixin
from musrenbang.areas.models import Area, TechnicalUnit
from proposals.models import Category, Proposal, Recommendation, Status

NOT_SURVEYED = "none"


class FilterForm(StyledFormMixin, forms.Form):
    pass


class ProposalFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Cari"), method="search")
    kecamatan = django_filters.ModelChoiceFilter(
        label=_("Kecamatan"), queryset=Area.objects.none(), empty_label=_("Semua kecamatan")
    )
    kelurahan = django_filters.ModelChoiceFilter(
        label=_("Kelurahan"), queryset=Area.objects.none(), empty_label=_("Semua kelurahan")
    )
    rw = django_filters.ModelChoiceFilter(
        label=_("RW"), queryset=Area.objects.none(), empty_label=_("Semua RW")
    )
    category = django_filters.ChoiceFilter(
        label=_("Kategori"), choices=Category.choices, empty_label=_("Semua kategori")
    )
    target_unit = django_filters.ModelChoiceFilter(
        label=_("UKPD"), queryset=TechnicalUnit.objects.none(), empty_label=_("Semua UKPD")
    )
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
        areas = Area.objects.visible_to(user).only("pk", "name", "code", "level")
        filters = self.filters
        filters["kecamatan"].queryset = areas.kecamatan()
        filters["target_unit"].queryset = TechnicalUnit.objects.visible_to(user).only("pk", "name")
        # The kelurahan of the chosen kecamatan (or of the only one the user reaches).
        kecamatan_count = areas.kecamatan().count()
        kecamatan = self._chosen(areas.kecamatan(), "kecamatan")
        kelurahan_all = areas.kelurahan()
        if kecamatan is not None:
            filters["kelurahan"].queryset = kelurahan_all.filter(parent=kecamatan)
        elif kecamatan_count <= 1:
            filters["kelurahan"].queryset = kelurahan_all
        else:
            filters["kelurahan"].queryset = kelurahan_all.none()
            # A kelurahan named in the address bar still filters, even before the kecamatan.
            chosen = self._chosen(kelurahan_all, "kelurahan")
            if chosen is not None:
                filters["kelurahan"].queryset = kelurahan_all.filter(pk=chosen.pk)
        kelurahan = self._chosen(filters["kelurahan"].queryset, "kelurahan")
        only = list(kelurahan_all[:2]) if kecamatan_count == 0 else []
        single_kelurahan = only[0] if len(only) == 1 else None
        kelurahan = kelurahan or single_kelurahan
        rws = areas.rw()
        filters["rw"].queryset = rws.filter(parent=kelurahan) if kelurahan else rws.none()
        # A choice with nothing to choose from is no filter: a lurah is not offered kecamatan.
        if kecamatan_count == 0:
            del filters["kecamatan"]
            if len(only) <= 1:
                del filters["kelurahan"]
            if not only:
                del filters["rw"]

    def _chosen(self, queryset, name):
        value = (self.data or {}).get(name)
        if not value or not str(value).isdigit():
            return None
        return queryset.filter(pk=value).first()

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
