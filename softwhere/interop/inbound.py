"""Inbound messages of every protocol: journal first (payload kept whole), then decode and apply.

A message we cannot understand or accept is journaled ``rejected`` with its reason,
and the peer gets a KO wherever the protocol has one (v1.0a AR KO, v2.0 Acknowledgement
KO, TMF621 Error). Replays are recognised (Message-ID, event id, OC reference) and
change nothing twice.
"""

from __future__ import annotations

import json
from datetime import datetime
from email.utils import parseaddr
from typing import Any

from django.db import transaction
from django.utils import timezone

from . import actions, journal, outbound
from .actions import InteropError
from .adapters import mail
from .adapters.http import HttpResult
from .choices import Direction, MessageKind, MessageStatus, Protocol, Role
from .choices import SignalisationStatus as S
from .models import InteropMessage, InteropPeer, Notice, Signalisation
from .services import codes, formats, lifecycle, tmf, v1_csv, v2_xml
from .services.codes import Reason, reason
from .services.formats import Slot

# --- v1.0a ------------------------------------------------------------------------------------------------------


def peer_for_address(address: str) -> InteropPeer | None:
    return InteropPeer.objects.filter(mail_address__iexact=address.strip(), is_active=True).first()


def ingest_mail(raw: bytes) -> list[InteropMessage]:
    """One received mail: each CSV attachment is a v1.0a file from the peer its sender address names."""
    message = mail.parse_mail(raw)
    sender = parseaddr(str(message.get("From", "")))[1]
    subject = str(message.get("Subject", ""))
    message_id = str(message.get("Message-ID", "")).strip()
    peer = peer_for_address(sender)
    if peer is None:
        return [
            journal.record(
                direction=Direction.INBOUND,
                protocol=Protocol.V1,
                kind=MessageKind.UNKNOWN,
                status=MessageStatus.REJECTED,
                raw=raw,
                subject=subject,
                reason=reason(Reason.UNKNOWN_SENDER, f"expéditeur {sender or '?'} non configuré"),
            )
        ]
    attachments = mail.csv_attachments(message)
    if not attachments:
        subject_name = v1_csv.filename_from_subject(subject) or ""
        record = journal.record(
            direction=Direction.INBOUND,
            protocol=Protocol.V1,
            kind=MessageKind.UNKNOWN,
            status=MessageStatus.REJECTED,
            peer=peer,
            raw=raw,
            subject=subject,
            filename=subject_name,
            reason=reason(Reason.FILE_UNREADABLE, "aucun fichier CSV joint"),
        )
        return [record]
    out = []
    for filename, content in attachments:
        name = filename or v1_csv.filename_from_subject(subject) or ""
        key = f"mail:{message_id}:{name}" if message_id else None
        out.append(ingest_v1_file(peer, content, name, raw=raw, subject=subject, dedupe_key=key))
    return out


def poll_spool(spool: mail.Spool | None = None) -> list[InteropMessage]:
    """Ingest every mail waiting in the spool; each is archived (``cur/``) once journaled."""
    spool = spool or mail.Spool()
    out: list[InteropMessage] = []
    for key, raw in spool.pending():
        with transaction.atomic():
            out.extend(ingest_mail(raw))
        spool.done(key)
    return out


