"""Every state change of the carrier gateway, whatever the protocol.

OC side (we signal a fault on our client's fibre access to its OI): ``escalate_to_oi``
builds the signalisation from the desk ticket; ``oc_*`` functions apply what the OI
answers (AR, information, appointment, closure) to the signalisation *and* to the desk
ticket, through ``softwhere.tickets.actions`` with the system actor.

OI side (an OC signals a fault on our network): ``oi_receive_deposit`` runs the
acknowledgement checks; ``oi_*`` functions are the OI's moves (take charge, inform,
close). Each move that the peer must hear about goes through ``outbound.emit``, which
journals the message and queues it on the durable job queue in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from softwhere.customers.models import Contact
from softwhere.inventory.choices import AccessTechnology
from softwhere.jobs.system import system_user
from softwhere.tickets import actions as ticket_actions
from softwhere.tickets.choices import TicketStatus, Visibility
from softwhere.tickets.models import Ticket
from softwhere.tickets.transitions import TicketError, TicketErrorCode

from . import outbound
from .choices import MessageKind, Protocol, ResolutionState, Role
from .choices import SignalisationStatus as S
from .models import InteropPeer, ServedAccess, Signalisation
from .services import appointments, codes, formats, lifecycle, v1_csv
from .services.codes import Reason, reason
from .services.formats import Slot


class InteropError(Exception):
    """A refused gateway operation; ``code`` is one of ``codes.Reason``, the message is French."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code} : {message}")
        self.code = code
        self.message = message


def _move(sig: Signalisation, target: str, *, interop: bool = False) -> None:
    if sig.status == target:
        return
    if not lifecycle.can_move(sig.status, target, interop=interop):
        raise InteropError(
            Reason.STATE,
            f"signalisation {sig.oc_reference} : « {S(sig.status).label} » → « {S(target).label} » impossible",
        )
    sig.status = target


def _lock(sig: Signalisation) -> Signalisation:
    return Signalisation.objects.select_related("peer", "ticket").select_for_update(of=("self",)).get(pk=sig.pk)


def _comment(sig: Signalisation, body: str, *, public: bool = False) -> None:
    """Write into the desk ticket's timeline (OC side) as the system actor."""
    if sig.ticket is None:
        return
    ticket_actions.add_comment(
        sig.ticket, actor=system_user(), body=body, visibility=Visibility.PUBLIC if public else Visibility.INTERNAL
    )


def _ticket_transition(sig: Signalisation, name: str, **params: Any) -> bool:
    """Apply a desk transition if the ticket allows it now; a refusal is noted, never raised."""
    if sig.ticket_id is None:
        return False
    ticket = Ticket.objects.get(pk=sig.ticket_id)
    try:
        ticket_actions.transition_ticket(ticket, name, actor=system_user(), **params)
    except (TicketError, ValidationError) as exc:
        message = getattr(exc, "message", None) or "; ".join(getattr(exc, "messages", [str(exc)]))
        _comment(sig, f"Interop : transition « {name} » non appliquée ({message}).")
        return False
    return True


# --- data of a signalisation -------------------------------------------------------------------------------


def deposit_row(sig: Signalisation) -> dict[str, Any]:
    """The 13 v1.0a deposit columns of a signalisation (the common form every protocol starts from)."""
    return {
        "ReferencePrestationPrise": sig.reference_prestation,
        "ReferencePrise": sig.reference_prise,
        "ReferenceSigSAVRaccoOC": sig.oc_reference,
        "DateIncidClientFinal": sig.incident_date,
        "NatureDefaut": sig.nature,
        "PrelocDefaut": sig.preloc,
        "NomClient": sig.client_last_name,
        "PrenomClient": sig.client_first_name,
        "ContactClient1": sig.contact1,
        "ContactClient2": sig.contact2,
        "IdRdv": sig.appointment_id,
        "PropalRdv": [Slot.from_json(p) for p in sig.proposals],
        "Commentaire": sig.comment,
    }


