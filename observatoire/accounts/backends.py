"""Permissions follow the user's role, so nobody maintains groups by hand."""

from django.apps import apps
from django.contrib.auth.backends import BaseBackend

from .models import Role

# Apps whose records network staff manage in full.
STAFF_MANAGED_APPS = {"organizations", "referentials"}
# Reference data that staff may not change: it is rebuilt from the official sources.
READ_ONLY_FOR_STAFF = {
    "referentials.region",
    "referentials.departement",
    "referentials.commune",
    "referentials.country",
    "referentials.sdg",
    "referentials.sdgtarget",
}
# Extra permissions (beyond add/change/delete/view) given to readers of the observatory.
OBSERVATORY_EXTRA = {"organizations.export_organization", "organizations.export_person"}


def _model_permissions(app_labels: set[str]) -> set[str]:
    permissions: set[str] = set()
    for app_label in app_labels:
        for model in apps.get_app_config(app_label).get_models():
            name = model._meta.model_name
            for action in model._meta.default_permissions:
                permissions.add(f"{app_label}.{action}_{name}")
            for codename, _label in model._meta.permissions:
                permissions.add(f"{app_label}.{codename}")
    return permissions


def role_permissions(role: str) -> set[str]:
    """The set of 'app_label.codename' permissions that a role grants."""
    if role == Role.STAFF:
        permissions = _model_permissions(STAFF_MANAGED_APPS)
        for label in READ_ONLY_FOR_STAFF:
            app_label, name = label.split(".")
            permissions -= {f"{app_label}.{a}_{name}" for a in ("add", "change", "delete")}
        return permissions
    if role == Role.OBSERVATORY:
        every = _model_permissions(STAFF_MANAGED_APPS)
        return {p for p in every if ".view_" in p} | OBSERVATORY_EXTRA
    return set()


class RolePermissionBackend(BaseBackend):
    """Grants permissions by role; administrators hold every permission."""

    def authenticate(self, request, **credentials):
        return None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous:
            return set()
        if user_obj.role == Role.ADMINISTRATOR:
            return {f"{ct.app_label}.{codename}" for ct, codename in _all_permission_pairs()}
        return role_permissions(user_obj.role)

    def has_perm(self, user_obj, perm, obj=None):
        if user_obj.is_active and getattr(user_obj, "role", None) == Role.ADMINISTRATOR:
            return True
        return perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj, app_label):
        if user_obj.is_active and getattr(user_obj, "role", None) == Role.ADMINISTRATOR:
            return True
        return any(p.startswith(f"{app_label}.") for p in self.get_all_permissions(user_obj))


def _all_permission_pairs():
    from django.contrib.auth.models import Permission

    return [(p.content_type, p.codename) for p in Permission.objects.select_related("content_type")]
