"""Back-office screens for administrators. Organisers use /kelola/pelatihan/ instead, where the
seat rules are enforced; here seat-holding statuses are read-only so the admin cannot oversell."""

from django.contrib import admin

from .models import Attendance, Feedback, QuotaCategory, Registration, Session, Training


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ("title", "starts_at", "ends_at", "space", "address", "online_url", "self_checkin")


class QuotaCategoryInline(admin.TabularInline):
    model = QuotaCategory
    extra = 0
    fields = ("name", "seats", "audience", "residents_only", "min_age", "max_age", "position")


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    list_display = ("title", "agency", "kind", "status", "selection_mode", "created_at")
    list_filter = ("status", "kind", "agency", "selection_mode")
    search_fields = ("title", "public_id")
    readonly_fields = ("public_id", "created_at", "updated_at", "published_at", "created_by")
    filter_horizontal = ("subsectors",)
    inlines = [SessionInline, QuotaCategoryInline]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ("full_name", "training", "category", "status", "created_at", "completed")
    list_filter = ("status", "training__agency", "completed")
    search_fields = ("full_name", "email", "phone", "ticket_code", "public_id", "training__title")
    list_select_related = ("training", "category")
    raw_id_fields = ("user", "training", "category", "kelurahan", "registered_by")
    readonly_fields = (
        "public_id",
        "ticket_code",
        "status",
        "created_at",
        "confirmed_at",
        "offered_at",
        "offer_expires_at",
        "cancelled_at",
    )


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ("registration", "session", "checked_in_at", "method")
    list_filter = ("method",)
    raw_id_fields = ("registration", "session", "checked_in_by")
    list_select_related = ("registration", "session__training")


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ("registration", "rating", "created_at")
    list_filter = ("rating",)
    raw_id_fields = ("registration",)
