"""Filters of the proposals table and of the survey queue. Area choices follow each other
(kecamatan → kelurahan → RW), so no select ever lists hundreds of options."""

import django_filters
from django import forms
from django.db.models import F, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from areas.forms import StyledFormMixin
from areas.models import Area, TechnicalUnit
from proposals.models import Category, Cycle, Event, Proposal, Recommendation, Source, Status

NOT_SURVEYED = "none"


class FilterForm(StyledFormMixin, forms.Form):
    pass


def _choices(areas) -> list[tuple[int, str]]:
    return list(areas.order_by("code").values_list("pk", "name"))


def chosen(data, name: str, choices: list[tuple[int, str]]) -> int | None:
    """The id named by `name` in the filter's data, if it is one of `choices`."""
    value = str((data or {}).get(name, ""))
    return next((pk for pk, _label in choices if str(pk) == value), None)


def area_choices(user, data) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The kecamatan and the kelurahan a list may be filtered by, of those the user reaches,
    one query each: the kelurahan of the kecamatan chosen in `data`, or all the user reaches
    when that is at most one kecamatan's; a kelurahan named in the address bar still filters
    on its own."""
    areas = Area.objects.visible_to(user)
    kecamatan = _choices(areas.kecamatan())
    chosen_kecamatan = chosen(data, "kecamatan", kecamatan)
    if chosen_kecamatan is not None:
        kelurahan = _choices(areas.kelurahan().filter(parent_id=chosen_kecamatan))
    elif len(kecamatan) <= 1:
        kelurahan = _choices(areas.kelurahan())
    elif str((data or {}).get("kelurahan", "")).isdigit():
        kelurahan = _choices(areas.kelurahan().filter(pk=data["kelurahan"]))
    else:
        kelurahan = []
    return kecamatan, kelurahan


def drop_empty_area_filters(fields: dict, kecamatan: list, kelurahan: list) -> None:
    """A choice with nothing to choose from is no filter: a lurah is offered no kecamatan,
    nor their one kelurahan."""
    if not kecamatan:
        del fields["kecamatan"]
        if len(kelurahan) <= 1:
            del fields["kelurahan"]


def search(queryset, name, value):
    """A proposal by its exact code, or a word of its title or address."""
    value = value.strip()
    if not value:
        return queryset
    return queryset.filter(
        Q(code__iexact=value) | Q(title__icontains=value) | Q(address__icontains=value)
    )


class ProposalFilter(django_filters.FilterSet):
    """The table's filters. The area and UKPD choices are read as plain (id, name) lists, one
    query each, so validating and drawing the form adds no query per choice."""

    q = django_filters.CharFilter(label=_("Cari"), method=search)
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
    source = django_filters.ChoiceFilter(
        label=_("Sumber"), choices=Source.choices, empty_label=_("Semua sumber")
    )
    recommendation = django_filters.ChoiceFilter(
        label=_("Rekomendasi survei"),
        choices=[*Recommendation.choices, (NOT_SURVEYED, _("Belum disurvei"))],
        empty_label=_("Semua"),
        method="filter_recommendation",
    )

    class Meta:
        model = Proposal
        fields = [
            "q",
            "kecamatan",
            "kelurahan",
            "rw",
            "category",
            "target_unit",
            "status",
            "source",
        ]
        form = FilterForm

    def __init__(self, data=None, *args, user, **kwargs):
        super().__init__(data, *args, **kwargs)
        filters = self.filters
        filters["target_unit"].extra["choices"] = list(
            TechnicalUnit.objects.visible_to(user).order_by("name").values_list("pk", "name")
        )
        kecamatan, kelurahan = area_choices(user, self.data)
        filters["kecamatan"].extra["choices"] = kecamatan
        filters["kelurahan"].extra["choices"] = kelurahan
        chosen_kelurahan = chosen(self.data, "kelurahan", kelurahan)
        if chosen_kelurahan is None and not kecamatan and len(kelurahan) == 1:
            chosen_kelurahan = kelurahan[0][0]  # a lurah: their own kelurahan
        areas = Area.objects.visible_to(user)
        rws = _choices(areas.rw().filter(parent_id=chosen_kelurahan)) if chosen_kelurahan else []
        filters["rw"].extra["choices"] = rws
        drop_empty_area_filters(filters, kecamatan, kelurahan)
        if not kecamatan and not kelurahan:
            del filters["rw"]

    def filter_recommendation(self, queryset, name, value):
        if value == NOT_SURVEYED:
            return queryset.filter(recommendation="")
        return queryset.filter(recommendation=value)


# The survey queue's order: by when the lurah accepted, the newest first unless asked otherwise.
OLDEST_FIRST = "lama"


def _cycle_choices(user) -> list[tuple[int, str]]:
    """The cycles the user reaches, the newest first; one kota's are told apart by year."""
    cycles = Cycle.objects.visible_to(user).order_by("-year", "-pk")
    rows = list(cycles.values_list("pk", "year", "kota__name"))
    if len({kota for _pk, _year, kota in rows}) <= 1:
        return [(pk, str(year)) for pk, year, _kota in rows]
    label = _("Musrenbang %(year)s %(kota)s")
    return [(pk, label % {"year": year, "kota": kota}) for pk, year, kota in rows]


