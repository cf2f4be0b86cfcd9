"""Admin for the planning office: sessions and scoring criteria, within the rules of the pages.

Attendance and rankings change only through the pages' services, so the admin shows them for
reading; a closed sidang and the criteria of a cycle that has scored are shown, never changed
(the database refuses both as well).
"""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from areas import scope
from areas.admin import OutOfScopeIs404, RefusalIsAMessage, ScopedAdmin, ScopedChoices
from sessions.models import Candidate, Criterion, Participant, Sidang, State, cycle_has_scored


class ShownForReading(admin.TabularInline):
    """A sidang's part its pages keep: listed here, never added, changed or deleted."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ParticipantInline(ShownForReading):
    model = Participant
    fields = ["category", "name", "position", "institution", "presence", "present", "is_delegate"]


class CandidateInline(ShownForReading):
    model = Candidate
    fields = ["proposal", "rank", "decision", "reason", "score"]

    def get_queryset(self, request):
        # Each row shows its proposal (as the candidate's name and as a field): one query.
        return super().get_queryset(request).select_related("proposal")


@admin.register(Sidang)
class SidangAdmin(ScopedAdmin):
    """An open sidang's schedule is edited as on its page; what the services set as it runs
    (start, ranking, closing) is shown only. A closed sidang is shown, never changed."""

    list_display = ["__str__", "kind", "starts_at", "state", "cycle"]
    list_filter = ["kind", "state", "cycle"]
    search_fields = ["area__name", "venue"]
    list_select_related = ["area__parent", "cycle__kota"]
    raw_id_fields = ["area"]
    readonly_fields = [
        "state",
        "stages_missing",
        "stage_exception",
        "ranking_version",
        "ranking_saved_by",
        "ranking_saved_at",
        "weights",
        "shortfall_reason",
        "closed_late",
        "closed_at",
        "closed_by",
    ]
    # Once scheduled, a sidang keeps its cycle, kind, area and quota: its pages never change them.
    readonly_once_scheduled = ["cycle", "kind", "area", "quota"]
    inlines = [ParticipantInline, CandidateInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return fields if obj is None else [*self.readonly_once_scheduled, *fields]

    def has_change_permission(self, request, obj=None):
        open_ = obj is None or not obj.is_closed
        return open_ and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Only a sidang not yet started with nothing recorded: no candidate, no attendance.
        return (obj is None or _untouched(obj)) and super().has_delete_permission(request, obj)


def _untouched(sidang: Sidang) -> bool:
    return (
        sidang.state == State.SCHEDULED
        and not sidang.candidates.exists()
        and not sidang.participants.exists()
    )


FIXED = _(
    "Kriteria penilaian siklus ini sudah dipakai untuk menilai usulan: tidak dapat diubah, "
    "ditambah, atau dihapus."
)


class CriterionForm(forms.ModelForm):
    """Refuses a change to the criteria of a cycle that has scored, before the database does."""

    def clean(self):
        cleaned = super().clean()
        cycles = {self.instance.cycle_id} if self.instance.pk else set()
        if cleaned.get("cycle"):
            cycles.add(cleaned["cycle"].pk)
        if (self.has_changed() or not self.instance.pk) and any(map(cycle_has_scored, cycles)):
            self.add_error("cycle" if "cycle" in self.fields else None, FIXED)
        return cleaned


@admin.register(Criterion)
class CriterionAdmin(RefusalIsAMessage, OutOfScopeIs404, ScopedChoices, admin.ModelAdmin):
    """A cycle's criteria are set before its sessions score; after that they are shown only."""

    form = CriterionForm
    list_display = ["name", "weight", "order", "cycle"]
    list_filter = ["cycle"]
    list_editable = ["weight", "order"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(scope.kota_q(request.user, "cycle__kota"))

    def get_changelist_form(self, request, **kwargs):
        return super().get_changelist_form(request, form=CriterionForm, **kwargs)

    def has_change_permission(self, request, obj=None):
        return not _fixed(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _fixed(obj) and super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        # The changelist's "delete selected" asks per model, not per object: refuse it here.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if any(map(cycle_has_scored, {criterion.cycle_id for criterion in objs})):
            perms_needed.add(gettext("kriteria penilaian siklus yang sudah menilai"))
        return deleted, counts, perms_needed, protected

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if _fixed(obj):
            self.message_user(request, FIXED, messages.INFO)
        return super().render_change_form(request, context, add, change, form_url, obj)


def _fixed(criterion: Criterion | None) -> bool:
    return criterion is not None and cycle_has_scored(criterion.cycle_id)