def ingest_v1_file(
    peer: InteropPeer,
    content: bytes,
    filename: str,
    *,
    raw: bytes | str = "",
    subject: str = "",
    dedupe_key: str | None = None,
) -> InteropMessage:
    """Journal, check and apply one v1.0a file; the journal row says what was done and why."""
    parsed = v1_csv.parse(content, filename)
    kind = parsed.file_type.kind if parsed.file_type else MessageKind.UNKNOWN
    with transaction.atomic():
        fields: dict[str, Any] = {
            "direction": Direction.INBOUND,
            "protocol": Protocol.V1,
            "kind": kind,
            "status": MessageStatus.PROCESSED,
            "peer": peer,
            "raw": raw or content,
            "filename": filename,
            "subject": subject,
            "parsed": {
                "type": parsed.file_type.key if parsed.file_type else None,
                "rows": [row.values or row.raw for row in parsed.rows],
            },
        }
        if dedupe_key:  # the same mail delivered twice (same Message-ID) is journaled once
            record, new = journal.record_once(dedupe_key, **fields)
            if not new:
                return record
        else:
            record = journal.record(**fields)
        if not raw:
            record.raw = v1_csv.decode(content)
            record.save(update_fields=["raw"])
        reasons = list(parsed.reasons)
        file_type = parsed.file_type
        if file_type is v1_csv.DEPOSIT or (file_type is None and peer.peer_role == Role.OC):
            reasons += _v1_deposit(peer, parsed, record)
        elif file_type is None:
            pass
        elif file_type is v1_csv.ACK:
            reasons += _v1_rows(peer, parsed, record, _v1_ack)
        elif file_type is v1_csv.INFORMATION:
            reasons += _v1_rows(peer, parsed, record, _v1_information)
        elif file_type is v1_csv.CLOSURE:
            reasons += _v1_rows(peer, parsed, record, _v1_closure)
        elif file_type in (v1_csv.MAINTENANCE, v1_csv.DAMAGE):
            reasons += _v1_notice(peer, parsed, file_type)
        elif file_type is v1_csv.DAMAGE_ACK:
            reasons += _v1_rows(peer, parsed, record, _v1_damage_ack)
        if reasons:
            status = MessageStatus.REJECTED
        else:
            status = MessageStatus.DUPLICATE if record.status == MessageStatus.DUPLICATE else MessageStatus.PROCESSED
        journal.finish(record, status, "\n".join(reasons))
    return record


def _v1_deposit(peer: InteropPeer, parsed: v1_csv.ParsedFile, record: InteropMessage) -> list[str]:
    """We are the OI: one AR line per deposit line (OK with our ticket id, KO with the reason)."""
    if peer.peer_role != Role.OC:
        return [reason(Reason.STATE, f"{peer.name} est un OI : il ne nous dépose pas de signalisation")]
    acks: list[actions.AckResult] = []
    if parsed.reasons and not parsed.rows:
        acks.append(actions.AckResult(False, "", list(parsed.reasons)))
    for row in parsed.rows:
        if parsed.reasons:
            row.reasons = [*parsed.reasons, *row.reasons]
        ack = (
            actions.oi_receive_deposit(peer, row.raw, line=row.line)
            if not row.reasons
            else actions.AckResult(False, row.values.get("ReferenceSigSAVRaccoOC") or _cell(row.raw, 2), row.reasons)
        )
        acks.append(ack)
    outbound.send_v1_acks(peer, acks)
    if len(acks) == 1 and acks[0].signalisation is not None:
        journal.link(record, acks[0].signalisation)
    if all(a.duplicate for a in acks if a.ok) and any(a.ok for a in acks) and all(a.ok for a in acks):
        record.status = MessageStatus.DUPLICATE
        record.save(update_fields=["status"])
    return [r for a in acks for r in a.reasons]


def _cell(cells: list[str], index: int) -> str:
    return cells[index].strip() if len(cells) > index else ""


def _v1_rows(peer: InteropPeer, parsed: v1_csv.ParsedFile, record: InteropMessage, apply: Any) -> list[str]:
    reasons: list[str] = []
    for row in parsed.rows:
        if not row.ok:
            reasons += row.reasons
            _note_invalid(peer, row, record)
            continue
        sig = _find(peer, row.data.get("ReferenceSigSAVRaccoOC"), row.data.get("IdTicketOI"))
        if sig is None and apply is not _v1_damage_ack:
            reasons.append(reason(Reason.UNKNOWN_TICKET, "signalisation inconnue", row.line))
            continue
        journal.link(record, sig)
        try:
            apply(peer, sig, row)
        except InteropError as exc:
            reasons.append(reason(exc.code, exc.message, row.line))
    return reasons


def _note_invalid(peer: InteropPeer, row: v1_csv.Row, record: InteropMessage) -> None:
    """A malformed line about one of our signalisations: the agent sees it on the desk ticket."""
    sig = _find(peer, row.values.get("ReferenceSigSAVRaccoOC"), row.values.get("IdTicketOI"))
    if sig is not None:
        journal.link(record, sig)
        actions._comment(sig, f"Message {record.filename} de {peer.name} rejeté : " + " ; ".join(row.reasons))


def _find(peer: InteropPeer, oc_reference: str | None, oi_reference: str | None) -> Signalisation | None:
    qs = Signalisation.objects.filter(peer=peer, role=peer.our_role)
    if oc_reference:
        return qs.filter(oc_reference=oc_reference).first()
    if oi_reference:
        return qs.filter(oi_reference=oi_reference).first()
    return None


