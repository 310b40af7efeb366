"""Every change to a company's hosted telephony goes through one function here.

Each checks the actor may edit this company (desk editors, its partner, its own
manager), applies the change in a transaction, re-checks the whole company against
the seed's rules (``services/rules.py``: limits, defaults, references, uniqueness)
and writes an audit entry; any problem rolls the change back with French messages.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from softwhere.core.models import record_audit
from softwhere.customers.models import Organisation, Site

from .choices import DEFAULT_ANNOUNCEMENTS, MOBILE_PSEUDO_SITE, TELEPHONY_EDITORS, AnnouncementSlot
from .models import (
    Announcement,
    Calendar,
    CallGroup,
    CallGroupMember,
    DirectoryContact,
    Ivr,
    Line,
    Offer,
    PickupGroup,
    TelephonySite,
)
from .services.audio import read_audio
from .services.config import config_from_document, default_services, merge_defaults
from .services.document import company_issues, ensure_pseudo_site, export_document, import_document
from .services.numbers import normalize_number
from .services.rules import calendar_references, issues_to_validation_error
from .services.simulator import CallState, Simulation, simulate

M = TypeVar("M", bound=models.Model)
DEFAULT_NAMES = {name for name, _ in DEFAULT_ANNOUNCEMENTS.values()}
LINE_SLOTS = {
    "welcome_announcement": AnnouncementSlot.ACCUEIL_LIGNE,
    "hold_announcement": AnnouncementSlot.ATTENTE_LIGNE,
    "call_waiting_announcement": AnnouncementSlot.DOUBLE_APPEL,
}


def can_edit(actor: Any, org: Organisation) -> bool:
    if not getattr(actor, "is_authenticated", False):
        return False
    if not (actor.is_superuser or actor.role in TELEPHONY_EDITORS):
        return False
    return bool(Organisation.objects.visible_to(actor).filter(pk=org.pk).exists())


def check_editor(actor: Any, org: Organisation) -> None:
    if not can_edit(actor, org):
        raise PermissionDenied("Votre rôle ne permet pas de modifier la téléphonie de cette entreprise.")


def _commit(
    org: Organisation,
    actor: Any,
    action: str,
    changes: dict[str, Any],
    mutate: Callable[[], M],
    instance: models.Model | None = None,
) -> M:
    """Apply ``mutate`` then re-check the whole company; any rule broken rolls everything back.

    ``instance``, the object edited in place, is reloaded on refusal so callers never keep refused values.
    """
    check_editor(actor, org)
    try:
        with transaction.atomic():
            obj = mutate()
            issues = company_issues(org)
            if issues:
                raise issues_to_validation_error(issues)
            record_audit(actor, action, obj, changes)
    except ValidationError:
        if instance is not None and instance.pk:
            instance.refresh_from_db()
        raise
    return obj


def _set(obj: M, changes: dict[str, Any]) -> M:
    for field, value in changes.items():
        setattr(obj, field, value)
    obj.save()
    return obj


def _jsonable(changes: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.pk if isinstance(v, models.Model) else v) for k, v in changes.items() if k != "data"}


# --- Offer and sites ---------------------------------------------------------------------------------------


def set_offer(org: Organisation, *, actor: Any, plans: dict[str, int], options: dict[str, int] | None = None) -> Offer:
    """Record the plans and options subscribed (and create the automatic mobile pseudo-site)."""

    def mutate() -> Offer:
        ensure_pseudo_site(org)
        offer, _ = Offer.objects.update_or_create(organisation=org, defaults={"plans": plans, "options": options or {}})
        return offer

    return _commit(org, actor, "telephony.offer", {"plans": plans, "options": options or {}}, mutate)


def create_site(org: Organisation, *, actor: Any, name: str, customer_site: Site | None = None) -> TelephonySite:
    if customer_site is not None and customer_site.organisation_id != org.pk:
        raise ValidationError({"customer_site": ["Ce site n'appartient pas à l'entreprise."]})
    return _commit(
        org,
        actor,
        "telephony.site.create",
        {"name": name},
        lambda: TelephonySite.objects.create(organisation=org, name=name.strip(), customer_site=customer_site),
    )


def rename_site(site: TelephonySite, *, actor: Any, name: str) -> TelephonySite:
    """Only the name of a site can be changed (§4.1.2: a new address is a move)."""
    if site.is_mobile_pseudo_site:
        raise ValidationError({"name": [f"Le pseudo-site « {MOBILE_PSEUDO_SITE} » ne se renomme pas."]})
    old = site.name

    return _commit(
        site.organisation,
        actor,
        "telephony.site.rename",
        {"name": [old, name]},
        lambda: _set(site, {"name": name.strip()}),
        site,
    )


def delete_site(site: TelephonySite, *, actor: Any) -> None:
    check_editor(actor, site.organisation)
    if site.is_mobile_pseudo_site:
        raise ValidationError(
            f"Le pseudo-site « {MOBILE_PSEUDO_SITE} » est créé automatiquement et ne se supprime pas."
        )
    if site.lines.exists() or site.call_groups.exists() or site.ivrs.exists():
        raise ValidationError(f"Le site « {site.name} » a des lignes : il ne peut pas être supprimé.")
    with transaction.atomic():
        record_audit(actor, "telephony.site.delete", site)
        site.pickup_groups.all().delete()
        site.announcements.all().delete()
        site.delete()


# --- Calendars ---------------------------------------------------------------------------------------------


def create_calendar(
    org: Organisation,
    *,
    actor: Any,
    name: str,
    schedules: list[dict[str, Any]],
    closure_periods: Iterable[dict[str, str]] = (),
    closure_days: Iterable[str] = (),
) -> Calendar:
    fields = {
        "name": name.strip(),
        "schedules": schedules,
        "closure_periods": list(closure_periods),
        "closure_days": sorted(set(closure_days)),
    }
    if Calendar.objects.filter(organisation=org, name=fields["name"]).exists():
        raise ValidationError({"name": [f"Un calendrier porte déjà le nom « {fields['name']} »."]})
    return _commit(
        org, actor, "telephony.calendar.create", fields, lambda: Calendar.objects.create(organisation=org, **fields)
    )


def update_calendar(calendar: Calendar, *, actor: Any, **changes: Any) -> Calendar:
    """Edit hours or periods, or rename: a new name is carried to every service using the calendar."""
    org = calendar.organisation
    old = calendar.name
    new = (changes.get("name") or old).strip()
    if new != old and Calendar.objects.filter(organisation=org, name=new).exists():
        raise ValidationError({"name": [f"Un calendrier porte déjà le nom « {new} »."]})

    def mutate() -> Calendar:
        _set(calendar, {**changes, "name": new})
        if new != old:
            _rename_calendar_references(org, old, new)
        return calendar

    return _commit(org, actor, "telephony.calendar.update", changes, mutate, calendar)


def _rename_calendar_references(org: Organisation, old: str, new: str) -> None:
    for line in Line.objects.filter(organisation=org):
        s = line.services
        touched = False
        for block in ((s.get("forwards") or {}).get("scheduled"), s.get("welcome_announcement")):
            if block and block.get("calendar") == old:
                block["calendar"] = new
                touched = True
        if touched:
            line.save(update_fields=["services", "updated_at"])
    CallGroup.objects.filter(organisation=org, closing_calendar=old).update(closing_calendar=new)
    Ivr.objects.filter(organisation=org, calendar=old).update(calendar=new)


def delete_calendar(calendar: Calendar, *, actor: Any) -> None:
    """Allowed only when no service uses the calendar (§4.2.3)."""
    org = calendar.organisation
    check_editor(actor, org)
    used = calendar_references(export_document(org))[calendar.name]
    if used:
        raise ValidationError(
            f"Le calendrier « {calendar.name} » est utilisé par {used} service(s) : il ne peut pas être supprimé."
        )
    with transaction.atomic():
        record_audit(actor, "telephony.calendar.delete", calendar)
        calendar.delete()


# --- Announcements -----------------------------------------------------------------------------------------


def _refuse_default(name: str) -> None:
    if name in DEFAULT_NAMES:
        raise ValidationError("Les annonces par défaut ne sont ni modifiables ni supprimables.")


def _new_announcement(org: Organisation, name: str, data: bytes, **owner: Any) -> Announcement:
    info = read_audio(data)
    return Announcement.objects.create(
        organisation=org,
        name=name,
        format=info.format,
        duration_seconds=info.duration_seconds,
        size=info.size,
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
        **owner,
    )


def add_library_announcement(site: TelephonySite, *, actor: Any, name: str, data: bytes) -> Announcement:
    """A new announcement in a site's library for its call groups and IVRs (§4.5)."""
    name = name.strip()
    _refuse_default(name)
    if Announcement.objects.filter(site=site, name=name).exists():
        raise ValidationError({"name": [f"Une annonce porte déjà le nom « {name} » sur ce site."]})
    return _commit(
        site.organisation,
        actor,
        "telephony.announcement.add",
        {"name": name, "site": site.name},
        lambda: _new_announcement(site.organisation, name, data, site=site),
    )


