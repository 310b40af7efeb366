"""Outbound messages: encode a signalisation event in the peer's protocol, journal it, queue it, deliver it.

``emit`` runs inside the caller's transaction: the journal row and its ``interop.send``
job commit with the state change, or not at all. ``deliver`` is the job's body: it
sends (SMTP or HTTP), marks the message sent and applies a synchronous answer (v2.0
acknowledgements, TMF621 responses). A peer that is down makes the job retry with the
queue's backoff, across restarts; messages of one signalisation leave in order.
"""

from __future__ import annotations

import json
import smtplib
import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from softwhere.jobs.actions import schedule

from . import journal
from .adapters import http, mail
from .choices import Direction, HubApi, MessageKind, MessageStatus, Protocol, Role
from .choices import SignalisationStatus as S
from .models import Hub, InteropMessage, InteropPeer, Signalisation
from .services import codes, formats, lifecycle, tmf, v1_csv, v2_xml
from .services.formats import Slot

JOB_SEND = "interop.send"
INTEROP_BASE = "/tmf-api/interop/troubleTicket/v1"
JSON = "application/json"
MERGE_PATCH = "application/merge-patch+json"


class RetryLater(Exception):
    """Not sent now (peer down, an earlier message still queued): the job runs again later."""


def max_attempts() -> int:
    return int(getattr(settings, "INTEROP_MAX_ATTEMPTS", 8))


def queue(message: InteropMessage, *, delay: timedelta | None = None) -> InteropMessage:
    schedule(
        JOB_SEND,
        timezone.now() + (delay or timedelta(0)),
        {"message_id": message.pk},
        dedupe_key=f"{JOB_SEND}:{message.pk}",
        max_attempts=max_attempts(),
    )
    return message


def requeue(message: InteropMessage) -> InteropMessage:
    """Send a message that failed for good once more (a fresh job: the old one is finished)."""
    retry = int(message.parsed.get("requeued", 0)) + 1
    message.status = MessageStatus.PENDING
    message.reason = ""
    message.parsed = {**message.parsed, "requeued": retry}
    message.save(update_fields=["status", "reason", "parsed"])
    schedule(
        JOB_SEND,
        timezone.now(),
        {"message_id": message.pk},
        dedupe_key=f"{JOB_SEND}:{message.pk}:r{retry}",
        max_attempts=max_attempts(),
    )
    return message


def _oc_oi_codes(sig: Signalisation) -> tuple[str, str]:
    peer = sig.peer
    return (peer.local_code, peer.code) if sig.role == Role.OC else (peer.code, peer.local_code)


# --- v1.0a: a CSV attached to a mail -------------------------------------------------------------------------


def send_v1_file(
    peer: InteropPeer,
    file_type: v1_csv.FileType,
    rows: list[dict[str, Any]],
    *,
    signalisation: Signalisation | None = None,
    kind: str | None = None,
) -> InteropMessage:
    message = journal.record(
        direction=Direction.OUTBOUND,
        protocol=Protocol.V1,
        kind=kind or file_type.kind,
        status=MessageStatus.PENDING,
        peer=peer,
        signalisation=signalisation,
        parsed={"transport": "mail", "type": file_type.key, "rows": rows},
    )
    filename = v1_csv.build_filename(file_type, peer.local_code, peer.code, message.created_at, message.pk)
    content = v1_csv.write(file_type, rows)
    subject = v1_csv.subject_for(filename)
    body = (
        f"Bonjour,\r\n\r\nVeuillez trouver ci-joint le fichier {filename} ({file_type.label}, "
        f"protocole SAV FTTH v1.0a).\r\n\r\nCordialement,\r\n{peer.local_code}\r\n"
    )
    sender = peer.local_mail_address or settings.DEFAULT_FROM_EMAIL
    raw = mail.build_mail(
        sender=sender, recipient=peer.mail_address, subject=subject, body=body, filename=filename, attachment=content
    )
    message.raw = raw.decode("utf-8", errors="replace")
    message.filename = filename
    message.subject = subject
    message.save(update_fields=["raw", "filename", "subject"])
    return queue(message)


