"""Admin for the planning office: sessions (read-only once closed) and scoring criteria."""

from django.contrib import admin
from django.db import models

from areas import scope
from areas.admin import OutOfScopeIs404, ScopedAdmin, ScopedChoices
from sessions.models import Candidate, Criterion, Participant, Sidang


def _open(obj) -> bool:
    return obj is None or not obj.is_closed


class FrozenWhenClosedInline(ScopedChoices, admin.TabularInline):
    extra = 0

    def has_add_permission(self, request, obj=None):
        return _open(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return _open(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _open(obj) and super().has_delete_permission(request, obj)


class ParticipantInline(FrozenWhenClosedInline):
    model = Participant
    fields = ["category", "name", "institution", "presence", "is_delegate"]


class CandidateInline(FrozenWhenClosedInline):
    model = Candidate
    fields = ["proposal", "rank", "decision", "reason", "score"]
    readonly_fields = ["proposal", "score"]

    def get_queryset(self, request):
        # Each row shows its proposal (as the candidate's name and as a field): one query.
        return super().get_queryset(request).select_related("proposal")


@admin.register(Sidang)
class SidangAdmin(ScopedAdmin):
    """A closed sidang is shown, never changed: the database refuses it as well."""

    list_display = ["__str__", "kind", "starts_at", "state", "cycle"]
    list_filter = ["kind", "state", "cycle"]
    search_fields = ["area__name", "venue"]
    list_select_related = ["area__parent", "cycle__kota"]
    raw_id_fields = ["area"]
    readonly_fields = [
        "state",
        "ranking_version",
        "ranking_saved_by",
        "ranking_saved_at",
        "closed_at",
        "closed_by",
    ]
    inlines = [ParticipantInline, CandidateInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_change_permission(self, request, obj=None):
        return _open(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _open(obj) and super().has_delete_permission(request, obj)


@admin.register(Criterion)
class CriterionAdmin(OutOfScopeIs404, ScopedChoices, admin.ModelAdmin):
    list_display = ["name", "weight", "order", "cycle"]
    list_filter = ["cycle"]
    list_editable = ["weight", "order"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(scope.kota_q(request.user, "cycle__kota"))
