"""Every change to organisations, sites and contacts goes through one function here.

Each checks the actor's role, runs ``full_clean()`` (so normalisation and field
errors happen in one place), saves in a transaction and writes an audit entry.
``create_object`` / ``update_object`` are shared with ``inventory.actions``.
"""

from __future__ import annotations

import contextlib
import datetime
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from softwhere.accounts.choices import INVENTORY_EDITORS
from softwhere.core.models import record_audit

from .models import Contact, Organisation, Site

M = TypeVar("M", bound=models.Model)


def check_inventory_editor(actor: Any) -> None:
    if not (actor.is_superuser or actor.role in INVENTORY_EDITORS):
        raise PermissionDenied("Votre rôle ne permet pas de modifier l'inventaire.")


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def validate(obj: models.Model) -> None:
    """``full_clean()`` on the normalised values.

    ``clean()`` normalises ("69 007", a SIRET written with spaces) but Django runs it after
    the max_length checks of ``clean_fields()``; normalising first lets usual writings in.
    Errors of that first pass are reported by ``full_clean()``, together with the others.
    """
    with contextlib.suppress(ValidationError):
        obj.clean()
    obj.full_clean()


def create_object(model_class: type[M], /, *, actor: Any, audit_action: str, **fields: Any) -> M:
    """Build, validate and save one object; the audit entry lists the values given."""
    check_inventory_editor(actor)
    obj = model_class(**fields)
    with transaction.atomic():
        validate(obj)
        obj.save()
        record_audit(actor, audit_action, obj, {f: _jsonable(getattr(obj, f)) for f in fields})
    return obj


def update_object(obj: M, /, *, actor: Any, audit_action: str, **changes: Any) -> M:
    """Apply ``changes``, validate the whole object and audit the fields that really changed."""
    check_inventory_editor(actor)
    with transaction.atomic():
        obj = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        before = {f: _jsonable(getattr(obj, f)) for f in changes}
        for field, value in changes.items():
            setattr(obj, field, value)
        validate(obj)
        diff = {
            f: [before[f], _jsonable(getattr(obj, f))] for f in changes if before[f] != _jsonable(getattr(obj, f))
        }
        if diff:
            obj.save()
            record_audit(actor, audit_action, obj, diff)
    return obj


def refuse_move(obj: models.Model, field: str, changes: dict[str, Any], message: str) -> None:
    """Objects keep their owner: moving them would carry tickets and history to another company."""
    if field in changes and _jsonable(changes[field]) != _jsonable(getattr(obj, field)):
        raise ValidationError({field: [message]})


def create_organisation(*, actor: Any, **fields: Any) -> Organisation:
    return create_object(Organisation, actor=actor, audit_action="customers.create", **fields)


def update_organisation(organisation: Organisation, *, actor: Any, **changes: Any) -> Organisation:
    return update_object(organisation, actor=actor, audit_action="customers.update", **changes)


def create_site(*, actor: Any, **fields: Any) -> Site:
    return create_object(Site, actor=actor, audit_action="customers.create", **fields)


def update_site(site: Site, *, actor: Any, **changes: Any) -> Site:
    check_inventory_editor(actor)
    refuse_move(site, "organisation", changes, "Un site ne change pas d'organisation.")
    return update_object(site, actor=actor, audit_action="customers.update", **changes)


def create_contact(*, actor: Any, **fields: Any) -> Contact:
    return create_object(Contact, actor=actor, audit_action="customers.create", **fields)


def update_contact(contact: Contact, *, actor: Any, **changes: Any) -> Contact:
    check_inventory_editor(actor)
    refuse_move(contact, "organisation", changes, "Un contact ne change pas d'organisation.")
    return update_object(contact, actor=actor, audit_action="customers.update", **changes)
