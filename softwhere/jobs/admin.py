from django.contrib import admin

from .models import ScheduledJob


@admin.register(ScheduledJob)
class ScheduledJobAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "due_at", "status", "attempts", "locked_by", "done_at")
    list_filter = ("status", "kind")
    search_fields = ("kind", "dedupe_key")
    readonly_fields = ("attempts", "locked_by", "locked_until", "last_error", "created_at", "done_at")