def _v1_ack(peer: InteropPeer, sig: Signalisation, row: v1_csv.Row) -> None:
    data = row.data
    actions.oc_receive_ack(
        sig,
        ok=data["ResultatAR"] == "OK",
        oi_reference=data["IdTicketOI"] or "",
        acknowledged_at=data["DatePriseEnCompte"],
        refusal=data["MotifRefus"] or "",
    )


def _v1_information(peer: InteropPeer, sig: Signalisation, row: v1_csv.Row) -> None:
    data = row.data
    slots: list[Slot] = data["PropalRdv"] or []
    info_type = data["TypeMessage"]
    if sig.role == Role.OC:
        confirmed = info_type in codes.APPOINTMENT_CONFIRMATIONS and len(slots) == 1
        actions.oc_receive_information(
            sig,
            info_type=info_type,
            text=data["Commentaire"] or "",
            appointment=slots[0] if confirmed else None,
            proposals=None if confirmed else slots,
            appointment_id=data["IdRdv"] or "",
        )
    else:
        actions.oi_receive_information(sig, info_type=info_type, text=data["Commentaire"] or "", proposals=slots)


def _v1_closure(peer: InteropPeer, sig: Signalisation, row: v1_csv.Row) -> None:
    data = row.data
    actions.oc_receive_closure(
        sig,
        code=data["CodeCloture"],
        responsibility=data["Responsabilite"],
        location=data["LocalisationDefaut"] or "",
        comment=data["Commentaire"] or "",
        closed_at=data["DateCloture"],
    )


def _v1_damage_ack(peer: InteropPeer, sig: Signalisation | None, row: v1_csv.Row) -> None:
    data = row.data
    Notice.objects.filter(
        peer=peer, kind=MessageKind.DAMAGE, direction=Direction.OUTBOUND, reference=data["ReferenceDommage"]
    ).update(
        status=MessageStatus.PROCESSED if data["ResultatAR"] == "OK" else MessageStatus.REJECTED,
        peer_reference=data["IdDommageOI"] or data["MotifRefus"] or "",
    )


def _v1_notice(peer: InteropPeer, parsed: v1_csv.ParsedFile, file_type: v1_csv.FileType) -> list[str]:
    """Planned works (we are OC): kept per reference, one line per address. Damage (we are OI): kept and acknowledged."""
    bad = [r for row in parsed.rows for r in row.reasons]
    good = [row for row in parsed.rows if row.ok]
    if file_type is v1_csv.MAINTENANCE:
        by_ref: dict[str, list[v1_csv.Row]] = {}
        for row in good:
            by_ref.setdefault(row.data["ReferencePrevenance"], []).append(row)
        for ref, rows in by_ref.items():
            Notice.objects.update_or_create(
                peer=peer,
                kind=MessageKind.MAINTENANCE,
                direction=Direction.INBOUND,
                reference=ref,
                defaults={
                    "pm_reference": rows[0].data["ReferencePM"],
                    "starts_at": min(r.data["DateDebutPrevue"] for r in rows),
                    "ends_at": max(r.data["DateFinPrevue"] for r in rows),
                    "lines": [r.values for r in rows],
                },
            )
        return bad
    ack_rows = []
    for row in parsed.rows:
        notice = None
        if row.ok:
            notice, _ = Notice.objects.get_or_create(
                peer=peer,
                kind=MessageKind.DAMAGE,
                direction=Direction.INBOUND,
                reference=row.data["ReferenceDommage"],
                defaults={"pm_reference": row.data["ReferencePM"], "lines": [row.values]},
            )
            if not notice.peer_reference:
                notice.peer_reference = f"{peer.local_code}D{notice.pk:06d}"
                notice.save(update_fields=["peer_reference"])
        ack_rows.append(
            {
                "ReferenceDommage": row.values.get("ReferenceDommage") or _cell(row.raw, 0),
                "ResultatAR": "OK" if notice else "KO",
                "IdDommageOI": notice.peer_reference if notice else "",
                "DatePriseEnCompte": notice.created_at if notice else None,
                "MotifRefus": "" if notice else " ; ".join(row.reasons),
            }
        )
    if ack_rows:
        outbound.send_v1_file(peer, v1_csv.DAMAGE_ACK, ack_rows)
    return bad


