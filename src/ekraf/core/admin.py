from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Agency, AuditEvent, City, OutboxMessage, Region, Space, Subsector


def _formfield(field, **kwargs):
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")  # Django 6's default, without its warning
    return field.formfield(**kwargs)


def _logo_form(model_class, field_names):
    """The model's admin form with its logo through the upload gate (re-encoded PNG, no
    metadata, a generated name)."""
    from .uploads import ImageUploadField

    class LogoForm(forms.ModelForm):
        logo = ImageUploadField("logo", required=False)

        class Meta:
            model = model_class
            fields = field_names
            formfield_callback = _formfield

    return LogoForm


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    form = _logo_form(
        City,
        [
            "code",
            "name",
            "short_name",
            "province",
            "platform_name",
            "address",
            "email",
            "phone",
            "website",
            "logo",
        ],
    )
    list_display = ["name", "code", "platform_name", "email", "phone"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]


@admin.register(Subsector)
class SubsectorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_id", "name_en", "position"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    form = _logo_form(
        Agency,
        ["code", "short_name", "name", "kind", "logo", "address", "email", "phone", "is_active"],
    )
    list_display = ["code", "short_name", "name", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "short_name", "name"]


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "floor", "kind", "capacity", "is_active"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Administrators search the trail: by action (prefix such as `training.`), record,
    actor (username, name or the id kept after an account is deleted) or address; filter by
    kind of record, action and date. Nothing here can change an entry (the chain would show)."""

    list_display = ["seq", "at", "actor", "action", "target_type", "target_id", "ip"]
    list_filter = ["target_type", "action", ("at", admin.DateFieldListFilter)]
    search_fields = [
        "action",
        "target_id",
        "actor_ref",
        "actor__username",
        "actor__first_name",
        "actor__last_name",
        "=ip",
    ]
    date_hierarchy = "at"
    list_select_related = ["actor"]
    show_full_result_count = False
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "kind",
        "to_email",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "error",
        "sent_at",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["to_email", "subject"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    actions = ["send_again"]

    @admin.action(description=_("Kirim ulang pesan yang gagal"))
    def send_again(self, request, queryset):
        from . import notifications

        count = sum(
            notifications.retry_failed(pk)
            for pk in queryset.filter(status=OutboxMessage.Status.FAILED).values_list(
                "pk", flat=True
            )
        )
        self.message_user(request, _("%(count)d pesan diantrekan lagi.") % {"count": count})
