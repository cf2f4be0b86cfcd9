"""Permissions that follow from an official's role rather than from hand-set flags."""

from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.models import Permission

from areas.models import Role
from areas.scope import reach

# The apps the planning office administers in full (within its kota: the admin is scoped).
PLANNING_APPS = ("areas", "proposals", "sidang")


class RolePermissionBackend(BaseBackend):
    """The planning office holds every permission of the planning apps."""

    def get_all_permissions(self, user_obj, obj=None):
        if obj is not None or not user_obj.is_active or user_obj.is_anonymous:
            return set()
        if Role.PLANNING not in reach(user_obj).roles:
            return set()
        cached = getattr(user_obj, "_role_perm_cache", None)
        if cached is None:
            cached = {
                f"{app}.{codename}"
                for app, codename in Permission.objects.filter(
                    content_type__app_label__in=PLANNING_APPS
                ).values_list("content_type__app_label", "codename")
            }
            user_obj._role_perm_cache = cached
        return cached

    def has_perm(self, user_obj, perm, obj=None):
        return perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj, app_label):
        return any(p.startswith(app_label + ".") for p in self.get_all_permissions(user_obj))
