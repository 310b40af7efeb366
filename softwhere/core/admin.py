"""Django admin: the back-office for inventory edits (INVENTORY_EDITORS) and read-only audit views.

Access to the admin itself still requires ``is_staff``; what each staff user may
do in it follows the desk roles, not Django's per-model permission table.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from softwhere.accounts.choices import INVENTORY_EDITORS, Role

from .models import AuditEntry, record_audit

admin.site.site_header = "SoftWhere Desk — administration"
admin.site.site_title = "SoftWhere Desk"
admin.site.index_title = "Inventaire, comptes et référentiels"


def _staff(request: HttpRequest) -> Any:
    user = request.user
    return user if user.is_active and user.is_staff else None


class InventoryEditorAdmin(admin.ModelAdmin):
    """Editable by INVENTORY_EDITORS; deletion by administrators only; every save is audited."""

    def _can_edit(self, request: HttpRequest) -> bool:
        user = _staff(request)
        return bool(user and (user.is_superuser or user.role in INVENTORY_EDITORS))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._can_edit(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._can_edit(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._can_edit(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._can_edit(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        user = _staff(request)
        return bool(user and (user.is_superuser or user.role == Role.ADMIN))

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        record_audit(request.user, "admin.change" if change else "admin.add", obj, {"fields": form.changed_data})

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        record_audit(request.user, "admin.delete", obj)
        super().delete_model(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Visible to desk staff in the admin, never edited there (changes go through the actions)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        user = _staff(request)
        return bool(user and user.is_desk_staff)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor", "action", "object_type", "object_repr")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "object_id", "actor__username")
    date_hierarchy = "created_at"
