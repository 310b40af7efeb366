from django.contrib import admin

from .models import BusinessCalendar, Carrier, CarrierEscalation, SlaClock, SlaPolicy


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "holiday_country", "holiday_subdivision", "is_builtin")
    readonly_fields = ("is_builtin",)


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = ("priority", "calendar", "first_response_minutes", "resolution_minutes")


@admin.register(Carrier)
class CarrierAdmin(admin.ModelAdmin):
    list_display = ("name", "aliases", "response_hours", "calendar")
    search_fields = ("name", "aliases")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Projections of the ticket timeline: recomputed by ``sla.actions``, never edited by hand."""

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(SlaClock)
class SlaClockAdmin(ReadOnlyAdmin):
    list_display = ("ticket", "kind", "access", "state", "due_at", "consumed_minutes", "penalty_percent")
    list_filter = ("kind", "state")
    search_fields = ("ticket__reference",)


@admin.register(CarrierEscalation)
class CarrierEscalationAdmin(ReadOnlyAdmin):
    list_display = ("ticket", "carrier", "carrier_ticket_reference", "started_at", "due_at", "ended_at", "alerted_at")
    search_fields = ("ticket__reference", "carrier_ticket_reference")