def library_announcement(site: TelephonySite, name: str) -> Announcement:
    _refuse_default(name)
    found = Announcement.objects.filter(site=site, name=name).first()
    if found is None:
        raise ValidationError(f"Annonce « {name} » introuvable sur le site « {site.name} ».")
    return found


def replace_library_announcement(announcement: Announcement, *, actor: Any, data: bytes) -> Announcement:
    """The new file replaces the announcement on every call group and IVR of the site using it."""
    _refuse_default(announcement.name)
    if announcement.site_id is None:
        raise ValidationError("Seules les annonces de bibliothèque se remplacent ici.")

    def mutate() -> Announcement:
        info = read_audio(data)
        return _set(
            announcement,
            {
                "format": info.format,
                "duration_seconds": info.duration_seconds,
                "size": info.size,
                "sha256": hashlib.sha256(data).hexdigest(),
                "content": data,
            },
        )

    return _commit(
        announcement.organisation,
        actor,
        "telephony.announcement.replace",
        {"name": announcement.name},
        mutate,
        announcement,
    )


def announcement_usage(site: TelephonySite) -> dict[str, tuple[int, int]]:
    """Announcement name → (call groups, IVRs) of the site using it; defaults included (§4.5.1)."""
    usage: dict[str, list[int]] = {name: [0, 0] for name in DEFAULT_NAMES if "prédéfini" in name}
    for a in site.announcements.all():
        usage.setdefault(a.name, [0, 0])
    for g in CallGroup.objects.filter(site=site):
        for slot, block in (("accueil_groupe", g.welcome), ("attente_groupe", g.hold)):
            if block.get("enabled", True):
                name = block.get("announcement") or DEFAULT_ANNOUNCEMENTS[slot][0]
                usage.setdefault(name, [0, 0])[0] += 1
        if g.overflow_mode == "dissuasion":
            usage.setdefault(DEFAULT_ANNOUNCEMENTS["dissuasion"][0], [0, 0])[0] += 1
    for ivr in Ivr.objects.filter(site=site):
        names = set()
        for menu in (ivr.open_menu, ivr.closed_menu or {}):
            names.add(menu.get("announcement"))
            names.update((k.get("submenu") or {}).get("announcement") for k in menu.get("keys") or ())
        for name in (n for n in names if n):
            usage.setdefault(name, [0, 0])[1] += 1
    return {name: (g, i) for name, (g, i) in sorted(usage.items())}