def send_damage_notice(
    peer: InteropPeer,
    *,
    reference: str,
    pm: str,
    location: str,
    contact_name: str,
    contact_phone: str,
    observed_on: Any,
    comment: str = "",
) -> Notice:
    """We are OC: tell the OI about damage seen in a building (v1.0a only, seed 002)."""
    row = {
        "ReferenceDommage": reference,
        "ReferencePM": pm,
        "LocalisationDommage": location,
        "NomContact": contact_name,
        "TelContact": formats.parse_phone(contact_phone),
        "DateConstat": observed_on,
        "Commentaire": comment,
    }
    check = v1_csv.check_row(v1_csv.DAMAGE, [v1_csv._cell(v) for v in row.values()], 1)
    if not check.ok:
        raise InteropError(Reason.BAD_FORMAT, " ; ".join(check.reasons))
    with transaction.atomic():
        notice = Notice.objects.create(
            peer=peer,
            kind=MessageKind.DAMAGE,
            direction=Direction.OUTBOUND,
            reference=reference,
            pm_reference=pm,
            lines=[check.values],
            status=MessageStatus.PENDING,
        )
        outbound.send_v1_file(peer, v1_csv.DAMAGE, [row])
    return notice


def send_maintenance_notice(
    peer: InteropPeer,
    *,
    reference: str,
    pm: str,
    starts_at: datetime,
    ends_at: datetime,
    addresses: list[tuple[str, str, str]],
    comment: str = "",
) -> Notice:
    """We are OI: planned works behind a PM, one line per impacted address (v1.0a only)."""
    rows = [
        {
            "ReferencePrevenance": reference,
            "ReferencePM": pm,
            "DateDebutPrevue": starts_at,
            "DateFinPrevue": ends_at,
            "Adresse": street,
            "CodePostal": postal_code,
            "Commune": city,
            "Commentaire": comment,
        }
        for street, postal_code, city in addresses
    ]
    for i, row in enumerate(rows, start=1):
        check = v1_csv.check_row(v1_csv.MAINTENANCE, [v1_csv._cell(v) for v in row.values()], i)
        if not check.ok:
            raise InteropError(Reason.BAD_FORMAT, " ; ".join(check.reasons))
    with transaction.atomic():
        notice = Notice.objects.create(
            peer=peer,
            kind=MessageKind.MAINTENANCE,
            direction=Direction.OUTBOUND,
            reference=reference,
            pm_reference=pm,
            starts_at=starts_at,
            ends_at=ends_at,
            lines=[{k: v1_csv._cell(v) for k, v in r.items()} for r in rows],
        )
        outbound.send_v1_file(peer, v1_csv.MAINTENANCE, rows)
    return notice


def check_v1_file(content: bytes, filename: str | None = None, peer: InteropPeer | None = None) -> dict[str, Any]:
    """The acknowledgement we would send for a file, without writing anything (``softwhere interop v1 check``)."""
    parsed = v1_csv.parse(content, filename)
    tickets: list[dict[str, Any]] = []
    reasons = list(parsed.reasons)
    for row in parsed.rows:
        row_reasons = list(row.reasons)
        entry: dict[str, Any] = {"line": row.line}
        for name in ("ReferenceSigSAVRaccoOC", "ReferencePrise", "ReferencePrestationPrise", "IdTicketOI"):
            if name in (parsed.file_type.names if parsed.file_type else ()):
                entry[name] = row.values.get(name, "")
        if row.ok and parsed.file_type is v1_csv.DEPOSIT:
            peers = [peer] if peer else list(InteropPeer.objects.filter(peer_role=Role.OC, is_active=True))
            served = [
                p
                for p in peers
                if actions.served_access_for(p, row.data["ReferencePrestationPrise"], row.data["ReferencePrise"])
            ]
            if peers and not served:
                row_reasons.append(
                    reason(Reason.UNKNOWN_ACCESS, "accès absent du parc de l'OI ou références incohérentes", row.line)
                )
            existing = Signalisation.objects.filter(
                role=Role.OI, oc_reference=row.data["ReferenceSigSAVRaccoOC"], peer__in=served or peers
            ).first()
            entry["IdTicketOI"] = existing.oi_reference if existing else None
        entry["result"] = "OK" if not row_reasons else "KO"
        entry["reasons"] = row_reasons
        reasons += row_reasons
        tickets.append(entry)
    ok = not reasons and bool(parsed.rows)
    return {"result": "OK" if ok else "KO", "reasons": reasons, "tickets": tickets}