def _v1_rows(sig: Signalisation, kind: str, payload: dict[str, Any]) -> tuple[v1_csv.FileType, dict[str, Any]] | None:
    from .actions import deposit_row

    now = timezone.now()
    if kind == MessageKind.DEPOSIT:
        return v1_csv.DEPOSIT, deposit_row(sig)
    if kind in (MessageKind.INFORMATION, MessageKind.CANCELLATION):
        info_type = (
            "DEMANDE_ANNULATION" if kind == MessageKind.CANCELLATION else payload.get("info_type", "INFORMATION")
        )
        appointment = payload.get("appointment")
        slots = [appointment] if appointment else list(payload.get("proposals") or [])
        text = payload.get("text", "")
        if payload.get("resolution_state"):
            text = f"État de résolution : {payload['resolution_state']}. {text}".strip()
        return v1_csv.INFORMATION, {
            "ReferenceSigSAVRaccoOC": sig.oc_reference,
            "IdTicketOI": sig.oi_reference,
            "DateMessage": now,
            "TypeMessage": info_type,
            "IdRdv": payload.get("appointment_id") or sig.appointment_id,
            "PropalRdv": slots,
            "Commentaire": text,
        }
    if kind == MessageKind.CLOSURE:
        return v1_csv.CLOSURE, {
            "ReferenceSigSAVRaccoOC": sig.oc_reference,
            "IdTicketOI": sig.oi_reference,
            "ReferencePrestationPrise": sig.reference_prestation,
            "ReferencePrise": sig.reference_prise,
            "DateCloture": sig.closed_at or now,
            "CodeCloture": sig.closure_code,
            "Responsabilite": sig.responsibility,
            "LocalisationDefaut": sig.defect_location,
            "Commentaire": sig.closure_comment,
        }
    return None  # v1.0a has no message for a bare status change (« prise en charge »)


def send_v1_acks(peer: InteropPeer, acks: list[Any]) -> InteropMessage:
    """One AR file answering one deposit file, a line per deposit line (``actions.AckResult``)."""
    rows = []
    for ack in acks:
        sig = ack.signalisation if ack.ok else None
        rows.append(
            {
                "ReferenceSigSAVRaccoOC": ack.oc_reference,
                "ReferencePrestationPrise": sig.reference_prestation if sig else "",
                "ReferencePrise": sig.reference_prise if sig else "",
                "ResultatAR": "OK" if ack.ok else "KO",
                "IdTicketOI": sig.oi_reference if sig else "",
                "DatePriseEnCompte": sig.acknowledged_at if sig else None,
                "MotifRefus": "" if ack.ok else ack.refusal,
            }
        )
    single = acks[0].signalisation if len(acks) == 1 and acks[0].ok else None
    return send_v1_file(peer, v1_csv.ACK, rows, signalisation=single)


# --- v2.0: XML documents over HTTP ---------------------------------------------------------------------------


def _http_message(
    *,
    peer: InteropPeer | None,
    protocol: str,
    kind: str,
    method: str,
    url: str,
    body: bytes | str,
    content_type: str,
    signalisation: Signalisation | None = None,
    extra: dict[str, Any] | None = None,
    token: bool = True,
) -> InteropMessage:
    message = journal.record(
        direction=Direction.OUTBOUND,
        protocol=protocol,
        kind=kind,
        status=MessageStatus.PENDING,
        peer=peer,
        signalisation=signalisation,
        raw=body,
        parsed={
            "transport": "http",
            "method": method,
            "url": url,
            "content_type": content_type,
            "token": token,
            **(extra or {}),
        },
    )
    return queue(message)


def _v2_base(sig: Signalisation) -> dict[str, Any]:
    oc, oi = _oc_oi_codes(sig)
    return {"OcId": oc, "OiId": oi, "OcTicketId": sig.oc_reference, "OiTicketId": sig.oi_reference or None}


