"""TMF621 mappings: desk tickets ↔ TroubleTicket v5.0.1 and v4.0.0, signalisations ↔ the Interop'Fibre profile.

No database writes here: the API views and actions call these to render and to read requests.
Our lifecycle → TMF status table is ``TICKET_STATUS_TO_TMF`` (docs/interop.md).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

from softwhere.tickets.choices import Priority, ServiceState, TicketStatus

from ..choices import HubApi, SignalisationStatus
from . import codes, formats
from .formats import Slot
from .lifecycle import TMF_STATUS

# --- generic TMF helpers ---------------------------------------------------------------------------------


def iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def select_fields(resource: dict[str, Any], fields: str | None) -> dict[str, Any]:
    """TMF attribute selection: ``fields=status,name`` keeps those first-level attributes (+ id, href, @type)."""
    if not fields:
        return resource
    wanted = {f.strip() for f in fields.split(",") if f.strip()} | {"id", "href", "@type"}
    return {k: v for k, v in resource.items() if k in wanted}


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON merge patch: objects merge recursively, ``null`` deletes, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def query_matches(query: str, event_type: str, values: dict[str, Any]) -> bool:
    """A hub ``query`` such as ``eventType=TroubleTicketStatusChangeEvent&status=resolved``; empty matches all."""
    for key, wanted in parse_qsl((query or "").lstrip("?"), keep_blank_values=True):
        options = {w.strip() for w in wanted.split(",")}
        if key in ("eventType", "event.eventType"):
            if event_type not in options:
                return False
        elif key.startswith("event.troubleTicket."):
            if str(values.get(key.removeprefix("event.troubleTicket."))) not in options:
                return False
        elif key in values and str(values[key]) not in options:
            return False
    return True


def event(
    event_type: str,
    resource_key: str,
    resource: dict[str, Any],
    event_id: str,
    when: datetime,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A TMF notification envelope (v4 and v5 share these attributes)."""
    body: dict[str, Any] = {
        "@type": event_type,
        "eventId": event_id,
        "eventTime": iso(when),
        "eventType": event_type,
        "event": {resource_key: resource},
    }
    if extra:
        body.update(extra)
    return body


def error(status: int, reason: str, message: str = "", code: str | None = None) -> dict[str, Any]:
    body = {"@type": "Error", "code": code or f"ERR{status}", "reason": reason[:255], "status": str(status)}
    if message:
        body["message"] = message
    return body


# --- our desk tickets as TMF621 v5 and v4 -----------------------------------------------------------------

EXTERNAL_IDENTIFIER_KEYS = ("id", "owner", "externalIdentifierType")


@dataclass(frozen=True)
class TicketApi:
    """One published version of our TMF621 API over desk tickets: what v5.0.1 and v4.0.0 name or shape apart.

    Both versions share the lifecycle mapping, the status enum (the same eight values), notes, channel,
    errors and event envelope; they differ in the attributes below (docs/interop.md).
    """

    version: str  # URL segment: /tmf-api/troubleTicket/<version>/
    hub_api: str  # ``Hub.api`` of this version's subscriptions: each hears events rendered in its version
    required: tuple[str, ...]  # POST attributes the specification requires
    history: str  # status history attribute, with its items' date and reason names
    history_date: str
    history_reason: str
    # v5 nests references (relatedEntity.entity, relatedParty.partyOrPartyRole, externalIdentifier[]);
    # v4 has them flat (relatedEntity/relatedParty are the reference, externalId a string)
    nested_refs: bool

    @property
    def base(self) -> str:
        return f"/tmf-api/troubleTicket/{self.version}"

    def related_entity(self, role: str, ref: dict[str, Any]) -> dict[str, Any]:
        if self.nested_refs:
            return {"@type": "RelatedEntity", "role": role, "entity": {"@type": "EntityRef", **ref}}
        return {"@type": "RelatedEntity", "role": role, **ref}

    def referred(self, item: dict[str, Any], *, party: bool = False) -> dict[str, Any]:
        """The reference a relatedEntity / relatedParty item points at (``{}`` when malformed)."""
        ref = item.get("partyOrPartyRole" if party else "entity") if self.nested_refs else item
        return ref if isinstance(ref, dict) else {}

    def external_identifiers(self, body: dict[str, Any]) -> list[dict[str, str]]:
        """v5 ``externalIdentifier`` objects; v4's single ``externalId`` string is stored as one of them."""
        if self.nested_refs:
            items = body.get("externalIdentifier") or []
        else:
            items = [{"id": body["externalId"]}] if body.get("externalId") else []
        return [
            {"@type": "ExternalIdentifier", **{k: str(v) for k, v in e.items() if k in EXTERNAL_IDENTIFIER_KEYS}}
            for e in items
        ]


V5 = TicketApi(
    version="v5",
    hub_api=HubApi.TMF621_V5,
    required=("@type", "description", "severity", "ticketType"),
    history="statusChangeHistory",
    history_date="statusChangeDate",
    history_reason="statusChangeReason",
    nested_refs=True,
)
V4 = TicketApi(
    version="v4",
    hub_api=HubApi.TMF621_V4,
    required=("description", "severity", "ticketType"),
    history="statusChange",
    history_date="changeDate",
    history_reason="changeReason",
    nested_refs=False,
)
TICKET_APIS = {api.hub_api: api for api in (V5, V4)}