# --- v2.0 (XML over HTTP) -------------------------------------------------------------------------------------------


def _v2_ack(
    response: str, *, ok: bool, sig: Signalisation | None = None, oc_reference: str = "", code: str = "", text: str = ""
) -> bytes:
    return v2_xml.build_ack(
        response,
        {
            "Result": "OK" if ok else "KO",
            "OcTicketId": (sig.oc_reference if sig else oc_reference) or None,
            "OiTicketId": (sig.oi_reference if sig and ok else None) or None,
            "TroubleState": lifecycle.V2_STATUS[S(sig.status)] if sig and ok else None,
            "AcknowledgementTime": timezone.now(),
            "ErrorCode": code or None,
            "ErrorText": text[:2000] or None,
        },
    )


def receive_v2(peer: InteropPeer, body: bytes) -> bytes:
    """One v2.0 request from ``peer``: the acknowledgement document to answer (AR OK or KO)."""
    with transaction.atomic():
        record = journal.record(
            direction=Direction.INBOUND,
            protocol=Protocol.V2,
            kind=MessageKind.UNKNOWN,
            status=MessageStatus.PROCESSED,
            peer=peer,
            raw=body,
        )
        try:
            root, transaction_name, ticket = v2_xml.parse_request(body)
        except v2_xml.V2Error as exc:
            journal.finish(record, MessageStatus.REJECTED, str(exc))
            return _v2_ack(v2_xml.CREATE_RESPONSE, ok=False, code=exc.code, text=exc.text)
        record.parsed = journal._jsonable({"root": root, "transaction": transaction_name, "ticket": ticket})
        response = v2_xml.CREATE_RESPONSE if root == v2_xml.CREATE else v2_xml.SET_RESPONSE
        try:
            if root == v2_xml.CREATE:
                record.kind = MessageKind.DEPOSIT
                ack = _v2_create(peer, ticket)
                journal.link(record, ack.signalisation)
                if not ack.ok:
                    journal.finish(record, MessageStatus.REJECTED, ack.refusal)
                    return _v2_ack(
                        response,
                        ok=False,
                        oc_reference=ack.oc_reference,
                        code=ack.reasons[0].split(" ")[0],
                        text=ack.refusal,
                    )
                record.save()
                if ack.duplicate:
                    journal.finish(record, MessageStatus.DUPLICATE)
                return _v2_ack(response, ok=True, sig=ack.signalisation)
            sig = _v2_set(peer, transaction_name or "", ticket, record)
            record.save()
            return _v2_ack(response, ok=True, sig=sig)
        except InteropError as exc:
            journal.finish(record, MessageStatus.REJECTED, str(exc))
            return _v2_ack(
                response, ok=False, oc_reference=ticket.get("OcTicketId", ""), code=exc.code, text=exc.message
            )


def _v2_create(peer: InteropPeer, ticket: dict[str, Any]) -> actions.AckResult:
    if peer.peer_role != Role.OC:
        raise InteropError(Reason.STATE, "création réservée à un OC")
    customer = ticket.get("Customer") or {}
    cells = [
        ticket.get("ServiceId", ""),
        ticket.get("PtoId", ""),
        ticket.get("OcTicketId", ""),
        formats.format_date(ticket["TroubleDetectionDate"]) if ticket.get("TroubleDetectionDate") else "",
        ticket.get("TroubleNature", ""),
        ticket.get("TroubleLocation", ""),
        customer.get("LastName", ""),
        customer.get("FirstName", ""),
        customer.get("Contact1", ""),
        customer.get("Contact2", ""),
        ticket.get("AppointmentId", ""),
        formats.format_slots(ticket.get("AppointmentProposal") or []),
        ticket.get("TroubleDescription", ""),
    ]
    return actions.oi_receive_deposit(peer, cells)


