"""Every state change of a ticket goes through one function here.

Each runs in one transaction, locks the ticket row, writes a timeline entry
naming the actor, and records a ``signals.ticket_event`` in the durable outbox
(``events``), delivered to the other apps only after commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from softwhere.catalogue import leds
from softwhere.catalogue.models import ResolutionCase
from softwhere.core.models import set_prefetched
from softwhere.customers.models import Contact, Organisation, Site
from softwhere.inventory.models import Equipment, Service

from . import events
from .choices import Channel, LedPhase, Level, Priority, ServiceState, TicketStatus, TimelineKind, Visibility
from .models import ChecklistItem, LedReading, Ticket, TicketSequence, TimelineEntry
from .transitions import TicketError, TicketErrorCode, check_transition, target_of


def _emit(ticket: Ticket, event: str, actor: Any, data: dict[str, Any] | None = None) -> None:
    events.emit(ticket, event, actor, data)


def _log(
    ticket: Ticket,
    kind: str,
    actor: Any,
    body: str = "",
    data: dict[str, Any] | None = None,
    visibility: str = Visibility.INTERNAL,
) -> TimelineEntry:
    return TimelineEntry.objects.create(
        ticket=ticket, kind=kind, author=actor, body=body, data=data or {}, visibility=visibility
    )


def next_reference(now: datetime | None = None) -> str:
    """Date-based reference like the seed's "2505057242": YYMM of creation (Paris time) + 6-digit sequence.

    One ``UPDATE … RETURNING`` takes the next number and locks the month's row until the
    caller's transaction ends, so concurrent creations get consecutive numbers and a
    rolled-back creation gives its number back.
    """
    local = timezone.localtime(now or timezone.now())
    period = local.strftime("%y%m")
    qn = connection.ops.quote_name
    sql = (
        f"UPDATE {qn(TicketSequence._meta.db_table)} SET {qn('last_value')} = {qn('last_value')} + 1 "
        f"WHERE {qn('period')} = %s RETURNING {qn('last_value')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [period])
        row = cursor.fetchone()
        if row is None:  # the month's first ticket: create its counter (get_or_create settles a race), then take 1
            TicketSequence.objects.get_or_create(period=period)
            cursor.execute(sql, [period])
            row = cursor.fetchone()
    return f"{period}{row[0]:06d}"


def _on_ticket_site(site_id: int, organisation: Organisation, site: Site | None) -> bool:
    """Whether an object of site ``site_id`` may be linked to the ticket: on its site, or its company's when no site."""
    if site is not None:
        return site_id == site.pk and site.organisation_id == organisation.pk
    return Site.objects.filter(pk=site_id, organisation_id=organisation.pk).exists()


def _scope_errors(
    organisation: Organisation, site: Site | None, services: Iterable[Service], equipment: Iterable[Equipment]
) -> dict[str, list[str]]:
    """Site, services and equipment must all belong to the ticket's company (and site, when given)."""
    errors: dict[str, list[str]] = {}
    if site is not None and site.organisation_id != organisation.pk:
        errors["site"] = ["Ce site n'appartient pas à l'entreprise du ticket."]
    bad = [s for s in services if not _on_ticket_site(s.site_id, organisation, site)]
    if bad:
        errors["services"] = ["Service hors du site / de l'entreprise du ticket : " + ", ".join(map(str, bad))]
    bad_eq = [e for e in equipment if not _on_ticket_site(e.site_id, organisation, site)]
    if bad_eq:
        errors["equipment"] = ["Équipement hors du site / de l'entreprise du ticket : " + ", ".join(map(str, bad_eq))]
    return errors