def _v2_document(sig: Signalisation, kind: str, payload: dict[str, Any]) -> tuple[bytes, str | None] | None:
    base = _v2_base(sig)
    if kind == MessageKind.DEPOSIT:
        ticket = {
            **base,
            "SavType": "SIGNALISATION",
            "ServiceId": sig.reference_prestation or None,
            "PtoId": sig.reference_prise or None,
            "TroubleDetectionDate": sig.incident_date,
            "TroubleNature": sig.nature,
            "TroubleLocation": sig.preloc.replace(" ", "_"),
            "TroubleDescription": sig.comment or None,
            "Customer": {
                "LastName": sig.client_last_name,
                "FirstName": sig.client_first_name or None,
                "Contact1": sig.contact1,
                "Contact2": sig.contact2 or None,
            },
            "AppointmentId": sig.appointment_id or None,
            "AppointmentProposal": [Slot.from_json(p) for p in sig.proposals][:3],
        }
        return v2_xml.build_request(ticket), None
    now = timezone.now()
    if kind == MessageKind.STATUS and payload.get("status") == S.IN_PROGRESS and sig.role == Role.OI:
        ticket = {**base, "TroubleState": lifecycle.V2_OPENACTIVE, "ResolutionState": payload.get("resolution_state")}
        return v2_xml.build_request(ticket, lifecycle.SOLVING), lifecycle.SOLVING
    if kind == MessageKind.INFORMATION:
        message = {"Type": payload.get("info_type", "INFORMATION"), "Time": now, "Text": payload.get("text") or None}
        if sig.role == Role.OI:
            ticket = {
                **base,
                "AppointmentId": payload.get("appointment_id") or None,
                "AppointmentProposal": list(payload.get("proposals") or [])[:3],
                "Appointment": payload.get("appointment"),
                "TroubleState": lifecycle.V2_STATUS[S(sig.status)],
                "ResolutionState": payload.get("resolution_state") or None,
                "Message": [message],
            }
            return v2_xml.build_request(ticket, lifecycle.SU_INFO), lifecycle.SU_INFO
        ticket = {**base, "AppointmentProposal": list(payload.get("proposals") or [])[:3], "Message": [message]}
        return v2_xml.build_request(ticket, lifecycle.CO_INFO), lifecycle.CO_INFO
    if kind == MessageKind.CANCELLATION:
        transaction_name = lifecycle.CANCEL if payload.get("immediate") else lifecycle.CANCEL_REQUEST
        ticket = {**base, "Message": [{"Type": "DEMANDE_ANNULATION", "Time": now, "Text": payload.get("text")}]}
        return v2_xml.build_request(ticket, transaction_name), transaction_name
    if kind == MessageKind.CLOSURE:
        ticket = {
            **base,
            "TroubleState": lifecycle.V2_CLOSED,
            "ResolutionState": "ACTION_TERMINEE",
            "Closure": {
                "Code": sig.closure_code,
                "Responsibility": sig.responsibility,
                "DefectLocation": sig.defect_location.replace(" ", "_") or None,
                "Description": sig.closure_comment or None,
                "Time": sig.closed_at or now,
            },
        }
        return v2_xml.build_request(ticket, lifecycle.SOLVED), lifecycle.SOLVED
    return None


# --- Interop TMF621 profile ----------------------------------------------------------------------------------


def _subscribe_if_needed(peer: InteropPeer) -> None:
    """OC side: subscribe once to the OI's hub, so its status changes reach our listener."""
    if peer.remote_hub_id or not peer.callback_url:
        return
    pending = InteropMessage.objects.filter(
        peer=peer, kind=MessageKind.SUBSCRIPTION, direction=Direction.OUTBOUND, status=MessageStatus.PENDING
    )
    if pending.exists():
        return
    body = {
        "callback": peer.callback_url.rstrip("/"),
        "query": "eventType=TroubleTicketStatusChangeEvent,TroubleTicketAttributeValueChangeEvent",
    }
    _http_message(
        peer=peer,
        protocol=Protocol.INTEROP_TMF,
        kind=MessageKind.SUBSCRIPTION,
        method="POST",
        url=f"{peer.endpoint_url.rstrip('/')}/hub",
        body=json.dumps(body),
        content_type=JSON,
    )


def _note(kind: str, text: str) -> dict[str, Any]:
    return tmf.field_note(kind, text, note_id=uuid.uuid4().hex, when=timezone.now())