def _v2_set(peer: InteropPeer, name: str, ticket: dict[str, Any], record: InteropMessage) -> Signalisation:
    sender_role = lifecycle.V2_TRANSACTIONS.get(name)
    if sender_role != peer.peer_role:
        raise InteropError(Reason.STATE, f"transaction {name} non autorisée pour un {peer.peer_role.upper()}")
    sig = _find(peer, ticket.get("OcTicketId"), ticket.get("OiTicketId"))
    if sig is None:
        raise InteropError(Reason.UNKNOWN_TICKET, f"signalisation {ticket.get('OcTicketId')} inconnue")
    journal.link(record, sig)
    messages = ticket.get("Message") or []
    first = messages[0] if messages else {}
    text = first.get("Text", "")
    if name == lifecycle.SOLVING:
        record.kind = MessageKind.STATUS
        actions.oc_receive_information(
            sig,
            info_type="AVANCEMENT",
            text=text or "Prise en charge par l'OI",
            status=S.IN_PROGRESS,
            resolution_state=ticket.get("ResolutionState", ""),
        )
    elif name == lifecycle.SU_INFO:
        record.kind = MessageKind.INFORMATION
        actions.oc_receive_information(
            sig,
            info_type=first.get("Type", "INFORMATION"),
            text=text,
            proposals=ticket.get("AppointmentProposal"),
            appointment=ticket.get("Appointment"),
            appointment_id=ticket.get("AppointmentId", ""),
            resolution_state=ticket.get("ResolutionState", ""),
        )
    elif name == lifecycle.SOLVED:
        record.kind = MessageKind.CLOSURE
        closure = ticket.get("Closure") or {}
        if not closure:
            raise InteropError(Reason.MANDATORY, "Closure absente de CASE_SOLVED_NOTIFICATION")
        actions.oc_receive_closure(
            sig,
            code=closure["Code"],
            responsibility=closure["Responsibility"],
            location=codes.parse_preloc(closure.get("DefectLocation", "")) or ""
            if closure.get("DefectLocation")
            else "",
            comment=closure.get("Description", ""),
            closed_at=closure.get("Time"),
        )
    elif name == lifecycle.CO_INFO:
        record.kind = MessageKind.INFORMATION
        actions.oi_receive_information(
            sig,
            info_type=first.get("Type", "INFORMATION"),
            text=text,
            proposals=ticket.get("AppointmentProposal"),
        )
    elif name in (lifecycle.CANCEL, lifecycle.CANCEL_REQUEST):
        record.kind = MessageKind.CANCELLATION
        actions.oi_cancel(sig, immediate=name == lifecycle.CANCEL)
    sig.refresh_from_db()
    return sig


# --- Interop TMF621 profile ---------------------------------------------------------------------------------------


def interop_create(peer: InteropPeer, body: dict[str, Any]) -> tuple[Signalisation | None, list[str]]:
    """We are the OI: a POST troubleTicket. Syntax errors → (None, reasons); unknown access → a ``rejected`` ticket."""
    with transaction.atomic():
        record = journal.record(
            direction=Direction.INBOUND,
            protocol=Protocol.INTEROP_TMF,
            kind=MessageKind.DEPOSIT,
            status=MessageStatus.PROCESSED,
            peer=peer,
            raw=json.dumps(body, ensure_ascii=False),
            parsed=body,
        )
        if peer.peer_role != Role.OC:
            journal.finish(record, MessageStatus.REJECTED, "création réservée à un OC")
            return None, [reason(Reason.STATE, "création réservée à un OC")]
        cells, _free = tmf.interop_to_deposit(body)
        ack = actions.oi_receive_deposit(peer, cells, reject_keeps_ticket=True)
        if ack.signalisation is None:
            journal.finish(record, MessageStatus.REJECTED, ack.refusal)
            return None, ack.reasons
        journal.link(record, ack.signalisation)
        if ack.duplicate:
            journal.finish(record, MessageStatus.DUPLICATE)
        elif not ack.ok:
            journal.finish(record, MessageStatus.REJECTED, ack.refusal)
        return ack.signalisation, ack.reasons


