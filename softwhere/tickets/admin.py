from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from softwhere.core.admin import ReadOnlyAdmin

from .models import Ticket, TimelineEntry


class TimelineInline(admin.TabularInline):
    model = TimelineEntry
    extra = 0
    fields = ("created_at", "kind", "visibility", "author", "body")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    """Read-only: tickets change only through tickets.actions (desk pages and API)."""

    list_display = ("reference", "organisation", "subject", "status", "level", "priority", "created_at")
    list_filter = ("status", "level", "service_state", "priority")
    list_select_related = ("organisation",)
    search_fields = ("reference", "subject", "organisation__name", "carrier_ticket_reference")
    date_hierarchy = "created_at"
    inlines = [TimelineInline]
