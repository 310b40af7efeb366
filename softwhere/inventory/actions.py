"""Every change to services, number ranges and equipment goes through one function here.

Same contract as ``customers.actions``: role check, ``full_clean()``, one
transaction, one audit entry. Services and equipment may move between sites of
the same company, never to another company.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from softwhere.customers.actions import check_inventory_editor, create_object, refuse_move, update_object

from .models import Access, Equipment, MobileLine, NumberRange, VoiceService


def _same_company(obj: Access | VoiceService | MobileLine | Equipment, changes: dict[str, Any]) -> None:
    site = changes.get("site")
    if site is not None and site.organisation_id != obj.site.organisation_id:
        raise ValidationError({"site": ["Ce site appartient à une autre organisation."]})


def create_access(*, actor: Any, **fields: Any) -> Access:
    return create_object(Access, actor=actor, audit_action="inventory.create", **fields)


def update_access(access: Access, *, actor: Any, **changes: Any) -> Access:
    check_inventory_editor(actor)
    _same_company(access, changes)
    return update_object(access, actor=actor, audit_action="inventory.update", **changes)


def create_voice_service(*, actor: Any, **fields: Any) -> VoiceService:
    return create_object(VoiceService, actor=actor, audit_action="inventory.create", **fields)


def update_voice_service(service: VoiceService, *, actor: Any, **changes: Any) -> VoiceService:
    check_inventory_editor(actor)
    _same_company(service, changes)
    return update_object(service, actor=actor, audit_action="inventory.update", **changes)


def create_number_range(*, actor: Any, **fields: Any) -> NumberRange:
    return create_object(NumberRange, actor=actor, audit_action="inventory.create", **fields)


def update_number_range(number_range: NumberRange, *, actor: Any, **changes: Any) -> NumberRange:
    check_inventory_editor(actor)
    refuse_move(number_range, "voice_service", changes, "Une plage ne change pas de service voix.")
    return update_object(number_range, actor=actor, audit_action="inventory.update", **changes)


def create_mobile_line(*, actor: Any, **fields: Any) -> MobileLine:
    return create_object(MobileLine, actor=actor, audit_action="inventory.create", **fields)


def update_mobile_line(line: MobileLine, *, actor: Any, **changes: Any) -> MobileLine:
    check_inventory_editor(actor)
    _same_company(line, changes)
    return update_object(line, actor=actor, audit_action="inventory.update", **changes)


def create_equipment(*, actor: Any, **fields: Any) -> Equipment:
    return create_object(Equipment, actor=actor, audit_action="inventory.create", **fields)


def update_equipment(equipment: Equipment, *, actor: Any, **changes: Any) -> Equipment:
    check_inventory_editor(actor)
    _same_company(equipment, changes)
    return update_object(equipment, actor=actor, audit_action="inventory.update", **changes)