def served_access_for(peer: InteropPeer, prestation: str | None, prise: str | None) -> ServedAccess | None:
    """The access a deposit designates on this peer; both references, when given, must agree."""
    query = Q()
    if prise:
        query |= Q(reference_prise__iexact=prise)
    if prestation:
        query |= Q(reference_prestation__iexact=prestation)
    if not query:
        return None
    matches = list(ServedAccess.objects.filter(query, peer=peer).select_related("access")[:2])
    if len(matches) != 1:
        return None
    match = matches[0]
    if (
        prise
        and prestation
        and (match.reference_prise.upper() != prise.upper() or match.reference_prestation.upper() != prestation.upper())
    ):
        return None
    return match


# --- OC side: from the desk ticket to the OI -----------------------------------------------------------------


def _ont_nature(ticket: Ticket) -> str:
    """LOS lit or PON off/red on the last ONT reading: a clean cut; anything else: attenuation."""
    reading = ticket.led_readings.filter(device="ont").order_by("-recorded_at", "-id").first()
    if reading is None:
        return codes.NATURE_CUT
    states = reading.states
    if states.get("los", "eteint") != "eteint" or states.get("pon") in ("eteint", "rouge_fixe", "rouge_clignotant"):
        return codes.NATURE_CUT
    return codes.NATURE_WEAK


def _client_contact(ticket: Ticket) -> Any:
    contact = ticket.reporter
    if contact is None and ticket.site is not None:
        contact = Contact.objects.filter(site=ticket.site).exclude(phone="", mobile="").first()
    if contact is None:
        contact = Contact.objects.filter(organisation=ticket.organisation).exclude(phone="", mobile="").first()
    return contact


@transaction.atomic
def escalate_to_oi(
    ticket: Ticket,
    *,
    actor: Any,
    nature: str | None = None,
    preloc: str = "PTO",
    comment: str = "",
    proposals: list[Slot] | None = None,
    peer: InteropPeer | None = None,
) -> Signalisation:
    """Signal the ticket's fibre access to the OI that serves it (idempotent while one is open)."""
    if not actor.is_agent:
        raise TicketError(TicketErrorCode.ROLE_NOT_ALLOWED, "Seul un agent peut signaler un défaut à l'OI.")
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if not ticket.is_open:
        raise InteropError(Reason.STATE, "ticket terminé : signalisation impossible")
    open_sig = Signalisation.objects.filter(ticket=ticket).exclude(status__in=lifecycle.FINAL).first()
    if open_sig is not None:
        return open_sig
    served = (
        ServedAccess.objects.filter(
            access__in=ticket.services.all(),
            access__technology=AccessTechnology.FIBRE,
            peer__is_active=True,
            peer__peer_role=Role.OI,
        )
        .select_related("peer", "access")
        .order_by("id")
    )
    if peer is not None:
        served = served.filter(peer=peer)
    link = served.first()
    if link is None:
        raise InteropError(Reason.UNKNOWN_ACCESS, "aucun accès fibre du ticket n'est desservi par un OI configuré")
    contact = _client_contact(ticket)
    if contact is None:
        raise InteropError(Reason.MANDATORY, "aucun contact client joignable (NomClient, ContactClient1)")
    numbers = [formats.parse_phone(n) for n in (contact.mobile, contact.phone) if n]
    preloc_code = codes.parse_preloc(preloc)
    nature_code = codes.parse_nature(nature) if nature else _ont_nature(ticket)
    if preloc_code is None or nature_code is None:
        raise InteropError(Reason.BAD_VALUE, "nature ou pré-localisation du défaut hors liste")
    if proposals is None:
        proposals = appointments.propose_slots(ticket.site.opening_hours if ticket.site else None, timezone.now())
    last_led = ticket.led_readings.order_by("-recorded_at", "-id").first()
    text = " ".join(p for p in (comment, ticket.subject, last_led.label if last_led else "") if p).strip()
    count = Signalisation.objects.filter(ticket=ticket).count()
    sig = Signalisation(
        peer=link.peer,
        role=Role.OC,
        protocol=link.peer.protocol,
        ticket=ticket,
        access=link.access,
        status=S.SUBMITTED,
        oc_reference=f"{link.peer.local_code}-{ticket.reference}-{count + 1:02d}",
        reference_prestation=link.reference_prestation or link.access.carrier_reference,
        reference_prise=link.reference_prise,
        incident_date=timezone.localdate(ticket.created_at),
        nature=nature_code,
        preloc=preloc_code,
        client_last_name=contact.last_name.upper()[:60],
        client_first_name=contact.first_name[:60],
        contact1=numbers[0] if numbers else "",
        contact2=numbers[1] if len(numbers) > 1 else "",
        proposals=[s.to_json() for s in proposals],
        comment=text[:2000],
    )
    # The deposit we send must pass the OI's own syntactic check.
    row = v1_csv.check_row(v1_csv.DEPOSIT, [v1_csv._cell(v) for v in deposit_row(sig).values()], 1)
    if not row.ok:
        raise InteropError(Reason.BAD_FORMAT, "; ".join(row.reasons))
    sig.full_clean()
    sig.save()
    outbound.emit(sig, MessageKind.DEPOSIT)
    slots = ", ".join(Slot.from_json(p).label() for p in sig.proposals) or "aucune"
    _comment(
        sig,
        f"Signalisation SAV FTTH {sig.oc_reference} déposée auprès de {link.peer.name} ({link.peer.protocol}) : "
        f"{codes.NATURES[sig.nature]}, pré-localisation {sig.preloc}, propositions de RDV : {slots}.",
    )
    return sig


