from django.contrib import admin

from softwhere.core.admin import InventoryEditorAdmin

from .models import Access, Equipment, MobileLine, NumberRange, VoiceService

SERVICE_FIELDS = ("site", "label", "status", "carrier", "carrier_reference", "commitment_months",
                  "commitment_start", "monthly_fee")


class ServiceAdmin(InventoryEditorAdmin):
    list_select_related = ("site__organisation",)
    search_fields = ["label", "carrier_reference", "site__name", "site__organisation__name"]
    autocomplete_fields = ("site",)


@admin.register(Access)
class AccessAdmin(ServiceAdmin):
    list_display = ("__str__", "site", "technology", "gtr_option", "carrier_reference", "status")
    list_filter = ("technology", "gtr_option", "status")
    fields = (*SERVICE_FIELDS, "technology", "pairs", "bandwidth_down_mbps", "bandwidth_up_mbps", "gtr_option")


class NumberRangeInline(admin.TabularInline):
    model = NumberRange
    extra = 0


@admin.register(VoiceService)
class VoiceServiceAdmin(ServiceAdmin):
    list_display = ("__str__", "site", "voice_kind", "simultaneous_calls", "seats", "status")
    list_filter = ("voice_kind", "status")
    fields = (*SERVICE_FIELDS, "voice_kind", "simultaneous_calls", "seats", "fax_email")
    inlines = [NumberRangeInline]


@admin.register(MobileLine)
class MobileLineAdmin(ServiceAdmin):
    list_display = ("msisdn", "site", "sim_kind", "iccid", "fleet", "status")
    list_filter = ("sim_kind", "roaming_enabled", "status")
    search_fields = ["msisdn", "iccid", "label", "site__name", "site__organisation__name"]
    fields = (*SERVICE_FIELDS, "msisdn", "sim_kind", "iccid", "apn", "roaming_enabled", "fleet")


@admin.register(Equipment)
class EquipmentAdmin(InventoryEditorAdmin):
    list_display = ("__str__", "kind", "site", "serial_number", "mac_address", "management_ip", "warranty_end")
    list_filter = ("kind",)
    list_select_related = ("site__organisation",)
    search_fields = ("serial_number", "mac_address", "hostname", "brand", "model", "site__name")
    autocomplete_fields = ("site",)
