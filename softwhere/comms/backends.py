"""Transports: outbound mail through Django's configured backend (SMTP in production), SMS through a gateway.

The SMS gateway is an adapter: ``FileSmsBackend`` (development: JSON lines in
``var/comms/sms-outbox.jsonl`` and the log) or ``HttpSmsBackend`` (POST JSON to a
provider). ``COMMS_SMS_BACKEND`` picks one ("file", "http" or a dotted class path).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, Protocol

import httpx
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger("softwhere.comms")


class DeliveryError(Exception):
    """The transport refused or failed; the message stays pending and is retried."""


def send_mail_message(
    *,
    subject: str,
    body: str,
    sender: str,
    to: list[str],
    message_id: str,
    reply_to: str = "",
    headers: dict[str, str] | None = None,
) -> None:
    """Send one mail with a fixed Message-ID (stored beforehand, so replies thread back)."""
    all_headers = {"Message-ID": message_id, **(headers or {})}
    mail = EmailMessage(
        subject=subject,
        body=body,
        from_email=sender,
        to=to,
        reply_to=[reply_to] if reply_to else None,
        headers=all_headers,
    )
    try:
        with get_connection(fail_silently=False) as connection:
            sent = connection.send_messages([mail])
    except Exception as exc:  # smtplib and socket errors of every kind
        raise DeliveryError(f"{exc.__class__.__name__}: {exc}") from exc
    if sent != 1:
        raise DeliveryError("le serveur de mail n'a pas accepté le message")


class SmsBackend(Protocol):
    def send(self, to: str, text: str) -> str:
        """Send ``text`` to the E.164 number ``to``; return the gateway's message id. Raise DeliveryError."""
        ...


class FileSmsBackend:
    """Development gateway: appends each SMS to a JSON-lines file and logs it."""

    def __init__(self, path: str | Path | None = None) -> None:
        default = Path(settings.DATA_DIR) / "comms" / "sms-outbox.jsonl"
        self.path = Path(path or getattr(settings, "COMMS_SMS_FILE", None) or default)

    def send(self, to: str, text: str) -> str:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = {"to": to, "text": text, "at": timezone.now().isoformat()}
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
        logger.info("SMS to %s: %s", to, text.replace("\n", " / "))
        return f"file:{self.path.stat().st_size}"


class HttpSmsBackend:
    """A gateway taking ``POST {"to", "text", "sender"}`` with a bearer token and answering ``{"id": …}``."""

    def __init__(self, url: str = "", token: str = "", sender: str = "", timeout: float = 10.0) -> None:
        self.url = url or settings.COMMS_SMS_URL
        self.token = token or settings.COMMS_SMS_TOKEN
        self.sender = sender or settings.COMMS_SMS_SENDER
        self.timeout = timeout
        if not self.url:
            raise DeliveryError("passerelle SMS non configurée (SOFTWHERE_SMS_URL)")

    def send(self, to: str, text: str) -> str:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        try:
            response = httpx.post(
                self.url, json={"to": to, "text": text, "sender": self.sender}, headers=headers, timeout=self.timeout
            )
        except httpx.HTTPError as exc:
            raise DeliveryError(f"passerelle SMS injoignable : {exc}") from exc
        if response.status_code >= 300:
            raise DeliveryError(f"passerelle SMS : HTTP {response.status_code} {response.text[:200]}")
        try:
            data: Any = response.json()
        except ValueError:
            data = {}
        return str(data.get("id", "")) if isinstance(data, dict) else ""


def sms_backend() -> SmsBackend:
    name = getattr(settings, "COMMS_SMS_BACKEND", "file") or "file"
    if name == "file":
        return FileSmsBackend()
    if name == "http":
        return HttpSmsBackend()
    backend: SmsBackend = import_string(name)()
    return backend