def oc_receive_ack(
    sig: Signalisation, *, ok: bool, oi_reference: str = "", acknowledged_at: datetime | None = None, refusal: str = ""
) -> Signalisation:
    """AR OK: the OI's ticket id, the desk ticket waits for the carrier. AR KO: the reason, the agent takes over."""
    with transaction.atomic():
        sig = _lock(sig)
        if ok:
            if sig.status == S.ACKNOWLEDGED and sig.oi_reference == oi_reference:
                return sig  # the same AR twice
            _move(sig, S.ACKNOWLEDGED)
            sig.oi_reference = oi_reference
            sig.acknowledged_at = acknowledged_at or timezone.now()
            sig.save()
            when = timezone.localtime(sig.acknowledged_at).strftime("%d/%m/%Y %H:%M")
            _comment(sig, f"AR OK de {sig.peer.name} : ticket OI {oi_reference}, pris en compte le {when}.")
            ticket = sig.ticket
            if ticket is not None:
                if ticket.status in (TicketStatus.IN_PROGRESS, TicketStatus.ESCALATED):
                    _ticket_transition(
                        sig, "wait_carrier", carrier_ticket_reference=oi_reference, carrier=sig.peer.name
                    )
                else:
                    ticket_actions.update_ticket(
                        ticket, actor=system_user(), carrier=sig.peer.name[:60], carrier_ticket_reference=oi_reference
                    )
        else:
            if sig.status == S.REJECTED:
                return sig
            _move(sig, S.REJECTED)
            sig.rejection_reason = refusal
            sig.save()
            _comment(sig, f"AR KO de {sig.peer.name} pour {sig.oc_reference} : {refusal}. Corrigez puis re-signalez.")
    return sig


def oc_receive_information(
    sig: Signalisation,
    *,
    info_type: str = "INFORMATION",
    text: str = "",
    proposals: list[Slot] | None = None,
    appointment: Slot | None = None,
    appointment_id: str = "",
    resolution_state: str = "",
    status: str | None = None,
) -> Signalisation:
    """Follow-up from the OI: a message, a resolution state, appointment requests or the agreed appointment."""
    with transaction.atomic():
        sig = _lock(sig)
        if sig.is_final:
            raise InteropError(Reason.STATE, f"signalisation {sig.oc_reference} déjà terminée")
        if status:
            _move(sig, status)
        if resolution_state:
            sig.resolution_state = resolution_state
        if appointment_id:
            sig.appointment_id = appointment_id
        if proposals:
            sig.proposals = [p.to_json() for p in proposals]
        if appointment is not None:
            sig.appointment = appointment.to_json()
            sig.resolution_state = sig.resolution_state or ResolutionState.SCHEDULED
        sig.save()
        parts = [f"{sig.peer.name} – {codes.INFO_TYPES.get(info_type, info_type)}"]
        if status:
            parts.append(f"état {S(status).label}")
        if resolution_state:
            parts.append(ResolutionState(resolution_state).label)
        if appointment is not None:
            parts.append(f"RDV retenu le {appointment.label()}")
        if proposals and appointment is None:
            parts.append("créneaux proposés : " + ", ".join(p.label() for p in proposals))
        body = " ; ".join(parts) + (f"\n{text}" if text else "")
        _comment(sig, body, public=appointment is not None)
    return sig


