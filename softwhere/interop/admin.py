from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Hub, InteropMessage, InteropPeer, Notice, ServedAccess, Signalisation


class ServedAccessInline(admin.TabularInline):
    model = ServedAccess
    extra = 0
    raw_id_fields = ("access",)


@admin.register(InteropPeer)
class InteropPeerAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "peer_role", "protocol", "is_active")
    list_filter = ("peer_role", "protocol", "is_active")
    inlines = [ServedAccessInline]
    raw_id_fields = ("inbound_user",)


@admin.register(Signalisation)
class SignalisationAdmin(admin.ModelAdmin):
    list_display = ("oc_reference", "oi_reference", "peer", "role", "protocol", "status", "closure_code", "created_at")
    list_filter = ("role", "protocol", "status")
    search_fields = ("oc_reference", "oi_reference", "reference_prise", "reference_prestation")
    raw_id_fields = ("ticket", "access")


@admin.register(InteropMessage)
class InteropMessageAdmin(admin.ModelAdmin):
    """The journal is evidence: read-only."""

    list_display = ("created_at", "direction", "protocol", "kind", "status", "peer", "filename")
    list_filter = ("direction", "protocol", "kind", "status")
    search_fields = ("filename", "subject", "reason")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


admin.site.register(Notice)
admin.site.register(Hub)
