"""v1.0a transport: mail out through Django's SMTP backend, mail in through an SMTP server into a Maildir spool.

Receiving never touches the database: the SMTP server only files each message in the
spool (``mailbox.Maildir``, atomic), and ``actions.poll_spool`` ingests it later. A crash
between the two loses nothing: the file stays in ``new/`` until it has been journaled.
"""

from __future__ import annotations

import mailbox
import re
from email import message_from_bytes, policy
from email.message import EmailMessage as StdEmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def build_mail(*, sender: str, recipient: str, subject: str, body: str, filename: str, attachment: bytes) -> bytes:
    """The whole RFC 5322 message, exactly as it will be sent (kept in the journal)."""
    domain = sender.rsplit("@", 1)[-1] if "@" in sender else "softwhere.example"
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=sender,
        to=[recipient],
        headers={"Message-ID": make_msgid(domain=domain), "Date": formatdate(localtime=True)},
    )
    message.attach(filename, attachment, "text/csv")
    raw: bytes = message.message().as_bytes(linesep="\r\n")
    return raw


class _RawMime:
    """What Django's SMTP backend needs from ``EmailMessage.message()``: the bytes to send."""

    def __init__(self, raw: bytes) -> None:
        self.raw = raw

    def as_bytes(self, linesep: str = "\r\n") -> bytes:
        lines = self.raw.replace(b"\r\n", b"\n").split(b"\n")
        return linesep.encode().join(lines)


class _PrebuiltMessage(EmailMessage):
    """An EmailMessage whose MIME form is the journaled one, so a retry sends the same bytes."""

    def __init__(self, raw: bytes) -> None:
        parsed = message_from_bytes(raw, policy=policy.default)
        super().__init__(from_email=str(parsed["From"]), to=[str(parsed["To"])])
        self._raw = raw

    def message(self, *args: Any, **kwargs: Any) -> Any:
        return _RawMime(self._raw)


def send_raw(raw: bytes, *, host: str = "", port: int | None = None) -> None:
    """Send through Django's SMTP backend (``INTEROP_EMAIL_BACKEND``); raises on any SMTP/socket error."""
    backend = getattr(settings, "INTEROP_EMAIL_BACKEND", SMTP_BACKEND)
    kwargs: dict[str, Any] = {"fail_silently": False}
    if backend == SMTP_BACKEND:
        kwargs.update(
            host=host or settings.EMAIL_HOST,
            port=port or settings.EMAIL_PORT,
            timeout=getattr(settings, "INTEROP_SMTP_TIMEOUT", 10),
        )
    with get_connection(backend, **kwargs) as connection:
        sent = connection.send_messages([_PrebuiltMessage(raw)])
    if sent != 1:
        raise OSError("le serveur SMTP n'a pas accepté le message")


def parse_mail(raw: bytes) -> StdEmailMessage:
    parsed: StdEmailMessage = message_from_bytes(raw, policy=policy.default)
    return parsed


def csv_attachments(message: StdEmailMessage) -> list[tuple[str, bytes]]:
    """(file name, content) of each CSV attachment; ``.csv`` name or text/csv type."""
    found: list[tuple[str, bytes]] = []
    for part in message.iter_attachments():
        name = part.get_filename() or ""
        ctype = part.get_content_type()
        if name.lower().endswith(".csv") or ctype in ("text/csv", "application/csv", "application/vnd.ms-excel"):
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                found.append((name, payload))
    return found


# --- inbound spool ----------------------------------------------------------------------------------------


def spool_dir() -> Path:
    return Path(getattr(settings, "INTEROP_SPOOL_DIR", Path(settings.DATA_DIR) / "interop" / "inbox"))


def _arrival(key: str) -> tuple[int, int, int, str]:
    """Maildir keys are « seconds.M<µs>P<pid>Q<n>.host »: the µs are not zero-padded, so sort on numbers."""
    m = re.match(r"^(\d+)\.M(\d+)P\d+Q(\d+)", key)
    return (int(m.group(1)), int(m.group(2)), int(m.group(3)), key) if m else (0, 0, 0, key)


class Spool:
    """A Maildir: ``deliver`` files a message, ``pending`` lists unprocessed ones, ``done`` archives one."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path else spool_dir()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.box = mailbox.Maildir(str(self.path), create=True)
        for sub in ("tmp", "new", "cur"):
            (self.path / sub).mkdir(exist_ok=True)

    def deliver(self, raw: bytes) -> str:
        key: str = self.box.add(raw)
        return key

    def pending(self) -> list[tuple[str, bytes]]:
        """Unprocessed mails in arrival order (a closure must not overtake the information sent before it)."""
        out = []
        for key in sorted(self.box.iterkeys(), key=_arrival):
            msg = self.box.get_message(key)
            if msg.get_subdir() == "new":
                out.append((key, self.box.get_bytes(key)))
        return out

    def done(self, key: str) -> None:
        msg = self.box.get_message(key)
        msg.set_subdir("cur")
        msg.add_flag("S")
        self.box[key] = msg


class SpoolHandler:
    """aiosmtpd handler: every accepted message lands in the spool (no database access in the SMTP thread)."""

    def __init__(self, spool: Spool) -> None:
        self.spool = spool

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        self.spool.deliver(raw)
        return "250 Message accepted for delivery"
