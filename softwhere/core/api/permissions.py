"""Role checks for the API.

Write checks run on the object (after the scoped lookup) so an object out of
the user's scope is a 404 before any 403 could reveal it exists.
"""

from __future__ import annotations

from typing import Any

from rest_framework import permissions
from rest_framework.request import Request

from softwhere.accounts.choices import INVENTORY_EDITORS


def has_role(user: Any, roles: frozenset[str]) -> bool:
    return bool(user.is_superuser or user.role in roles)


class IsDeskStaff(permissions.BasePermission):
    """Operator staff only (internal resources such as the resolution catalogue)."""

    message = "Réservé aux équipes du support."

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.is_desk_staff)


class RoleForWrites(permissions.BasePermission):
    """Anyone in scope may read; writes need one of ``view.editor_roles``."""

    message = "Votre rôle ne permet pas de modifier ces données."

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS or getattr(view, "detail", False):
            return True  # detail writes are checked on the object, after the scoped lookup
        return has_role(request.user, getattr(view, "editor_roles", INVENTORY_EDITORS))

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return has_role(request.user, getattr(view, "editor_roles", INVENTORY_EDITORS))