def delete_library_announcement(announcement: Announcement, *, actor: Any) -> None:
    _refuse_default(announcement.name)
    org = announcement.organisation
    check_editor(actor, org)
    if announcement.site is not None:
        groups, ivrs = announcement_usage(announcement.site).get(announcement.name, (0, 0))
        if groups or ivrs:
            raise ValidationError(
                f"L'annonce « {announcement.name} » est utilisée ({groups} groupement(s), {ivrs} AVI) : elle ne peut "
                "pas être supprimée."
            )
    with transaction.atomic():
        record_audit(actor, "telephony.announcement.delete", announcement)
        announcement.delete()


def set_line_announcement(
    line: Line,
    slot: str,
    *,
    actor: Any,
    enabled: bool = True,
    data: bytes | None = None,
    name: str | None = None,
    interruptible: bool | None = None,
    calendar: str | None = None,
    use_default: bool = False,
) -> Line:
    """Configure a user line's welcome / hold / call-waiting announcement; a new file overwrites the previous one."""
    if slot not in LINE_SLOTS:
        raise ValidationError({"slot": ["Annonce inconnue."]})

    def mutate() -> Line:
        services = merge_defaults(default_services(line.kind, line.associated_mobile or None), line.services)
        block = dict(services[slot], enabled=enabled)
        previous = block.get("announcement")
        if data is not None or use_default:
            # « Il n'est pas possible de conserver les versions d'annonce précédentes. Elles sont écrasées. »
            if previous:
                Announcement.objects.filter(line=line, name=previous).delete()
            block["announcement"] = None
        if data is not None:
            new_name = (name or f"{LINE_SLOTS[slot].label} {line.number}").strip()
            _refuse_default(new_name)
            _new_announcement(line.organisation, new_name, data, line=line)
            block["announcement"] = new_name
        if interruptible is not None and slot == "welcome_announcement":
            block["interruptible"] = interruptible
        if slot == "welcome_announcement":
            block["calendar"] = calendar
        services[slot] = block
        return _set(line, {"services": services})

    return _commit(
        line.organisation, actor, "telephony.line.announcement", {"slot": slot, "enabled": enabled}, mutate, line
    )


