"""Admin for the planning office: areas, technical units, officials and their assignments.

Each changelist starts from `visible_to`, so a planning officer administers their own kota only.
The mixins here serve the admins of every app.
"""

import mimetypes

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminFileWidget
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, router, transaction
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from areas import scope
from areas.models import Area, Assignment, Dapil, Role, TechnicalUnit, User
from areas.services import password_changed


class RefusalIsAMessage:
    """A write the database refuses (a trigger, a constraint) is an error message that changes
    nothing, never a server error. Each POST runs in a savepoint of its own and the refusal is
    caught outside it: the admin's own atomic blocks sit inside and have rolled back by then."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        view = super().changeform_view
        return self._refusal_is_a_message(request, view, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        return self._refusal_is_a_message(request, super().changelist_view, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        return self._refusal_is_a_message(request, super().delete_view, object_id, extra_context)

    def _refusal_is_a_message(self, request, view, *args):
        if request.method != "POST":
            return view(request, *args)
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return view(request, *args)
        except DatabaseError as error:
            # The first line says it; PostgreSQL adds the trigger's context below.
            reason = next(iter(str(error).splitlines()), "") or type(error).__name__
            message = gettext("Perubahan ditolak oleh basis data: %(reason)s") % {"reason": reason}
            self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class OutOfScopeIs404:
    """Outside the official's reach an object does not exist: 404, not the admin's redirect."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj


class ScopedChoices:
    """Every foreign key's choices limited to what the signed-in official reaches: the related
    model's own `visible_to`, wherever it has one (its `limit_choices_to` still applies)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        manager = db_field.related_model._default_manager
        if "queryset" not in kwargs and hasattr(manager, "visible_to"):
            kwargs["queryset"] = manager.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedAdmin(RefusalIsAMessage, OutOfScopeIs404, ScopedChoices, admin.ModelAdmin):
    """A changelist and change form limited to what the signed-in official reaches."""

    def get_queryset(self, request):
        return self.model.objects.visible_to(request.user)


class StoredFileLink:
    """A stored file as the file widget shows it: its name, linked to `url`."""

    def __init__(self, name: str, url: str):
        self.name, self.url = name, url

    def __str__(self) -> str:
        return self.name


class LinkedFileWidget(AdminFileWidget):
    """The file widget whose current file links to the admin's own page of it: no file has an
    address of its own in the storage (an object store's are private)."""

    def __init__(self, url: str, attrs=None):
        super().__init__(attrs)
        self.url = url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if context["widget"]["is_initial"]:
            context["widget"]["value"] = StoredFileLink(value.name, self.url)
        return context


@admin.register(Area)
class AreaAdmin(ScopedAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    raw_id_fields = ["parent"]
    ordering = ["code"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None and "logo" in form.base_fields:
            url = reverse("admin:areas_area_logo", args=[obj.pk])
            form.base_fields["logo"].widget = LinkedFileWidget(url)
        return form

    def get_urls(self):
        logo = path("<path:object_id>/logo/", self.admin_site.admin_view(self.logo_view))
        logo.name = "areas_area_logo"
        return [logo, *super().get_urls()]

    def logo_view(self, request, object_id):
        """The letterhead logo as stored, to those who administer its area."""
        area = self.get_object(request, unquote(object_id))
        if not self.has_view_permission(request, area):
            raise PermissionDenied
        if not area.logo:
            raise Http404
        content_type = mimetypes.guess_type(area.logo.name)[0] or "application/octet-stream"
        response = FileResponse(area.logo.open("rb"), content_type=content_type)
        response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
        response["X-Content-Type-Options"] = "nosniff"
        return response


@admin.register(TechnicalUnit)
class TechnicalUnitAdmin(ScopedAdmin):
    list_display = ["name", "code", "kota"]
    list_filter = ["kota"]
    search_fields = ["name", "code"]
    list_select_related = ["kota"]


@admin.register(Dapil)
class DapilAdmin(ScopedAdmin):
    """A DPRD electoral district: the kecamatan of one kota whose proposals its members read."""

    list_display = ["name", "kota"]
    list_filter = ["kota"]
    search_fields = ["name"]
    list_select_related = ["kota"]
    filter_horizontal = ["kecamatan"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "kecamatan":
            kwargs["queryset"] = Area.objects.visible_to(request.user).kecamatan()
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class AssignmentInline(ScopedChoices, admin.TabularInline):
    model = Assignment
    extra = 1
    raw_id_fields = ["area"]


class AssignmentRoleFilter(admin.SimpleListFilter):
    title = _("peran")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return Role.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(assignments__role=self.value()).distinct()
        return queryset


@admin.register(User)
class UserAdmin(RefusalIsAMessage, OutOfScopeIs404, DjangoUserAdmin):
    inlines = [AssignmentInline]
    list_display = ["username", "full_name", "position", "is_active", "is_staff"]
    list_filter = [AssignmentRoleFilter, "is_active", "is_staff", "is_superuser"]
    search_fields = [
        "username",
        "full_name",
        "nip",
        "first_name",
        "last_name",
        "email",
        "assignments__area__name",
    ]
    # What documents print under an official's signature comes right after the sign-in.
    signatory = (_("Penanda tangan"), {"fields": ["full_name", "nip", "position"]})
    fieldsets = [DjangoUserAdmin.fieldsets[0], signatory, *DjangoUserAdmin.fieldsets[1:]]
    add_fieldsets = [*DjangoUserAdmin.add_fieldsets, signatory]

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        # Only a superuser hands out superuser status or raw permissions.
        return ["is_superuser", "is_staff", "groups", "user_permissions", "last_login"]

    def get_queryset(self, request):
        users = super().get_queryset(request)
        if request.user.is_superuser:
            return users
        # An official administers the users whose assignments lie in their reach.
        reachable = Assignment.objects.filter(
            scope.area_q(request.user, "area") | scope.unit_q(request.user, "unit")
        )
        return users.filter(assignments__in=reachable).distinct()

    def user_change_password(self, request, id, form_url=""):
        """The admin's page that sets another official's password: recorded in the audit trail
        in the same transaction whenever it did set one (auditlog leaves passwords out)."""
        with transaction.atomic(using=router.db_for_write(User)):
            user = self.get_object(request, unquote(id))  # outside the reach: 404
            before = user.password
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST":
                user.refresh_from_db(fields=["password"])
                if user.password != before:
                    password_changed(user=user, by=request.user)
        return response
