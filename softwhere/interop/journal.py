"""Writing the message journal (every message in and out, kept whole)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from .choices import MessageStatus
from .models import InteropMessage, InteropPeer, Signalisation


def _jsonable(value: Any) -> Any:
    from datetime import date, datetime

    from .services.formats import Slot

    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Slot):
        return value.to_json()
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def record(
    *,
    direction: str,
    protocol: str,
    kind: str,
    status: str,
    peer: InteropPeer | None = None,
    signalisation: Signalisation | None = None,
    raw: str | bytes = "",
    parsed: dict[str, Any] | None = None,
    reason: str = "",
    filename: str = "",
    subject: str = "",
    response: str = "",
    dedupe_key: str | None = None,
) -> InteropMessage:
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", errors="replace")
    return InteropMessage.objects.create(
        direction=direction,
        protocol=protocol,
        kind=kind,
        status=status,
        peer=peer,
        signalisation=signalisation,
        ticket=signalisation.ticket if signalisation is not None else None,
        raw=raw,
        parsed=_jsonable(parsed or {}),
        reason=reason,
        filename=filename[:200],
        subject=subject[:300],
        response=response,
        dedupe_key=dedupe_key,
    )


def seen(dedupe_key: str) -> InteropMessage | None:
    return InteropMessage.objects.filter(dedupe_key=dedupe_key).first()


def record_once(dedupe_key: str, **fields: Any) -> tuple[InteropMessage, bool]:
    """Journal an inbound message unless one with this key exists (a re-delivered mail, a replayed event)."""
    existing = seen(dedupe_key)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return record(dedupe_key=dedupe_key, **fields), True
    except IntegrityError:
        existing = seen(dedupe_key)
        assert existing is not None
        return existing, False


def finish(message: InteropMessage, status: str, reason: str = "", **fields: Any) -> InteropMessage:
    message.status = status
    if reason:
        message.reason = reason
    for key, value in fields.items():
        setattr(message, key, value)
    message.save()
    return message


def link(message: InteropMessage, signalisation: Signalisation | None) -> None:
    if signalisation is not None and message.signalisation_id != signalisation.pk:
        message.signalisation = signalisation
        message.ticket_id = signalisation.ticket_id
        message.save(update_fields=["signalisation", "ticket"])


__all__ = ["MessageStatus", "finish", "link", "record", "record_once", "seen"]