def oc_receive_closure(
    sig: Signalisation,
    *,
    code: str,
    responsibility: str,
    location: str = "",
    comment: str = "",
    closed_at: datetime | None = None,
    resolved_only: bool = False,
) -> Signalisation:
    """The OI's closure (RET/ABS/STT/ERR). RET resolves and closes the desk ticket; other codes hand it back."""
    closure = codes.parse_closure_code(code)
    if closure is None:
        raise InteropError(Reason.CLOSURE_CODE, f"« {code} » : code de clôture hors RET/ABS/STT/ERR")
    if location and closure.family != "RET":
        raise InteropError(Reason.LOCATION_NOT_RET, f"localisation fournie avec une clôture {closure.code}")
    with transaction.atomic():
        sig = _lock(sig)
        if sig.status in (S.CLOSED, S.CANCELLED) and sig.closure_code == closure.code:
            return sig  # the same closure twice
        cancelled = closure.code == codes.CANCELLATION_CLOSURE
        target = S.CANCELLED if cancelled else (S.RESOLVED if resolved_only else S.CLOSED)
        _move(sig, target)
        sig.closure_code = closure.code
        sig.responsibility = responsibility
        sig.defect_location = location
        sig.closure_comment = comment
        sig.closed_at = closed_at or timezone.now()
        sig.resolution_state = ResolutionState.DONE
        sig.save()
        summary = (
            f"Clôture {sig.peer.name} {closure.code} ({closure.label}), responsabilité {responsibility}"
            + (f", défaut localisé : {codes.PRELOCS.get(location, location)}" if location else "")
            + (f".\n{comment}" if comment else ".")
        )
        if resolved_only:
            _comment(sig, summary + "\nRésolution à accepter ou refuser.")
            if sig.peer.auto_accept_resolution:
                oc_accept_resolution(sig, actor=system_user())
            return sig
        _apply_closure_to_ticket(sig, closure, summary)
    return sig


def _apply_closure_to_ticket(sig: Signalisation, closure: codes.ClosureCode, summary: str) -> None:
    if sig.ticket_id is None:
        return
    ticket = Ticket.objects.get(pk=sig.ticket_id)
    if closure.code == codes.CANCELLATION_CLOSURE:
        _comment(sig, summary + "\nAnnulation prise en compte par l'OI.")
        if ticket.status == TicketStatus.WAITING_CARRIER:
            _ticket_transition(sig, "resume")
        return
    if closure.family == "RET":
        _comment(sig, summary, public=True)
        if ticket.status != TicketStatus.RESOLVED and _ticket_transition(sig, "resolve", resolution=summary):
            ticket.refresh_from_db()
        if ticket.status == TicketStatus.RESOLVED:
            _ticket_transition(sig, "close")
        return
    _comment(sig, summary + "\nLe ticket revient à l'agent : le service n'est pas rétabli par l'OI.")
    if ticket.status == TicketStatus.WAITING_CARRIER:
        _ticket_transition(sig, "resume")


