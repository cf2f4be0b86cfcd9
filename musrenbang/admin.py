"""The audit trail in the admin: to read, never to change or delete (DESIGN §5).

auditlog's and axes' own admins are imported first, then replaced by read-only subclasses.
"""

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditEntryAdmin(ReadOnly, LogEntryAdmin):
    pass


class SignInAdmin(ReadOnly, AccessLogAdmin):
    pass


class FailedSignInAdmin(ReadOnly, AccessFailureLogAdmin):
    pass


class LockoutAdmin(AccessAttemptAdmin):
    """A lockout stays deletable: deleting it is how the planning office lifts it early.
    The sign-in and failure logs keep the record of what happened."""

    def has_change_permission(self, request, obj=None):
        return False


for model, model_admin in (
    (LogEntry, AuditEntryAdmin),
    (AccessLog, SignInAdmin),
    (AccessFailureLog, FailedSignInAdmin),
    (AccessAttempt, LockoutAdmin),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
