"""Administrators manage users, their roles and agencies here (Django admin)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, Role, RoleGrant, User


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 1
    autocomplete_fields = ["agency"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [RoleGrantInline]
    list_display = [
        "username",
        "email",
        "full_name",
        "email_verified_at",
        "is_active",
        "is_superuser",
    ]
    list_filter = ["is_active", "is_superuser", "role_grants__role", "role_grants__agency"]
    search_fields = ["username", "email", "full_name"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Data diri"), {"fields": ("full_name", "email", "email_verified_at")}),
        (_("Status"), {"fields": ("is_active", "is_staff", "is_superuser", "deleted_at")}),
        (_("Waktu"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "full_name", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ["deleted_at", "last_login", "date_joined"]

    def save_model(self, request, obj, form, change):
        """Who changed an account's status flags or data is in the audit trail."""
        super().save_model(request, obj, form, change)
        if form.changed_data:
            from ekraf.core.services import audit

            fields = sorted(set(form.changed_data) - {"password"})
            action = "accounts.user.change" if change else "accounts.user.create"
            audit(request.user, action, obj, detail={"fields": fields}, request=request)

    def save_formset(self, request, form, formset, change):
        """Roles given or taken away here are audited like grant_role/revoke_role."""
        from .services import _audit_role

        instances = formset.save(commit=False)
        for grant in formset.deleted_objects:
            _audit_role(
                request.user,
                "accounts.role.revoke",
                form.instance,
                grant.role,
                grant.agency,
                request,
            )
            grant.delete()
        for grant in instances:
            is_new = grant.pk is None
            grant.save()
            _audit_role(
                request.user,
                "accounts.role.grant" if is_new else "accounts.role.change",
                form.instance,
                grant.role,
                grant.agency,
                request,
            )
        formset.save_m2m()

    def save_related(self, request, form, formsets, change):
        """Keep Django's staff flags in step with the administrator role granted here."""
        super().save_related(request, form, formsets, change)
        user = form.instance
        is_admin = user.role_grants.filter(role=Role.ADMIN).exists()
        if is_admin and not (user.is_staff and user.is_superuser):
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "user",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__username", "prefix"]
    readonly_fields = ["user", "prefix", "key_hash", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False