TICKET_STATUS_TO_TMF = {
    TicketStatus.NEW: "acknowledged",
    TicketStatus.IN_PROGRESS: "inProgress",
    TicketStatus.ESCALATED: "inProgress",
    TicketStatus.WAITING_CLIENT: "pending",
    TicketStatus.WAITING_CARRIER: "held",
    TicketStatus.RESOLVED: "resolved",
    TicketStatus.OBSERVATION: "resolved",
    TicketStatus.CLOSURE_REQUESTED: "resolved",
    TicketStatus.CLOSED: "closed",
    TicketStatus.CANCELLED: "cancelled",
}
PRIORITY_TO_TMF = {Priority.P1: "Critical", Priority.P2: "High", Priority.P3: "Medium", Priority.P4: "Low"}
PRIORITY_FROM_TMF = {v.lower(): k for k, v in PRIORITY_TO_TMF.items()} | {"urgent": Priority.P1, "normal": Priority.P3}
SEVERITY_FROM_TMF = {
    "critical": ServiceState.INTERRUPTED,
    "major": ServiceState.DEGRADED,
    "minor": ServiceState.NO_DISRUPTION,
}
STATE_TO_SEVERITY = {
    ServiceState.INTERRUPTED: "Critical",
    ServiceState.DEGRADED: "Major",
    ServiceState.BACKUP_ACTIVE: "Major",
    ServiceState.NO_DISRUPTION: "Minor",
}


def severity_to_state(severity: str) -> str:
    """Unknown severities are « dégradé »: the client says something is wrong, not how badly."""
    return SEVERITY_FROM_TMF.get((severity or "").strip().lower(), ServiceState.DEGRADED)


DESK_AUTHOR = "Support SoftWhere"


def note_author(user: Any) -> str:
    """Partners and carriers read this API: the desk's agents are « Support SoftWhere », as on the portal."""
    if user is None or getattr(user, "is_desk_staff", False):
        return DESK_AUTHOR
    return str(user)


def ticket_to_tmf(ticket: Any, api: TicketApi, *, notes: Iterable[Any], history: Iterable[Any]) -> dict[str, Any]:
    """Render a desk ticket in ``api``'s version; ``notes`` are its public comments, ``history`` its status entries."""
    extra = getattr(ticket, "tmf", None) if _has_tmf(ticket) else None
    status_entries = list(history)
    last = status_entries[-1] if status_entries else None
    resource: dict[str, Any] = {
        "@type": "TroubleTicket",
        "id": ticket.reference,
        "href": f"{api.base}/troubleTicket/{ticket.reference}",
        "name": (extra.name if extra and extra.name else ticket.subject),
        "description": ticket.description or ticket.subject,
        "severity": (extra.severity if extra and extra.severity else STATE_TO_SEVERITY[ticket.service_state]),
        "ticketType": (extra.ticket_type if extra and extra.ticket_type else "incident"),
        "priority": PRIORITY_TO_TMF[ticket.priority],
        "status": TICKET_STATUS_TO_TMF[ticket.status],
        "creationDate": iso(ticket.created_at),
        "lastUpdate": iso(ticket.updated_at),
        "channel": {"@type": "ChannelRef", "id": ticket.channel, "name": ticket.get_channel_display()},
        "statusChangeDate": iso(last.created_at if last else ticket.created_at),
        "note": [
            {
                "@type": "Note",
                "id": str(n.pk),
                "author": note_author(n.author),
                "date": iso(n.created_at),
                "text": n.body,
            }
            for n in notes
        ],
        api.history: [
            {
                "@type": "StatusChange",
                "status": TICKET_STATUS_TO_TMF[e.data.get("to", ticket.status)],
                api.history_date: iso(e.created_at),
                api.history_reason: e.data.get("reason") or e.data.get("transition", ""),
            }
            for e in status_entries
            if e.data.get("to") in TICKET_STATUS_TO_TMF
        ],
        "relatedEntity": [
            api.related_entity("affectedService", {"id": str(s.pk), "name": str(s), "@referredType": "Service"})
            for s in ticket.services.all()
        ],
    }
    if last is not None and last.data.get("reason"):
        resource["statusChangeReason"] = last.data["reason"]
    if ticket.resolved_at:
        resource["resolutionDate"] = iso(ticket.resolved_at)
    if extra and extra.external_identifiers:
        if api.nested_refs:
            resource["externalIdentifier"] = extra.external_identifiers
        else:
            resource["externalId"] = extra.external_identifiers[0].get("id", "")
    return resource


def _has_tmf(ticket: Any) -> bool:
    try:
        return ticket.tmf is not None
    except Exception:  # RelatedObjectDoesNotExist
        return False


# --- signalisations as the Interop'Fibre TMF621 profile ----------------------------------------------------
# The profile has no field for the FTTH data: each travels as a note whose « @type » is the v1.0a column
# name (docs/interop.md). Other notes are free-text messages between the operators.

