"""Admin: notices and their deliveries, read-only. The superuser reads everyone's (to see why an
e-mail failed); anyone else with access only their own."""

from django.contrib import admin

from areas.admin import OutOfScopeIs404
from notices.models import Delivery, Notice


class ReadOnlyAdmin(OutOfScopeIs404, admin.ModelAdmin):
    """Notices are written by the services that report an action; nobody edits them here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = ["channel", "address", "status", "attempts", "sent_at", "last_error"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["subject", "user", "kind", "created_at", "read_at"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["subject", "user__username"]
    list_select_related = ["user"]
    show_full_result_count = False
    inlines = [DeliveryInline]

    def get_queryset(self, request):
        notices = super().get_queryset(request)
        return notices if request.user.is_superuser else notices.visible_to(request.user)


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["notice", "channel", "address", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel"]
    search_fields = ["address", "notice__subject"]
    list_select_related = ["notice"]
    show_full_result_count = False

    def get_queryset(self, request):
        deliveries = super().get_queryset(request)
        if request.user.is_superuser:
            return deliveries
        return deliveries.filter(notice__in=Notice.objects.visible_to(request.user))
