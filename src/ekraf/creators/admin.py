"""Administrators' view of the registry. The NIK is never shown here, not even to them:
revealing it is a deliberate, audited act on the staff profile page."""

from django.contrib import admin

from .models import Channel, Consent, CreatorProfile, ImportBatch, Skill


class ChannelInline(admin.TabularInline):
    model = Channel
    extra = 0


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    readonly_fields = ["purpose", "text_version", "given_at", "withdrawn_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CreatorProfile)
class CreatorProfileAdmin(admin.ModelAdmin):
    list_display = ["full_name", "display_name", "kelurahan", "phone", "source", "created_at"]
    list_filter = ["source", "source_agency", "subsectors", "kelurahan__parent"]
    search_fields = ["full_name", "display_name", "user__email", "phone", "public_id"]
    list_select_related = ["kelurahan"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["subsectors", "skills"]
    readonly_fields = ["public_id", "nik_masked", "source", "source_agency", "import_batch"]
    exclude = ["nik_encrypted", "nik_hash"]
    inlines = [ChannelInline, ConsentInline]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = [
        "original_name",
        "agency",
        "status",
        "valid_rows",
        "created_count",
        "created_at",
    ]
    list_filter = ["status", "agency"]
    readonly_fields = [f.name for f in ImportBatch._meta.fields]

    def has_add_permission(self, request):
        return False
