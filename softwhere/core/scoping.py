"""Tenant scoping: every queryset the UI or API shows goes through ``visible_to(user)``.

Staff roles see everything; a partner user sees its own organisation and the
clients attached to it; a client user sees only its own company. Objects out of
scope are simply absent, so a foreign ticket is a 404, never a 403.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.db.models import Q

_QS = TypeVar("_QS", bound="ScopedQuerySet[Any]")
_M = TypeVar("_M", bound=models.Model)


class ScopedQuerySet(models.QuerySet[_M]):
    #: ORM path from this model to its owning customers.Organisation ("" for Organisation itself).
    scope_path: str = "organisation"

    def visible_to(self: _QS, user: Any) -> _QS:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_desk_staff:
            return self
        org_id = user.organisation_id
        if org_id is None:
            return self.none()
        prefix = f"{self.scope_path}__" if self.scope_path else ""
        own = Q(**{f"{prefix}pk": org_id}) if self.scope_path == "" else Q(**{f"{self.scope_path}_id": org_id})
        if user.role == "partner":
            return self.filter(own | Q(**{f"{prefix}partner_id": org_id}))
        if user.role == "client":
            return self.filter(own)
        return self.none()


def scoped_manager(path: str) -> Any:
    """A manager whose queryset scopes through ``path``."""
    qs_class = type(f"ScopedQuerySet_{path or 'self'}", (ScopedQuerySet,), {"scope_path": path})
    return models.Manager.from_queryset(qs_class)()