FIELD_NOTES = (
    "NatureDefaut",
    "PrelocDefaut",
    "DateIncidClientFinal",
    "NomClient",
    "PrenomClient",
    "ContactClient1",
    "ContactClient2",
    "IdRdv",
    "PropalRdv",
    "Rdv",
    "TypeMessage",
    "CodeCloture",
    "Responsabilite",
    "LocalisationDefaut",
    "EtatResolution",
)


def field_note(name: str, text: str, *, note_id: str | None = None, when: datetime | None = None) -> dict[str, Any]:
    note: dict[str, Any] = {"@type": name, "text": text}
    if note_id:
        note["id"] = note_id
    if when:
        note["date"] = iso(when)
    return note


def signalisation_to_interop(sig: Any, base_url: str, *, notes: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The profile's TroubleTicket for a signalisation (we are the OI; ``id`` is our reference)."""
    resource: dict[str, Any] = {
        "@type": "TroubleTicket",
        "id": sig.oi_reference or sig.oc_reference,
        "href": f"{base_url}/troubleTicket/{sig.oi_reference or sig.oc_reference}",
        "externalId": sig.oc_reference,
        "name": f"SAV FTTH {codes.NATURES.get(sig.nature, sig.nature)}",
        "description": sig.comment or codes.NATURES.get(sig.nature, sig.nature),
        "severity": "Major" if sig.nature == codes.NATURE_WEAK else "Critical",
        "ticketType": "SAV FTTH",
        "status": TMF_STATUS[sig.status],
        "creationDate": iso(sig.created_at),
        "lastUpdate": iso(sig.updated_at),
        "statusChangeDate": iso(sig.updated_at),
        "relatedEntity": [
            e
            for e in (
                {"@referredType": "PTO", "id": sig.reference_prise, "role": "referencePrise"}
                if sig.reference_prise
                else None,
                {"@referredType": "Prestation", "id": sig.reference_prestation, "role": "referencePrestationPrise"}
                if sig.reference_prestation
                else None,
            )
            if e
        ],
        "relatedParty": [
            {
                "@referredType": "Organization",
                "id": sig.peer.local_code if sig.role == "oi" else sig.peer.code,
                "role": "OI",
            },
            {
                "@referredType": "Organization",
                "id": sig.peer.code if sig.role == "oi" else sig.peer.local_code,
                "role": "OC",
            },
        ],
        "note": list(notes or []),
    }
    if sig.status == SignalisationStatus.REJECTED and sig.rejection_reason:
        resource["statusChangeReason"] = sig.rejection_reason[:255]
    elif sig.closure_code:
        resource["statusChangeReason"] = sig.closure_code
    if sig.closed_at:
        resource["resolutionDate"] = iso(sig.closed_at)
    return resource


def deposit_notes(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The FTTH fields of a deposit as typed notes (OC side, for the profile's POST)."""
    notes = [
        field_note("NatureDefaut", data["NatureDefaut"]),
        field_note("PrelocDefaut", data["PrelocDefaut"]),
        field_note("DateIncidClientFinal", formats.format_date(data["DateIncidClientFinal"])),
        field_note("NomClient", data["NomClient"]),
        field_note("ContactClient1", data["ContactClient1"]),
    ]
    for name in ("PrenomClient", "ContactClient2", "IdRdv"):
        if data.get(name):
            notes.append(field_note(name, data[name]))
    if data.get("PropalRdv"):
        notes.append(field_note("PropalRdv", formats.format_slots(data["PropalRdv"])))
    return notes


def interop_to_deposit(body: dict[str, Any]) -> tuple[list[str], list[str]]:
    """A profile POST body → v1.0a deposit cells (same checks as a CSV line) and its free-text notes."""
    fields: dict[str, str] = {}
    free: list[str] = []
    for note in body.get("note") or []:
        if not isinstance(note, dict):
            continue
        kind = str(note.get("@type") or "")
        if kind in FIELD_NOTES:
            fields[kind] = str(note.get("text") or "")
        elif note.get("text"):
            free.append(str(note["text"]))
    for entity in body.get("relatedEntity") or []:
        if not isinstance(entity, dict):
            continue
        role = str(entity.get("role") or "")
        if role == "referencePrise":
            fields["ReferencePrise"] = str(entity.get("id") or "")
        elif role == "referencePrestationPrise":
            fields["ReferencePrestationPrise"] = str(entity.get("id") or "")
    fields["ReferenceSigSAVRaccoOC"] = str(body.get("externalId") or "")
    fields["Commentaire"] = str(body.get("description") or "")
    from .v1_csv import DEPOSIT

    return [fields.get(name, "") for name in DEPOSIT.names], free


def notes_fields(notes: Iterable[dict[str, Any]]) -> dict[str, str]:
    return {str(n.get("@type")): str(n.get("text") or "") for n in notes if str(n.get("@type")) in FIELD_NOTES}


def slots_from_text(text: str) -> list[Slot]:
    return formats.parse_slots(text) if text else []
