from django import forms
from django.contrib import admin

from ekraf.core.uploads import ImageUploadField

from .models import (
    Certificate,
    IssuanceJob,
    Referral,
    ReferralEvent,
    Signatory,
    StatusList,
    TrainingSignatories,
)


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    """Read-only: certificates change only through issuance and revocation (services)."""

    list_display = ("number", "holder_name", "training_title", "agency", "issued_on", "revoked_at")
    list_filter = ("agency", "kind", "year")
    search_fields = ("number", "code", "holder_name", "training_title")
    list_select_related = ("agency",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SignatoryAdminForm(forms.ModelForm):
    signature = ImageUploadField("signature", required=False)

    class Meta:
        model = Signatory
        fields = ["agency", "name", "nip", "title", "signature", "is_active"]


@admin.register(Signatory)
class SignatoryAdmin(admin.ModelAdmin):
    form = SignatoryAdminForm
    list_display = ("name", "title", "agency", "is_active")
    list_filter = ("agency", "is_active")


@admin.register(TrainingSignatories)
class TrainingSignatoriesAdmin(admin.ModelAdmin):
    list_display = ("training", "first", "second")
    raw_id_fields = ("training",)


@admin.register(IssuanceJob)
class IssuanceJobAdmin(admin.ModelAdmin):
    list_display = ("public_id", "training", "status", "done", "total", "failed", "created_at")
    list_filter = ("status",)
    readonly_fields = [f.name for f in IssuanceJob._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(StatusList)
class StatusListAdmin(admin.ModelAdmin):
    list_display = ("agency", "number", "allocated", "size", "published_at", "needs_publish")
    readonly_fields = [f.name for f in StatusList._meta.fields]

    def has_add_permission(self, request):
        return False


class ReferralEventInline(admin.TabularInline):
    model = ReferralEvent
    extra = 0
    readonly_fields = ("status", "note", "actor", "at")


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ("full_name", "scheme", "agency", "status", "created_at")
    list_filter = ("status", "agency")
    search_fields = ("full_name", "scheme")
    inlines = [ReferralEventInline]
    readonly_fields = ("training_record",)