# --- Lines -------------------------------------------------------------------------------------------------

LINE_FIELDS = {
    "first_name",
    "last_name",
    "email",
    "name",
    "short_number",
    "associated_mobile",
    "collaboration",
    "hardware",
}


def create_line(org: Organisation, *, actor: Any, site: TelephonySite, kind: str, number: str, **fields: Any) -> Line:
    unknown = set(fields) - LINE_FIELDS - {"services"}
    if unknown:
        raise ValidationError({f: ["Champ inconnu."] for f in unknown})
    number = normalize_number(number)
    if fields.get("associated_mobile"):
        fields["associated_mobile"] = normalize_number(fields["associated_mobile"])
    services = merge_defaults(default_services(kind, fields.get("associated_mobile")), fields.pop("services", None))

    def mutate() -> Line:
        if Line.objects.filter(number=number).exists():
            raise ValidationError({"number": [f"Le numéro {number} est déjà utilisé."]})
        return Line.objects.create(organisation=org, site=site, kind=kind, number=number, services=services, **fields)

    return _commit(org, actor, "telephony.line.create", {"number": number, "kind": kind, **_jsonable(fields)}, mutate)


def update_line(line: Line, *, actor: Any, services: dict[str, Any] | None = None, **changes: Any) -> Line:
    """Change identity, hardware or (partially, deep-merged) services of a line."""
    unknown = set(changes) - LINE_FIELDS
    if unknown:
        raise ValidationError({f: ["Champ non modifiable."] for f in unknown})
    if changes.get("associated_mobile"):
        changes["associated_mobile"] = normalize_number(changes["associated_mobile"])

    def mutate() -> Line:
        merged = merge_defaults(line.services, services) if services else line.services
        return _set(line, {**changes, "services": merged})

    return _commit(
        line.organisation,
        actor,
        "telephony.line.update",
        {**_jsonable(changes), "services": services or {}},
        mutate,
        line,
    )


def delete_line(line: Line, *, actor: Any) -> None:
    org = line.organisation

    def mutate() -> Line:
        record_audit(actor, "telephony.line.delete", line)
        Line.objects.filter(organisation=org, associated_mobile=line.number).update(associated_mobile="")
        line.delete()
        return line

    check_editor(actor, org)
    with transaction.atomic():
        mutate()
        issues = company_issues(org)
        if issues:
            raise issues_to_validation_error(issues)


# --- Pickup groups ------------------------------------------------------------------------------------------


