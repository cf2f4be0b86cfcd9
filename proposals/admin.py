"""Admin for the planning office: the cycle's calendar and quotas, the catalogue, proposals."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from areas.admin import OutOfScopeIs404, RefusalIsAMessage, ScopedAdmin, ScopedChoices
from proposals.models import CatalogueItem, Ceiling, Cycle, Event, Proposal, SubActivity, Survey


class CeilingInline(ScopedChoices, admin.TabularInline):
    """The cycle's pagu indikatif per kecamatan and kelurahan (optional)."""

    model = Ceiling
    extra = 0
    fields = ["area", "amount"]


@admin.register(Cycle)
class CycleAdmin(ScopedAdmin):
    inlines = [CeilingInline]
    readonly_fields = ["ceilings_page"]
    list_display = ["__str__", "year", "code_prefix", "rw_opens", "rw_closes", "quota_kelurahan"]
    list_filter = ["kota"]
    fieldsets = [
        (None, {"fields": ["kota", "year", "code_prefix"]}),
        (
            _("Kalender tahapan"),
            {
                "fields": [
                    ("rw_opens", "rw_closes"),
                    "pleno_pembuka_on",
                    ("kelompok_opens", "kelompok_closes"),
                    ("kecamatan_opens", "kecamatan_closes"),
                    "penutupan_on",
                ]
            },
        ),
        (_("Kuota prioritas"), {"fields": ["quota_kelurahan", "quota_kecamatan"]}),
        (_("Berita acara"), {"fields": ["minutes_number_pattern", "legal_basis"]}),
        (_("Pagu indikatif kewilayahan"), {"fields": ["ceilings_page"]}),
    ]

    @admin.display(description=_("Impor atau bagi pagu"))
    def ceilings_page(self, cycle: Cycle) -> str:
        """The planning office's page to import the ceilings or split a kota total by RW."""
        if not cycle.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("proposals:ceilings", args=[cycle.pk]),
            _("Halaman pagu indikatif: impor lembar kerja atau bagi pagu kota menurut jumlah RW"),
        )


@admin.register(CatalogueItem)
class CatalogueItemAdmin(ScopedAdmin):
    list_display = ["code", "name", "category", "sector", "measure", "unit_price", "unit", "active"]
    list_filter = ["category", "sector", "active", "unit"]
    search_fields = ["code", "name", "sector"]
    list_select_related = ["unit"]


class EventInline(admin.TabularInline):
    model = Event
    extra = 0
    can_delete = False
    fields = ["at", "action", "actor_office", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class CycleFilter(admin.RelatedFieldListFilter):
    """The cycles the official sees, named with their kota in the same query."""

    def field_choices(self, field, request, model_admin):
        cycles = Cycle.objects.visible_to(request.user).select_related("kota")
        return [(cycle.pk, str(cycle)) for cycle in cycles.order_by("-year", "kota__code")]


@admin.register(SubActivity)
class SubActivityAdmin(ScopedAdmin):
    """The cycle's Renja nomenclature; usually imported from a spreadsheet on its own page."""

    list_display = ["code", "name", "activity_name", "program_name", "cycle"]
    list_filter = [("cycle", CycleFilter)]
    search_fields = ["code", "name", "activity_name", "program_name"]
    list_select_related = ["cycle__kota"]


@admin.register(Proposal)
class ProposalAdmin(ScopedAdmin):
    """Proposals move through the workflow pages; here the planning office reads and finds them."""

    list_display = ["code", "title", "kecamatan", "kelurahan", "category", "cost", "status"]
    list_filter = ["status", "source", "category", "recommendation", ("cycle", CycleFilter)]
    search_fields = ["code", "title"]
    list_select_related = ["kecamatan", "kelurahan"]
    show_full_result_count = False
    inlines = [EventInline]
    readonly_fields = [f.name for f in Proposal._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Survey)
class SurveyAdmin(RefusalIsAMessage, OutOfScopeIs404, admin.ModelAdmin):
    """A survey is recorded on its page and stays: the proposal's recommendation rests on it."""

    list_display = ["proposal", "surveyed_on", "recommendation", "reason"]
    list_filter = ["recommendation", "reason"]
    readonly_fields = [f.name for f in Survey._meta.fields]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(proposal__in=Proposal.objects.visible_to(request.user))
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