def oc_send_information(
    sig: Signalisation,
    *,
    actor: Any,
    info_type: str = "INFORMATION",
    text: str = "",
    proposals: list[Slot] | None = None,
) -> Signalisation:
    """Our follow-up to the OI: a message, new appointment proposals (three at most), client details."""
    info = codes.parse_info_type(info_type)
    if info is None:
        raise InteropError(Reason.BAD_VALUE, f"type de message « {info_type} » hors liste")
    with transaction.atomic():
        sig = _lock(sig)
        if sig.role != Role.OC or sig.is_final or not sig.oi_reference:
            raise InteropError(Reason.STATE, "signalisation non acquittée ou terminée")
        if proposals:
            sig.proposals = [p.to_json() for p in proposals[:3]]
            sig.save(update_fields=["proposals", "updated_at"])
        outbound.emit(sig, MessageKind.INFORMATION, info_type=info, text=text, proposals=proposals or [])
        _comment(sig, f"Message envoyé à {sig.peer.name} ({codes.INFO_TYPES[info]}) : {text}".strip())
    return sig


def oc_answer_appointment(
    sig: Signalisation,
    *,
    actor: Any,
    accept: bool,
    slot: Slot | None = None,
    proposals: list[Slot] | None = None,
    text: str = "",
) -> Signalisation:
    """« Réponse RDV »: accept one of the OI's slots, or refuse them with (up to three) new proposals.

    The OI then confirms (« Confirmation RDV ») or proposes again; nothing is fixed on our side
    before its confirmation.
    """
    if accept:
        if slot is None:
            offered = [Slot.from_json(p) for p in sig.proposals]
            if len(offered) != 1:
                raise ValidationError({"slot": ["Choisissez le créneau accepté parmi ceux proposés par l'OI."]})
            slot = offered[0]
        body = text or f"Rendez-vous du {slot.label()} accepté par le client."
        return oc_send_information(sig, actor=actor, info_type="REPONSE_RDV", text=body, proposals=[slot])
    if not proposals:
        raise ValidationError({"proposals": ["Proposez au moins un nouveau créneau (trois au plus)."]})
    body = text or "Créneaux proposés refusés par le client ; nouvelles disponibilités jointes."
    return oc_send_information(sig, actor=actor, info_type="REPONSE_RDV", text=body, proposals=proposals)


def oc_relaunch(sig: Signalisation, *, actor: Any, text: str = "") -> Signalisation:
    """Chase the OI: messages that failed for good are queued again, then a « demande d'information » leaves."""
    with transaction.atomic():
        sig = _lock(sig)
        if sig.role != Role.OC or sig.is_final:
            raise InteropError(Reason.STATE, "signalisation terminée : relance impossible")
        failed = list(sig.messages.filter(direction="out", status="failed").order_by("id"))
        for message in failed:
            outbound.requeue(message)
        if not sig.oi_reference:
            if not failed:
                raise InteropError(Reason.STATE, "AR de l'OI attendu : rien à relancer pour l'instant")
            _comment(sig, f"Relance : {len(failed)} message(s) en échec renvoyé(s) à {sig.peer.name}.")
            return sig
    body = text or f"Relance : merci de nous indiquer l'avancement de la signalisation {sig.oc_reference}."
    return oc_send_information(sig, actor=actor, info_type="DEMANDE_INFO", text=body)


def oc_cancel(sig: Signalisation, *, actor: Any, reason_text: str) -> Signalisation:
    """Withdraw a signalisation: cancelled at once before the OI takes charge, else a cancellation request."""
    if not reason_text.strip():
        raise ValidationError({"reason": ["Un motif est obligatoire."]})
    with transaction.atomic():
        sig = _lock(sig)
        if sig.role != Role.OC or sig.is_final:
            raise InteropError(Reason.STATE, "signalisation déjà terminée")
        if sig.status == S.CANCELLATION_REQUESTED:
            raise InteropError(Reason.STATE, "annulation déjà demandée : réponse de l'OI attendue")
        immediate = sig.status in (S.SUBMITTED, S.ACKNOWLEDGED) and sig.protocol != Protocol.V1
        if sig.protocol == Protocol.INTEROP_TMF and not immediate:
            raise InteropError(Reason.STATE, "profil Interop : annulation possible seulement à l'état acknowledged")
        outbound.emit(sig, MessageKind.CANCELLATION, text=reason_text, immediate=immediate)
        if not immediate:  # an immediate cancellation is confirmed by the OI's answer (oc_cancel_confirmed)
            _move(sig, S.CANCELLATION_REQUESTED)
        sig.save()
        _comment(sig, f"Annulation {'envoyée' if immediate else 'demandée'} à {sig.peer.name} : {reason_text}")
    return sig