def interop_patch(peer: InteropPeer, sig: Signalisation, patch: dict[str, Any]) -> Signalisation:
    """We are the OI: the OC's PATCH (merge-patch): status moves of the profile, new notes."""
    with transaction.atomic():
        record = journal.record(
            direction=Direction.INBOUND,
            protocol=Protocol.INTEROP_TMF,
            kind=MessageKind.INFORMATION,
            status=MessageStatus.PROCESSED,
            peer=peer,
            signalisation=sig,
            raw=json.dumps(patch, ensure_ascii=False),
            parsed=patch,
        )
        try:
            new_notes = _unseen_notes(sig, patch.get("note") or [])
            if new_notes:
                fields = tmf.notes_fields(new_notes)
                texts = [str(n.get("text")) for n in new_notes if str(n.get("@type")) not in tmf.FIELD_NOTES]
                actions.oi_receive_information(
                    sig,
                    info_type=fields.get("TypeMessage", "INFORMATION"),
                    text="\n".join(texts),
                    proposals=tmf.slots_from_text(fields.get("PropalRdv", "")),
                )
            if "status" in patch:
                target = lifecycle.FROM_TMF_STATUS.get(str(patch["status"]))
                if target is None:
                    raise InteropError(Reason.BAD_VALUE, f"statut « {patch['status']} » inconnu")
                record.kind = MessageKind.STATUS
                if target != sig.status:
                    actions.oi_receive_status(sig, status=target, text=str(patch.get("statusChangeReason") or ""))
        except InteropError as exc:
            transaction.set_rollback(True)
            raise exc
        except formats.FormatError as exc:
            transaction.set_rollback(True)
            raise InteropError(Reason.BAD_FORMAT, str(exc)) from exc
        record.save()
    sig.refresh_from_db()
    return sig


def _unseen_notes(sig: Signalisation, notes: list[Any]) -> list[dict[str, Any]]:
    """Notes are append-only: a PATCH's ``note`` array adds the notes whose id (or content) we have not seen."""
    seen = set(sig.extra.get("seen_notes", []))
    fresh = []
    for note in notes:
        if not isinstance(note, dict):
            continue
        key = str(note.get("id") or json.dumps(note, sort_keys=True))
        if key in seen:
            continue
        seen.add(key)
        fresh.append(note)
    if fresh:
        sig.extra = {**sig.extra, "seen_notes": sorted(seen)}
        sig.save(update_fields=["extra"])
    return fresh


def interop_event(peer: InteropPeer, event_type: str, body: dict[str, Any]) -> InteropMessage:
    """We are the OC: an event from the OI's hub about one of our signalisations."""
    event_id = str(body.get("eventId") or "")
    resource = (body.get("event") or {}).get("troubleTicket") or {}
    with transaction.atomic():
        record, new = journal.record_once(
            f"tmf-event:{peer.pk}:{event_id}"
            if event_id
            else f"tmf-event:{peer.pk}:{json.dumps(body, sort_keys=True)}"[:200],
            direction=Direction.INBOUND,
            protocol=Protocol.INTEROP_TMF,
            kind=MessageKind.EVENT,
            status=MessageStatus.PROCESSED,
            peer=peer,
            raw=json.dumps(body, ensure_ascii=False),
            parsed={"eventType": event_type, "status": resource.get("status"), "id": resource.get("id")},
        )
        if not new:
            journal.finish(record, MessageStatus.DUPLICATE)
            return record
        sig = _find(peer, str(resource.get("externalId") or ""), str(resource.get("id") or ""))
        if sig is None:
            journal.finish(record, MessageStatus.REJECTED, reason(Reason.UNKNOWN_TICKET, "signalisation inconnue"))
            return record
        journal.link(record, sig)
        try:
            _apply_interop_resource(sig, resource)
        except (InteropError, formats.FormatError) as exc:
            journal.finish(record, MessageStatus.REJECTED, str(exc))
    return record


def _apply_interop_resource(sig: Signalisation, resource: dict[str, Any]) -> None:
    status = lifecycle.FROM_TMF_STATUS.get(str(resource.get("status")))
    new_notes = _unseen_notes(sig, resource.get("note") or [])
    fields = tmf.notes_fields(new_notes)
    texts = "\n".join(str(n.get("text")) for n in new_notes if str(n.get("@type")) not in tmf.FIELD_NOTES)
    if status == S.REJECTED and sig.status != S.REJECTED:
        actions.oc_receive_ack(sig, ok=False, refusal=str(resource.get("statusChangeReason") or texts))
        return
    if status == S.RESOLVED and sig.status != S.RESOLVED:
        actions.oc_receive_closure(
            sig,
            code=fields.get("CodeCloture", resource.get("statusChangeReason", "")),
            responsibility=fields.get("Responsabilite", ""),
            location=fields.get("LocalisationDefaut", ""),
            comment=texts,
            resolved_only=True,
        )
        return
    if status == S.CANCELLED and sig.status != S.CANCELLED:
        actions.oc_cancel_confirmed(sig, text=texts)
        return
    moved = status if status in (S.IN_PROGRESS, S.PENDING, S.HELD) and status != sig.status else None
    if moved or new_notes:
        rdv = fields.get("Rdv")
        actions.oc_receive_information(
            sig,
            info_type=fields.get("TypeMessage", "AVANCEMENT" if moved else "INFORMATION"),
            text=texts,
            proposals=tmf.slots_from_text(fields.get("PropalRdv", "")),
            appointment=formats.parse_slot(rdv) if rdv else None,
            appointment_id=fields.get("IdRdv", ""),
            resolution_state=fields.get("EtatResolution", ""),
            status=moved,
        )