def _lines(org: Organisation, numbers: Iterable[str]) -> list[Line]:
    wanted = [normalize_number(n) for n in numbers]
    found = {line.number: line for line in Line.objects.filter(organisation=org, number__in=wanted)}
    missing = [n for n in wanted if n not in found]
    if missing:
        raise ValidationError({"members": [f"Ligne {', '.join(missing)} inconnue dans l'entreprise."]})
    return [found[n] for n in wanted]


def save_pickup_group(
    org: Organisation,
    *,
    actor: Any,
    name: str,
    site: TelephonySite,
    members: Iterable[str],
    group: PickupGroup | None = None,
) -> PickupGroup:
    numbers = list(members)

    def mutate() -> PickupGroup:
        lines = _lines(org, numbers)
        taken = [line for line in lines if line.pickup_group_id and line.pickup_group_id != getattr(group, "pk", None)]
        if taken:
            raise ValidationError(
                {
                    "members": [
                        f"La ligne {t.number} fait déjà partie du groupe d'interception « {t.pickup_group} »."
                        for t in taken
                    ]
                }
            )
        obj = group or PickupGroup(organisation=org)
        _set(obj, {"name": name.strip(), "site": site})
        Line.objects.filter(pickup_group=obj).exclude(pk__in=[line.pk for line in lines]).update(pickup_group=None)
        Line.objects.filter(pk__in=[line.pk for line in lines]).update(pickup_group=obj)
        return obj

    return _commit(org, actor, "telephony.pickup.save", {"name": name, "members": numbers}, mutate, group)


def delete_pickup_group(group: PickupGroup, *, actor: Any) -> None:
    """« Supprimer le groupe » : without any particular check."""
    check_editor(actor, group.organisation)
    with transaction.atomic():
        record_audit(actor, "telephony.pickup.delete", group)
        group.delete()


# --- Call groups -------------------------------------------------------------------------------------------

GROUP_FIELDS = {
    "name",
    "distribution",
    "max_rings",
    "inter_call_delay_enabled",
    "inter_call_delay_seconds",
    "max_waiting_calls",
    "max_wait_seconds",
    "overflow_mode",
    "overflow_number",
    "welcome",
    "hold",
    "closing_calendar",
    "closing_number",
}


def create_call_group(
    org: Organisation,
    *,
    actor: Any,
    site: TelephonySite,
    name: str,
    number: str,
    members: Iterable[str] = (),
    **fields: Any,
) -> CallGroup:
    unknown = set(fields) - GROUP_FIELDS
    if unknown:
        raise ValidationError({f: ["Champ inconnu."] for f in unknown})
    number = normalize_number(number)
    numbers = list(members)

    def mutate() -> CallGroup:
        if CallGroup.objects.filter(number=number).exists():
            raise ValidationError({"number": [f"Le numéro {number} est déjà utilisé."]})
        group = CallGroup.objects.create(organisation=org, site=site, name=name.strip(), number=number, **fields)
        _set_members(group, numbers)
        return group

    return _commit(
        org,
        actor,
        "telephony.call_group.create",
        {"name": name, "number": number, **fields, "members": numbers},
        mutate,
    )


def _set_members(group: CallGroup, numbers: list[str]) -> None:
    """Ordered members; a line keeps its presence when it stays, new members are « présent »."""
    lines = _lines(group.organisation, numbers)
    presence = {m.line_id: m.present for m in group.members.all()}
    group.members.all().delete()
    for position, line in enumerate(lines):
        CallGroupMember.objects.create(group=group, line=line, position=position, present=presence.get(line.pk, True))


def update_call_group(
    group: CallGroup, *, actor: Any, members: Iterable[str] | None = None, **changes: Any
) -> CallGroup:
    unknown = set(changes) - GROUP_FIELDS
    if unknown:
        raise ValidationError({f: ["Champ non modifiable (le site et le numéro ne changent pas)."] for f in unknown})
    numbers = list(members) if members is not None else None

    def mutate() -> CallGroup:
        _set(group, changes)
        if numbers is not None:
            _set_members(group, numbers)
        return group

    return _commit(
        group.organisation,
        actor,
        "telephony.call_group.update",
        {**changes, **({"members": numbers} if numbers is not None else {})},
        mutate,
        group,
    )