def create_ticket(
    *,
    actor: Any,
    organisation: Organisation,
    subject: str,
    service_state: str,
    description: str = "",
    site: Site | None = None,
    channel: str = Channel.PHONE,
    priority: int = Priority.P3,
    reporter: Contact | None = None,
    services: Iterable[Service] = (),
    equipment: Iterable[Equipment] = (),
    case: ResolutionCase | None = None,
    complementary_data: str = "",
    alerts: str = "",
    carrier_ticket_reference: str = "",
    client_reference: str = "",
) -> Ticket:
    services, equipment = list(services), list(equipment)
    errors: dict[str, list[str]] = {}
    if not subject.strip():
        errors["subject"] = ["L'objet est obligatoire."]
    if service_state not in ServiceState.values:
        errors["service_state"] = ["État du service inconnu."]
    if channel not in Channel.values:
        errors["channel"] = ["Canal inconnu."]
    if reporter is not None and reporter.organisation_id != organisation.pk:
        errors["reporter"] = ["Ce contact n'appartient pas à l'entreprise du ticket."]
    errors.update(_scope_errors(organisation, site, services, equipment))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        ticket = Ticket.objects.create(
            reference=next_reference(),
            organisation=organisation,
            site=site,
            subject=subject.strip(),
            description=description,
            service_state=service_state,
            channel=channel,
            priority=priority,
            reporter=reporter,
            created_by=actor,
            complementary_data=complementary_data,
            alerts=alerts,
            carrier_ticket_reference=carrier_ticket_reference,
            client_reference=client_reference.strip(),
        )
        # A new ticket has no links yet: add() inserts them without set()'s read of the existing ones.
        if services:
            ticket.services.add(*services)
        if equipment:
            ticket.equipment.add(*equipment)
        set_prefetched(ticket, "services", services)
        set_prefetched(ticket, "equipment", equipment)
        _log(
            ticket,
            TimelineKind.CREATED,
            actor,
            f"Ticket créé ({Channel(channel).label}).",
            visibility=Visibility.PUBLIC,
        )
        # What the response shows of the new ticket is known here: no need to read it back.
        set_prefetched(ticket, "checklist_items", _qualify(ticket, case, actor) if case is not None else [])
        _emit(ticket, "created", actor)
    return ticket