# --- synchronous answers to what we sent ------------------------------------------------------------------------------


def on_http_response(message: InteropMessage, result: HttpResult) -> None:
    """Apply the peer's answer to a message we sent (in the sending job's transaction)."""
    sig = message.signalisation
    peer = message.peer
    reply = journal.record(
        direction=Direction.INBOUND,
        protocol=message.protocol,
        kind=MessageKind.ACK,
        status=MessageStatus.PROCESSED,
        peer=peer,
        signalisation=sig,
        raw=result.text,
        parsed={"http_status": result.status, "in_reply_to": message.pk},
    )
    try:
        if message.protocol == Protocol.V2:
            _v2_response(message, sig, result)
        elif message.protocol == Protocol.INTEROP_TMF:
            _interop_response(message, sig, result)
        elif result.status >= 400:
            raise InteropError(Reason.STATE, f"HTTP {result.status}")
    except (InteropError, v2_xml.V2Error, ValueError) as exc:
        journal.finish(reply, MessageStatus.REJECTED, str(exc))
        if sig is not None:
            actions._comment(sig, f"Réponse de {sig.peer.name} à « {message.get_kind_display()} » : {exc}")


def _v2_response(message: InteropMessage, sig: Signalisation | None, result: HttpResult) -> None:
    ack = v2_xml.parse_ack(result.body)
    ok = ack["Result"] == "OK"
    assert sig is not None
    if message.parsed.get("transaction") == "CREATE":
        actions.oc_receive_ack(
            sig,
            ok=ok,
            oi_reference=ack.get("OiTicketId", ""),
            acknowledged_at=ack["AcknowledgementTime"],
            refusal=f"{ack.get('ErrorCode', '')} : {ack.get('ErrorText', '')}" if not ok else "",
        )
        return
    if not ok:
        raise InteropError(ack.get("ErrorCode", Reason.STATE), ack.get("ErrorText", "AR KO"))
    if message.parsed.get("transaction") == lifecycle.CANCEL:
        actions.oc_cancel_confirmed(sig)


def _interop_response(message: InteropMessage, sig: Signalisation | None, result: HttpResult) -> None:
    body: Any = json.loads(result.body or b"{}") if result.body else {}
    if message.kind == MessageKind.SUBSCRIPTION:
        if result.status != 201:
            raise InteropError(Reason.STATE, f"abonnement refusé (HTTP {result.status})")
        assert message.peer is not None
        InteropPeer.objects.filter(pk=message.peer.pk).update(remote_hub_id=str(body.get("id", "")))
        return
    if message.kind == MessageKind.EVENT:
        if result.status >= 300:
            raise InteropError(Reason.STATE, f"événement refusé (HTTP {result.status})")
        return
    assert sig is not None
    if message.kind == MessageKind.DEPOSIT:
        if result.status == 201 and body.get("status") != "rejected":
            actions.oc_receive_ack(sig, ok=True, oi_reference=str(body["id"]), acknowledged_at=timezone.now())
        else:
            refusal = (
                body.get("statusChangeReason") or body.get("message") or body.get("reason") or f"HTTP {result.status}"
            )
            if result.status == 201:
                sig.oi_reference = str(body.get("id", ""))
                sig.save(update_fields=["oi_reference"])
            actions.oc_receive_ack(sig, ok=False, refusal=str(refusal))
        return
    if result.status >= 300:
        raise InteropError(Reason.STATE, f"HTTP {result.status} : {body.get('reason', '')} {body.get('message', '')}")
    if message.parsed.get("cancellation") and body.get("status") == "cancelled":
        actions.oc_cancel_confirmed(sig)