def _oi_notes(sig: Signalisation, payload: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    """Notes the OI adds for this event (kept on the signalisation: the profile's ticket shows them all)."""
    new: list[dict[str, Any]] = []
    if kind == MessageKind.INFORMATION:
        new.append(_note("TypeMessage", payload.get("info_type", "INFORMATION")))
        if payload.get("text"):
            new.append({**_note("Note", payload["text"]), "@type": "Note"})
        if payload.get("proposals"):
            new.append(_note("PropalRdv", formats.format_slots(payload["proposals"])))
        if payload.get("appointment"):
            new.append(_note("Rdv", payload["appointment"].to_v1()))
        if payload.get("appointment_id"):
            new.append(_note("IdRdv", payload["appointment_id"]))
    if payload.get("resolution_state"):
        new.append(_note("EtatResolution", payload["resolution_state"]))
    if kind == MessageKind.CLOSURE:
        new.append(_note("CodeCloture", sig.closure_code))
        new.append(_note("Responsabilite", sig.responsibility))
        if sig.defect_location:
            new.append(_note("LocalisationDefaut", sig.defect_location))
        if sig.closure_comment:
            new.append({**_note("Note", sig.closure_comment), "@type": "Note"})
    return new


def interop_resource(sig: Signalisation) -> dict[str, Any]:
    return tmf.signalisation_to_interop(sig, INTEROP_BASE, notes=list(sig.extra.get("notes", [])))


def _interop_emit(sig: Signalisation, kind: str, payload: dict[str, Any]) -> list[InteropMessage]:
    peer = sig.peer
    if sig.role == Role.OC:
        base = peer.endpoint_url.rstrip("/")
        if kind == MessageKind.DEPOSIT:
            _subscribe_if_needed(peer)
            from .actions import deposit_row

            row = deposit_row(sig)
            oc, oi = _oc_oi_codes(sig)
            body = {
                "@type": "TroubleTicket",
                "externalId": sig.oc_reference,
                "name": f"SAV FTTH {codes.NATURES[sig.nature]}",
                "description": sig.comment or codes.NATURES[sig.nature],
                "severity": "Major" if sig.nature == codes.NATURE_WEAK else "Critical",
                "ticketType": "SAV FTTH",
                "relatedEntity": [
                    e
                    for e in (
                        {"@referredType": "PTO", "id": sig.reference_prise, "role": "referencePrise"}
                        if sig.reference_prise
                        else None,
                        {
                            "@referredType": "Prestation",
                            "id": sig.reference_prestation,
                            "role": "referencePrestationPrise",
                        }
                        if sig.reference_prestation
                        else None,
                    )
                    if e
                ],
                "relatedParty": [
                    {"@referredType": "Organization", "id": oc, "role": "OC"},
                    {"@referredType": "Organization", "id": oi, "role": "OI"},
                ],
                "note": tmf.deposit_notes(row),
            }
            return [
                _http_message(
                    peer=peer,
                    protocol=Protocol.INTEROP_TMF,
                    kind=kind,
                    method="POST",
                    url=f"{base}/troubleTicket",
                    body=json.dumps(body),
                    content_type=JSON,
                    signalisation=sig,
                )
            ]
        patch: dict[str, Any] = {}
        if kind == MessageKind.INFORMATION:
            notes = [_note("TypeMessage", payload.get("info_type", "INFORMATION"))]
            if payload.get("text"):
                notes.append({**_note("Note", payload["text"]), "@type": "Note"})
            if payload.get("proposals"):
                notes.append(_note("PropalRdv", formats.format_slots(payload["proposals"])))
            patch["note"] = notes
        elif kind == MessageKind.CANCELLATION:
            patch = {"status": "cancelled", "statusChangeReason": payload.get("text", "")[:255]}
        elif kind == MessageKind.STATUS:
            patch = {"status": lifecycle.TMF_STATUS[payload["status"]]}
            if payload.get("text"):
                patch["statusChangeReason"] = payload["text"][:255]
        if not patch:
            return []
        return [
            _http_message(
                peer=peer,
                protocol=Protocol.INTEROP_TMF,
                kind=kind,
                method="PATCH",
                url=f"{base}/troubleTicket/{{oi_reference}}",
                body=json.dumps(patch),
                content_type=MERGE_PATCH,
                signalisation=sig,
                extra={"cancellation": kind == MessageKind.CANCELLATION},
            )
        ]
    # OI side: the OC hears about changes through the events of its hub subscriptions.
    notes = _oi_notes(sig, payload, kind)
    if notes:
        sig.extra = {**sig.extra, "notes": [*sig.extra.get("notes", []), *notes]}
        sig.save(update_fields=["extra"])
    event_type = (
        "TroubleTicketAttributeValueChangeEvent"
        if kind == MessageKind.INFORMATION and not payload.get("status")
        else "TroubleTicketStatusChangeEvent"
    )
    resource = interop_resource(sig)
    messages = []
    if peer.inbound_user_id is None:
        return []
    for hub in Hub.objects.filter(api=HubApi.INTEROP, owner_id=peer.inbound_user_id):
        if not hub.wants(event_type, {"status": resource["status"]}):
            continue
        body = tmf.event(event_type, "troubleTicket", resource, uuid.uuid4().hex, timezone.now())
        messages.append(
            _http_message(
                peer=peer,
                protocol=Protocol.INTEROP_TMF,
                kind=MessageKind.EVENT,
                method="POST",
                url=f"{hub.callback.rstrip('/')}/{event_type}",
                body=json.dumps(body),
                content_type=JSON,
                signalisation=sig,
            )
        )
    return messages


# --- entry point -----------------------------------------------------------------------------------------------


def emit(sig: Signalisation, kind: str, **payload: Any) -> list[InteropMessage]:
    """Tell the peer about ``kind`` (MessageKind) on ``sig`` in its protocol; [] when the protocol has no such message."""
    peer = sig.peer
    if sig.protocol == Protocol.V1:
        if payload.get("notify_only"):
            return []
        encoded = _v1_rows(sig, kind, payload)
        if encoded is None:
            return []
        file_type, row = encoded
        return [send_v1_file(peer, file_type, [row], signalisation=sig, kind=kind)]
    if sig.protocol == Protocol.V2:
        if payload.get("notify_only"):
            return []
        document = _v2_document(sig, kind, payload)
        if document is None:
            return []
        body, transaction_name = document
        return [
            _http_message(
                peer=peer,
                protocol=Protocol.V2,
                kind=kind,
                method="POST",
                url=peer.endpoint_url,
                body=body,
                content_type=v2_xml.CONTENT_TYPE,
                signalisation=sig,
                extra={"transaction": transaction_name or "CREATE", "immediate": bool(payload.get("immediate"))},
            )
        ]
    if sig.protocol == Protocol.INTEROP_TMF:
        return _interop_emit(sig, kind, payload)
    return []


# --- delivery (job body) ---------------------------------------------------------------------------------------


def deliver(message_id: int, *, final_attempt: bool) -> None:
    message = (
        InteropMessage.objects.select_for_update(of=("self",))
        .select_related("peer", "signalisation")
        .get(pk=message_id)
    )
    if message.status != MessageStatus.PENDING:
        return
    earlier = (
        InteropMessage.objects.filter(
            direction=Direction.OUTBOUND,
            status=MessageStatus.PENDING,
            pk__lt=message.pk,
            signalisation=message.signalisation,
        ).exists()
        if message.signalisation_id
        else False
    )
    if earlier:
        raise RetryLater(f"message {message.pk} : un message précédent de la signalisation est en attente")
    try:
        result = _send(message)
    except (http.Retryable, OSError, smtplib.SMTPException) as exc:
        if not final_attempt:
            raise RetryLater(str(exc)) from exc
        journal.finish(
            message,
            MessageStatus.FAILED,
            f"Abandon après {max_attempts()} tentatives : {exc}",
            attempts=max_attempts(),
            sent_at=None,
        )
        _alert_failure(message, str(exc))
        return
    journal.finish(
        message,
        MessageStatus.SENT,
        sent_at=timezone.now(),
        attempts=message.attempts + 1,
        response=result.text if result else "",
    )
    if result is not None:
        from .inbound import on_http_response

        on_http_response(message, result)


def _send(message: InteropMessage) -> http.HttpResult | None:
    peer = message.peer
    parsed = message.parsed
    if parsed.get("transport") == "mail":
        assert peer is not None
        mail.send_raw(message.raw.encode("utf-8"), host=peer.smtp_host, port=peer.smtp_port)
        return None
    url = parsed["url"]
    if "{oi_reference}" in url:
        sig = message.signalisation
        if sig is None or not sig.oi_reference:
            raise RetryLater("référence OI encore inconnue")
        url = url.replace("{oi_reference}", sig.oi_reference)
    return http.call(
        parsed["method"],
        url,
        body=message.raw.encode("utf-8"),
        content_type=parsed["content_type"],
        token=peer.auth_token if peer is not None and parsed.get("token", True) else "",
    )


def _alert_failure(message: InteropMessage, error: str) -> None:
    sig = message.signalisation
    if sig is None or sig.ticket_id is None:
        return
    from .actions import _comment

    _comment(sig, f"Interop : échec définitif d'envoi à {sig.peer.name} ({message.get_kind_display()}) : {error}")