def oc_cancel_confirmed(sig: Signalisation, *, text: str = "") -> Signalisation:
    """The OI accepted our cancellation: the desk ticket leaves « attente opérateur »."""
    with transaction.atomic():
        sig = _lock(sig)
        if sig.status == S.CANCELLED:
            return sig
        _move(sig, S.CANCELLED)
        sig.closed_at = timezone.now()
        sig.save()
        _comment(sig, f"Signalisation {sig.oc_reference} annulée par {sig.peer.name}. {text}".strip())
        if sig.ticket is not None and sig.ticket.status == TicketStatus.WAITING_CARRIER:
            _ticket_transition(sig, "resume")
    return sig


def oc_accept_resolution(sig: Signalisation, *, actor: Any) -> Signalisation:
    """Interop profile: accept the OI's resolution (resolved → closed) and close the desk side accordingly."""
    with transaction.atomic():
        sig = _lock(sig)
        _move(sig, S.CLOSED, interop=True)
        sig.save()
        outbound.emit(sig, MessageKind.STATUS, status=S.CLOSED, text="Résolution acceptée")
        closure = codes.parse_closure_code(sig.closure_code) or codes.ClosureCode("RET", "00")
        summary = f"Résolution {sig.closure_code} de {sig.peer.name} acceptée, responsabilité {sig.responsibility}" + (
            f", défaut localisé : {codes.PRELOCS.get(sig.defect_location, sig.defect_location)}."
            if sig.defect_location
            else "."
        )
        _apply_closure_to_ticket(sig, closure, summary)
    return sig


def oc_refuse_resolution(sig: Signalisation, *, actor: Any, reason_text: str) -> Signalisation:
    """Interop profile: the service is still down; the OI's ticket goes back to inProgress."""
    if not reason_text.strip():
        raise ValidationError({"reason": ["Un motif est obligatoire."]})
    with transaction.atomic():
        sig = _lock(sig)
        _move(sig, S.IN_PROGRESS, interop=True)
        sig.closure_code = sig.responsibility = sig.defect_location = ""
        sig.closed_at = None
        sig.save()
        outbound.emit(sig, MessageKind.STATUS, status=S.IN_PROGRESS, text=reason_text)
        _comment(sig, f"Résolution refusée ({reason_text}) : ticket OI remis en cours.")
    return sig


# --- OI side: an OC signals a fault on our network ----------------------------------------------------------


@dataclass
class AckResult:
    ok: bool
    oc_reference: str
    reasons: list[str] = field(default_factory=list)
    signalisation: Signalisation | None = None
    duplicate: bool = False

    @property
    def refusal(self) -> str:
        return " ; ".join(self.reasons)