def set_presence(group: CallGroup, line: Line, *, actor: Any, present: bool) -> CallGroupMember:
    """Présent / sorti of a line in one group (the manager's toggle, or the line's user)."""
    member = CallGroupMember.objects.filter(group=group, line=line).first()
    if member is None:
        raise ValidationError(f"{line} n'est pas membre du groupement {group}.")
    is_own_line = bool(getattr(actor, "email", "")) and actor.email.lower() == line.email.lower()
    if not is_own_line:
        check_editor(actor, group.organisation)
    with transaction.atomic():
        member.present = present
        member.save(update_fields=["present"])
        record_audit(actor, "telephony.call_group.presence", group, {"line": line.number, "present": present})
    return member


def delete_call_group(group: CallGroup, *, actor: Any) -> None:
    _delete_entity(group, actor, "telephony.call_group.delete")


def _delete_entity(obj: CallGroup | Ivr, actor: Any, action: str) -> None:
    org = obj.organisation
    check_editor(actor, org)
    with transaction.atomic():
        record_audit(actor, action, obj)
        obj.delete()
        issues = company_issues(org)
        if issues:
            raise issues_to_validation_error(issues)


# --- IVR ---------------------------------------------------------------------------------------------------

IVR_FIELDS = {"name", "enabled", "mode", "calendar", "open_menu", "closed_menu"}


def create_ivr(org: Organisation, *, actor: Any, site: TelephonySite, name: str, number: str, **fields: Any) -> Ivr:
    unknown = set(fields) - IVR_FIELDS
    if unknown:
        raise ValidationError({f: ["Champ inconnu."] for f in unknown})
    number = normalize_number(number)

    def mutate() -> Ivr:
        if Ivr.objects.filter(number=number).exists():
            raise ValidationError({"number": [f"Le numéro {number} est déjà utilisé."]})
        return Ivr.objects.create(organisation=org, site=site, name=name.strip(), number=number, **fields)

    return _commit(org, actor, "telephony.ivr.create", {"name": name, "number": number, **fields}, mutate)


def update_ivr(ivr: Ivr, *, actor: Any, **changes: Any) -> Ivr:
    unknown = set(changes) - IVR_FIELDS
    if unknown:
        raise ValidationError({f: ["Champ non modifiable."] for f in unknown})
    return _commit(ivr.organisation, actor, "telephony.ivr.update", changes, lambda: _set(ivr, changes), ivr)


def delete_ivr(ivr: Ivr, *, actor: Any) -> None:
    _delete_entity(ivr, actor, "telephony.ivr.delete")


# --- Directory ---------------------------------------------------------------------------------------------


def add_directory_contact(
    org: Organisation, *, actor: Any, name: str, number: str, short_number: str = ""
) -> DirectoryContact:
    return _commit(
        org,
        actor,
        "telephony.directory.add",
        {"name": name, "number": number, "short_number": short_number},
        lambda: DirectoryContact.objects.create(organisation=org, name=name, number=number, short_number=short_number),
    )


def delete_directory_contact(contact: DirectoryContact, *, actor: Any) -> None:
    check_editor(actor, contact.organisation)
    with transaction.atomic():
        record_audit(actor, "telephony.directory.delete", contact)
        contact.delete()


# --- Whole configuration -----------------------------------------------------------------------------------


def import_configuration(org: Organisation, doc: dict[str, Any], *, actor: Any) -> None:
    """Replace the whole configuration (all or nothing); every problem is listed in the ValidationError."""
    check_editor(actor, org)
    with transaction.atomic():
        issues = import_document(org, doc)
        if issues:
            raise ValidationError([str(i) for i in issues])
        record_audit(actor, "telephony.import", org, {"lines": len(doc.get("lines") or ())})


def simulate_call(
    org: Organisation, to: str, at: datetime, caller: str | None = None, state: CallState | None = None
) -> Simulation:
    """« Où va cet appel ? » on the stored configuration (read-only)."""
    return simulate(config_from_document(export_document(org)), to, at, caller, state)
