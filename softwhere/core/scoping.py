"""Tenant scoping: every queryset the UI or API shows goes through ``visible_to(user)``.

Staff roles see everything; a partner user sees its own organisation and the
clients attached to it; a client user sees only its own company. Objects out of
scope are simply absent, so a foreign ticket is a 404, never a 403.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q


class ScopedQuerySet(models.QuerySet[Any]):
    #: ORM path from this model to its owning customers.Organisation ("" for Organisation itself).
    scope_path: str = "organisation"

    def visible_to(self, user: Any) -> Any:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_desk_staff:
            return self
        org_id = user.organisation_id
        if org_id is None:
            return self.none()
        if self.scope_path:
            own = Q(**{f"{self.scope_path}_id": org_id})
            via_partner = Q(**{f"{self.scope_path}__partner_id": org_id})
        else:
            own, via_partner = Q(pk=org_id), Q(partner_id=org_id)
        if user.role == "partner":
            return self.filter(own | via_partner)
        if user.role == "client":
            return self.filter(own)
        return self.none()


class OrganisationQuerySet(ScopedQuerySet):
    scope_path = ""


class OwnedByOrganisationQuerySet(ScopedQuerySet):
    scope_path = "organisation"


class OnSiteQuerySet(ScopedQuerySet):
    scope_path = "site__organisation"


class OfVoiceServiceQuerySet(ScopedQuerySet):
    scope_path = "voice_service__site__organisation"


class OfTicketQuerySet(ScopedQuerySet):
    scope_path = "ticket__organisation"