def _lock(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_for_update().get(pk=ticket.pk)


def _qualify(ticket: Ticket, case: ResolutionCase, actor: Any) -> list[ChecklistItem]:
    """Instantiate ``case``'s checklists on the ticket; returns the items created."""
    previous = ticket.case_id
    created: list[ChecklistItem] = []
    # Keep what was already ticked; drop the untouched items of a previous case.
    if previous is not None:
        ticket.checklist_items.filter(done=False).delete()
    for level, lines in ((Level.N1, case.n1_checks), (Level.N2, case.n2_actions)):
        start = ticket.checklist_items.filter(level=level).count() if previous is not None else 0
        created += ChecklistItem.objects.bulk_create(
            ChecklistItem(ticket=ticket, level=level, position=start + i, text=text[:300], case=case)
            for i, text in enumerate(lines)
        )
    ticket.case = case
    ticket.save(update_fields=["case", "updated_at"])
    _log(
        ticket,
        TimelineKind.QUALIFICATION,
        actor,
        f"Qualifié : {case.number}. {case.heading}",
        {"case": case.id, "previous_case": previous},
    )
    return created


def qualify_ticket(ticket: Ticket, *, actor: Any, case: ResolutionCase) -> Ticket:
    """Choose the resolution case; instantiates its N1 checklist and N2 actions on the ticket."""
    if not actor.is_agent:
        raise TicketError(TicketErrorCode.ROLE_NOT_ALLOWED, "Seul un agent peut qualifier un ticket.")
    with transaction.atomic():
        ticket = _lock(ticket)
        if ticket.status in (TicketStatus.CLOSED, TicketStatus.CANCELLED):
            raise TicketError(TicketErrorCode.TRANSITION_NOT_ALLOWED, "Ticket terminé : qualification impossible.")
        if ticket.case_id == case.pk:
            return ticket
        if not case.is_active:
            raise ValidationError({"case": ["Ce cas de résolution est désactivé."]})
        _qualify(ticket, case, actor)
        _emit(ticket, "qualified", actor, {"case": case.pk})
    return ticket


def transition_ticket(ticket: Ticket, name: str, *, actor: Any, **params: Any) -> Ticket:
    """Apply a lifecycle transition (see transitions.TRANSITIONS); refused ones change nothing."""
    with transaction.atomic():
        ticket = _lock(ticket)
        transition = check_transition(ticket, name, actor, params)
        source = ticket.status
        target = target_of(transition, ticket)
        now = timezone.now()
        reason = (params.get("reason") or "").strip()
        fields = ["status", "updated_at"]
        if name == "escalate":
            ticket.level = Level.N2
            fields.append("level")
        elif name == "return_to_n1":
            ticket.level = Level.N1
            fields.append("level")
        if name in ("take",) and ticket.assignee_id is None and actor.is_agent:
            ticket.assignee = actor
            fields.append("assignee")
        if name == "wait_carrier":
            ref = (params.get("carrier_ticket_reference") or "").strip()
            if ref:
                ticket.carrier_ticket_reference = ref
                fields.append("carrier_ticket_reference")
            if params.get("carrier"):
                ticket.carrier = str(params["carrier"]).strip()
                fields.append("carrier")
        if name == "resolve":
            ticket.resolution = params["resolution"].strip()
            ticket.resolved_at = now
            fields += ["resolution", "resolved_at"]
        if name == "observe":
            until = params.get("observation_until")
            if until is not None and until <= now:
                raise TicketError(
                    TicketErrorCode.TRANSITION_NOT_ALLOWED,
                    "La fin d'observation doit être dans le futur.",
                    "observation_until",
                )
            ticket.observation_until = until
            if ticket.resolved_at is None:
                ticket.resolved_at = now
                fields.append("resolved_at")
            fields.append("observation_until")
        if name == "close":
            ticket.closed_at = now
            fields.append("closed_at")
        if name == "reopen":
            ticket.closed_at = None
            ticket.resolved_at = None
            ticket.observation_until = None
            fields += ["closed_at", "resolved_at", "observation_until"]
        ticket.status = target
        ticket.save(update_fields=fields)
        body = f"{TicketStatus(source).label} → {TicketStatus(target).label} : {transition.label}"
        extra = reason or (params.get("resolution") or "").strip()
        if extra:
            body += f"\n{extra}"
        public = name in ("resolve", "observe", "close", "reopen", "wait_client", "cancel")
        _log(
            ticket,
            TimelineKind.STATUS,
            actor,
            body,
            {"transition": name, "from": source, "to": target, "reason": reason},
            Visibility.PUBLIC if public else Visibility.INTERNAL,
        )
        _emit(ticket, f"transition.{name}", actor, {"from": source, "to": target})
    return ticket


def assign_ticket(ticket: Ticket, *, actor: Any, assignee: Any) -> Ticket:
    if not actor.is_agent:
        raise TicketError(TicketErrorCode.ROLE_NOT_ALLOWED, "Seul un agent peut affecter un ticket.")
    if assignee is not None and not assignee.is_agent:
        raise ValidationError({"assignee": ["On ne peut affecter un ticket qu'à un agent."]})
    with transaction.atomic():
        ticket = _lock(ticket)
        if ticket.level == Level.N2 and assignee is not None and not assignee.is_n2:
            raise ValidationError({"assignee": ["Ticket escaladé : affectez-le à un agent N2."]})
        previous = ticket.assignee
        if previous == assignee:
            return ticket
        ticket.assignee = assignee
        ticket.save(update_fields=["assignee", "updated_at"])
        _log(
            ticket,
            TimelineKind.ASSIGNMENT,
            actor,
            f"Affecté à {assignee or 'personne'} (avant : {previous or 'personne'}).",
            {"from": getattr(previous, "pk", None), "to": getattr(assignee, "pk", None)},
        )
        _emit(ticket, "assigned", actor, {"assignee": getattr(assignee, "pk", None)})
    return ticket


def add_comment(ticket: Ticket, *, actor: Any, body: str, visibility: str = Visibility.INTERNAL) -> TimelineEntry:
    if not body.strip():
        raise ValidationError({"body": ["Le commentaire est vide."]})
    if visibility not in Visibility.values:
        raise ValidationError({"visibility": ["Visibilité inconnue."]})
    if not actor.is_desk_staff:
        visibility = Visibility.PUBLIC  # client and partner comments are always part of the exchange
    with transaction.atomic():
        ticket = _lock(ticket)
        if ticket.status in (TicketStatus.CLOSED, TicketStatus.CANCELLED) and not actor.is_agent:
            raise TicketError(TicketErrorCode.TRANSITION_NOT_ALLOWED, "Ticket clôturé : rouvrez-le pour commenter.")
        entry = _log(ticket, TimelineKind.COMMENT, actor, body.strip(), visibility=visibility)
        Ticket.objects.filter(pk=ticket.pk).update(updated_at=timezone.now())
        _emit(ticket, "commented", actor, {"entry": entry.pk, "visibility": visibility})
    return entry


def set_checklist_item(item: ChecklistItem, *, actor: Any, done: bool, note: str = "") -> ChecklistItem:
    if not actor.is_agent:
        raise TicketError(TicketErrorCode.ROLE_NOT_ALLOWED, "Seul un agent peut renseigner la checklist.")
    with transaction.atomic():
        ticket = _lock(item.ticket)
        item = ChecklistItem.objects.select_for_update().get(pk=item.pk)
        if not ticket.is_open:
            raise TicketError(TicketErrorCode.TRANSITION_NOT_ALLOWED, "Ticket non actif : checklist figée.")
        if item.level == Level.N2 and not actor.is_n2:
            raise TicketError(TicketErrorCode.N2_REQUIRED, "Les actions N2 sont réservées au niveau 2.")
        if item.done == done and item.note == note.strip():
            return item
        item.done = done
        item.note = note.strip()
        item.done_at = timezone.now() if done else None
        item.done_by = actor if done else None
        item.save(update_fields=["done", "note", "done_at", "done_by"])
        mark = "☑" if done else "☐"
        _log(
            ticket,
            TimelineKind.CHECKLIST,
            actor,
            f"{mark} {item.get_level_display()} : {item.text}" + (f"\nNote : {item.note}" if item.note else ""),
            {"item": item.pk, "done": done, "level": item.level},
        )
        _emit(ticket, "checklist", actor, {"item": item.pk, "done": done})
    return item


def record_led_reading(
    ticket: Ticket,
    *,
    actor: Any,
    device: str,
    phase: str,
    states: dict[str, str],
    equipment: Equipment | None = None,
) -> LedReading:
    """Store an ONT/router LED reading and write the memo's report label into the timeline."""
    if not actor.is_agent:
        raise TicketError(TicketErrorCode.ROLE_NOT_ALLOWED, "Seul un agent peut relever les voyants.")
    errors: dict[str, Any] = {}
    if phase not in LedPhase.values:
        errors["phase"] = ["Phase inconnue (before ou after)."]
    led_errors = leds.validate_reading(device, states)
    if "device" in led_errors:
        errors["device"] = [led_errors.pop("device")]
    if led_errors:
        # One message per LED; each names its LED (a nested dict would break ValidationError).
        errors["states"] = list(led_errors.values())
    if equipment is not None and equipment.site.organisation_id != ticket.organisation_id:
        errors["equipment"] = ["Cet équipement n'appartient pas à l'entreprise du ticket."]
    if errors:
        raise ValidationError(errors)
    label = leds.report_label(device, states, phase)
    with transaction.atomic():
        ticket = _lock(ticket)
        if not ticket.is_open:
            raise TicketError(TicketErrorCode.TRANSITION_NOT_ALLOWED, "Ticket non actif : relevé impossible.")
        reading = LedReading.objects.create(
            ticket=ticket,
            equipment=equipment,
            device=device,
            phase=phase,
            states=states,
            label=label,
            recorded_by=actor,
        )
        _log(ticket, TimelineKind.LED_READING, actor, label, {"reading": reading.pk, "device": device, "phase": phase})
        _emit(ticket, "led_reading", actor, {"reading": reading.pk})
    return reading


UPDATABLE_FIELDS = (
    "subject",
    "description",
    "service_state",
    "priority",
    "site",
    "reporter",
    "carrier",
    "carrier_ticket_reference",
    "client_reference",
    "complementary_data",
    "alerts",
)


def update_ticket(ticket: Ticket, *, actor: Any, **changes: Any) -> Ticket:
    """Edit header fields; each changed field is logged with its old and new value."""
    if not actor.is_agent:
        raise TicketError(TicketErrorCode.ROLE_NOT_ALLOWED, "Seul un agent peut modifier un ticket.")
    unknown = set(changes) - set(UPDATABLE_FIELDS)
    if unknown:
        raise ValidationError({f: ["Champ non modifiable ici."] for f in unknown})
    if "service_state" in changes and changes["service_state"] not in ServiceState.values:
        raise ValidationError({"service_state": ["État du service inconnu."]})
    if "priority" in changes and changes["priority"] not in Priority.values:
        raise ValidationError({"priority": ["Priorité inconnue."]})
    if "subject" in changes and not str(changes["subject"]).strip():
        raise ValidationError({"subject": ["L'objet est obligatoire."]})
    with transaction.atomic():
        ticket = _lock(ticket)
        if "site" in changes and changes["site"] is not None:
            scope_errors = _scope_errors(ticket.organisation, changes["site"], [], [])
            if scope_errors:
                raise ValidationError(scope_errors)
        if changes.get("reporter") is not None and changes["reporter"].organisation_id != ticket.organisation_id:
            raise ValidationError({"reporter": ["Ce contact n'appartient pas à l'entreprise du ticket."]})
        diff: dict[str, list[Any]] = {}
        for field, value in changes.items():
            old = getattr(ticket, field)
            if old != value:
                diff[field] = [str(old) if old is not None else None, str(value) if value is not None else None]
                setattr(ticket, field, value)
        if not diff:
            return ticket
        ticket.save(update_fields=[*changes.keys(), "updated_at"])
        labels = {f: str(getattr(Ticket._meta.get_field(f), "verbose_name", f)) for f in diff}
        body = "\n".join(f"{labels[f]} : {old or '—'} → {new or '—'}" for f, (old, new) in diff.items())
        _log(ticket, TimelineKind.FIELD_CHANGE, actor, body, {"changes": diff})
        _emit(ticket, "updated", actor, {"fields": list(diff)})
    return ticket
