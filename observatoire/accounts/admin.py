from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from .models import User


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name", "role", "organization"]


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = ["email", "full_name", "role", "organization", "is_active"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == "organization_editor" and not cleaned.get("organization"):
            raise forms.ValidationError(
                _("An organisation editor must be linked to the organisation they edit.")
            )
        return cleaned


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    list_display = ["email", "full_name", "role", "organization", "is_active", "last_login"]
    list_filter = ["role", "is_active"]
    search_fields = ["email", "full_name"]
    ordering = ["email"]
    autocomplete_fields = ["organization"]
    list_select_related = ["organization"]
    filter_horizontal: list[str] = []
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Identity"), {"fields": ["full_name"]}),
        (_("Access"), {"fields": ["role", "organization", "is_active"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "role", "organization", "password1", "password2"],
            },
        )
    ]
    readonly_fields = ["last_login", "date_joined"]