def oi_receive_deposit(
    peer: InteropPeer, cells: list[str], *, line: int = 1, reject_keeps_ticket: bool = False
) -> AckResult:
    """Acknowledge a deposit: syntactic check, idempotency, then access in our park (« vérification qualitative »).

    ``reject_keeps_ticket`` (Interop TMF profile): an unknown access still creates the ticket, as ``rejected``.
    """
    row = v1_csv.check_row(v1_csv.DEPOSIT, cells, line)
    oc_reference = row.values.get("ReferenceSigSAVRaccoOC") or (cells[2].strip() if len(cells) > 2 else "")
    if not row.ok:
        return AckResult(False, oc_reference, row.reasons)
    data = row.data
    with transaction.atomic():
        existing = (
            Signalisation.objects.select_for_update()
            .filter(peer=peer, role=Role.OI, oc_reference=data["ReferenceSigSAVRaccoOC"])
            .first()
        )
        if existing is not None:
            ok = existing.status != S.REJECTED
            return AckResult(ok, existing.oc_reference, [] if ok else [existing.rejection_reason], existing, True)
        served = served_access_for(peer, data["ReferencePrestationPrise"], data["ReferencePrise"])
        refusal = (
            []
            if served is not None
            else [reason(Reason.UNKNOWN_ACCESS, "accès absent du parc de l'OI ou références incohérentes", line)]
        )
        if refusal and not reject_keeps_ticket:
            return AckResult(False, oc_reference, refusal)
        now = timezone.now()
        sig = Signalisation.objects.create(
            peer=peer,
            role=Role.OI,
            protocol=peer.protocol,
            access=served.access if served else None,
            status=S.REJECTED if refusal else S.ACKNOWLEDGED,
            rejection_reason=" ; ".join(refusal),
            oc_reference=data["ReferenceSigSAVRaccoOC"],
            reference_prestation=data["ReferencePrestationPrise"] or "",
            reference_prise=data["ReferencePrise"] or "",
            incident_date=data["DateIncidClientFinal"],
            nature=data["NatureDefaut"],
            preloc=data["PrelocDefaut"],
            client_last_name=data["NomClient"],
            client_first_name=data["PrenomClient"] or "",
            contact1=data["ContactClient1"],
            contact2=data["ContactClient2"] or "",
            appointment_id=data["IdRdv"] or "",
            proposals=[s.to_json() for s in data["PropalRdv"] or []],
            comment=data["Commentaire"] or "",
            acknowledged_at=now,
        )
        sig.oi_reference = f"{peer.local_code}{timezone.localtime(now):%y%m%d}{sig.pk:06d}"
        sig.save(update_fields=["oi_reference"])
    return AckResult(not refusal, sig.oc_reference, refusal, sig)


def _oi_lock(sig: Signalisation) -> Signalisation:
    sig = _lock(sig)
    if sig.role != Role.OI:
        raise InteropError(Reason.STATE, "action réservée au rôle OI")
    return sig


def oi_take_charge(
    sig: Signalisation, *, actor: Any, resolution_state: str = ResolutionState.TO_DEFINE
) -> Signalisation:
    """« Prise en charge par l'OI » (v2.0 CASE SOLVING NOTIFICATION → OPENACTIVE; profile inProgress)."""
    with transaction.atomic():
        sig = _oi_lock(sig)
        _move(sig, S.IN_PROGRESS, interop=sig.protocol == Protocol.INTEROP_TMF)
        sig.resolution_state = resolution_state
        sig.save()
        outbound.emit(sig, MessageKind.STATUS, status=S.IN_PROGRESS, resolution_state=resolution_state)
    return sig


def oi_send_information(
    sig: Signalisation,
    *,
    actor: Any,
    info_type: str = "INFORMATION",
    text: str = "",
    proposals: list[Slot] | None = None,
    appointment: Slot | None = None,
    appointment_id: str = "",
    resolution_state: str = "",
    status: str | None = None,
) -> Signalisation:
    """Follow-up to the OC: message, resolution state, appointment request/proposal/confirmation."""
    info = codes.parse_info_type(info_type)
    if info is None:
        raise InteropError(Reason.BAD_VALUE, f"type de message « {info_type} » hors liste")
    with transaction.atomic():
        sig = _oi_lock(sig)
        if sig.is_final:
            raise InteropError(Reason.STATE, "signalisation terminée")
        if status:
            _move(sig, status, interop=sig.protocol == Protocol.INTEROP_TMF)
        if appointment is not None:
            sig.appointment = appointment.to_json()
            resolution_state = resolution_state or ResolutionState.SCHEDULED
        if appointment_id:
            sig.appointment_id = appointment_id
        if resolution_state:
            sig.resolution_state = resolution_state
        sig.save()
        outbound.emit(
            sig,
            MessageKind.INFORMATION,
            info_type=info,
            text=text,
            proposals=proposals or [],
            appointment=appointment,
            appointment_id=sig.appointment_id,
            resolution_state=resolution_state,
            status=status,
        )
    return sig