class SurveyQueueForm(FilterForm):
    urut = forms.ChoiceField(
        label=_("Urutkan"),
        choices=[("", _("Diterima lurah, terbaru")), (OLDEST_FIRST, _("Diterima lurah, terlama"))],
        required=False,
    )
    # The tab being looked at (belum/sudah disurvei), kept when the filters change.
    tampil = forms.CharField(widget=forms.HiddenInput, required=False)

    field_order = ["q", "siklus", "kecamatan", "kelurahan", "urut"]


class SurveyQueueFilter(django_filters.FilterSet):
    """The filters of a UKPD's survey queue: a word, the cycle, the area, and the order."""

    q = django_filters.CharFilter(label=_("Cari"), method=search)
    siklus = django_filters.ChoiceFilter(
        label=_("Siklus"), field_name="cycle", empty_label=_("Semua siklus")
    )
    kecamatan = django_filters.ChoiceFilter(label=_("Kecamatan"), empty_label=_("Semua kecamatan"))
    kelurahan = django_filters.ChoiceFilter(label=_("Kelurahan"), empty_label=_("Semua kelurahan"))

    class Meta:
        model = Proposal
        fields = ["q", "siklus", "kecamatan", "kelurahan"]
        form = SurveyQueueForm

    def __init__(self, data, *args, user, **kwargs):
        super().__init__(data, *args, **kwargs)
        filters = self.filters
        filters["siklus"].extra["choices"] = _cycle_choices(user)
        kecamatan, kelurahan = area_choices(user, self.data)
        filters["kecamatan"].extra["choices"] = kecamatan
        filters["kelurahan"].extra["choices"] = kelurahan
        drop_empty_area_filters(filters, kecamatan, kelurahan)

    def filter_queryset(self, queryset):
        # The form's own fields, the order and the tab, filter nothing: ordered() and the view
        # read them. A value the form refused is absent, and filters nothing either.
        for name, filter_ in self.filters.items():
            queryset = filter_.filter(queryset, self.form.cleaned_data.get(name))
        return queryset

    def ordered(self, queryset):
        """`queryset` by when the lurah accepted each proposal, as chosen. The acceptance is a
        journey event, not kept twice on the proposal: read per row from the index of the
        acceptances alone (event_accepted_at_idx). Those not accepted (a survey before
        acceptance) come last; the code breaks ties (many accepted at once)."""
        accepted = Event.objects.filter(proposal=OuterRef("pk"), action=Event.Action.ACCEPTED)
        accepted_at = Subquery(accepted.order_by("-at").values("at")[:1])
        self.form.is_valid()
        oldest = self.form.cleaned_data.get("urut") == OLDEST_FIRST
        order = F("accepted_at").asc if oldest else F("accepted_at").desc
        return queryset.annotate(accepted_at=accepted_at).order_by(
            order(nulls_last=True), "code" if oldest else "-code"
        )