def oi_receive_information(
    sig: Signalisation, *, info_type: str = "INFORMATION", text: str = "", proposals: list[Slot] | None = None
) -> Signalisation:
    """The OC writes to us: new proposals, client details, or a cancellation request."""
    with transaction.atomic():
        sig = _oi_lock(sig)
        if sig.is_final:
            raise InteropError(Reason.STATE, "signalisation terminée")
        if info_type == "DEMANDE_ANNULATION":
            _move(sig, S.CANCELLATION_REQUESTED)
        if proposals:
            sig.proposals = [p.to_json() for p in proposals]
        sig.save()
    return sig


def oi_cancel(sig: Signalisation, *, immediate: bool) -> Signalisation:
    """The OC cancels: at once if we have not taken charge (v2.0 CASE CANCELATION), else a pending request."""
    with transaction.atomic():
        sig = _oi_lock(sig)
        if immediate:
            if sig.status not in (S.ACKNOWLEDGED, S.SUBMITTED):
                raise InteropError(Reason.STATE, "ticket déjà pris en charge : demande d'annulation attendue")
            _move(sig, S.CANCELLED, interop=sig.protocol == Protocol.INTEROP_TMF)
            sig.closed_at = timezone.now()
        else:
            _move(sig, S.CANCELLATION_REQUESTED)
        sig.save()
    return sig


def oi_close(
    sig: Signalisation,
    *,
    actor: Any,
    code: str,
    responsibility: str,
    location: str = "",
    comment: str = "",
) -> Signalisation:
    """Close with RET/ABS/STT/ERR + sub-code, responsibility OI/OC/Tiers; defect location with RET only.

    Interop profile: the ticket becomes ``resolved`` and waits for the OC's acceptance.
    Accepting a cancellation request is closing with STT02.
    """
    closure = codes.parse_closure_code(code)
    if closure is None:
        raise InteropError(Reason.CLOSURE_CODE, f"« {code} » : code de clôture hors RET/ABS/STT/ERR")
    resp = codes.parse_responsibility(responsibility)
    if resp is None:
        raise InteropError(Reason.RESPONSIBILITY, f"« {responsibility} » : responsabilité hors OI/OC/Tiers")
    loc = codes.parse_preloc(location) if location else ""
    if location and loc is None:
        raise InteropError(Reason.BAD_VALUE, f"localisation « {location} » hors liste")
    if loc and closure.family != "RET":
        raise InteropError(Reason.LOCATION_NOT_RET, f"localisation fournie avec une clôture {closure.code}")
    if closure.family == "RET" and not loc:
        raise InteropError(Reason.LOCATION_REQUIRED, "une clôture RET indique la localisation du défaut")
    with transaction.atomic():
        sig = _oi_lock(sig)
        tmf = sig.protocol == Protocol.INTEROP_TMF
        cancelled = closure.code == codes.CANCELLATION_CLOSURE
        target = S.CANCELLED if cancelled and not tmf else (S.RESOLVED if tmf else S.CLOSED)
        _move(sig, target, interop=tmf)
        sig.closure_code = closure.code
        sig.responsibility = resp
        sig.defect_location = loc or ""
        sig.closure_comment = comment
        sig.closed_at = timezone.now()
        sig.resolution_state = ResolutionState.DONE
        sig.save()
        outbound.emit(sig, MessageKind.CLOSURE)
    return sig


def oi_receive_status(sig: Signalisation, *, status: str, text: str = "") -> Signalisation:
    """Interop profile PATCH from the OC: cancel (acknowledged only), accept (closed) or refuse (inProgress)."""
    with transaction.atomic():
        sig = _oi_lock(sig)
        _move(sig, status, interop=True)
        if status == S.IN_PROGRESS:  # refusal: the closure is void
            sig.closure_code = sig.responsibility = sig.defect_location = ""
            sig.closed_at = None
        elif status in (S.CLOSED, S.CANCELLED) and sig.closed_at is None:
            sig.closed_at = timezone.now()
        sig.save()
        outbound.emit(sig, MessageKind.STATUS, status=status, text=text, notify_only=True)
    return sig
