"""Reading inbound mail (pure): parse, find the ticket reference, decide whether to auto-answer."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr

#: Replies carry the header subject « SOFTWHERE INFO INCIDENT 2512000042 / … ».
_QUOTE_INTRO = re.compile(r"^(le .+ a écrit|on .+ wrote|-----\s*(original message|message d'origine))", re.I)


class UnparseableMail(ValueError):
    """The bytes are not a mail we can read; ``str(exc)`` is the French reason kept in the archive."""


@dataclass
class ParsedMail:
    sender: str
    sender_name: str
    subject: str
    message_id: str
    in_reply_to: list[str]
    to: list[str]
    text: str
    attachments: list[tuple[str, str, bytes]] = field(default_factory=list)  # (name, content type, bytes)
    automatic: bool = False  # an auto-reply, a bounce or a list mail: never answer it


def _automatic(msg: EmailMessage, sender: str) -> bool:
    auto = str(msg.get("Auto-Submitted", "no")).strip().lower()
    precedence = str(msg.get("Precedence", "")).strip().lower()
    local = sender.split("@", 1)[0].lower()
    return (
        auto != "no"
        or precedence in ("bulk", "junk", "list", "auto_reply")
        or msg.get("List-Id") is not None
        or msg.get("X-Autoreply") is not None
        or local in ("mailer-daemon", "postmaster", "noreply", "no-reply", "ne-pas-repondre")
    )


def _body_text(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    if not isinstance(content, str):
        return ""
    if part.get_content_type() == "text/html":
        content = re.sub(r"<(br|/p|/div)[^>]*>", "\n", content, flags=re.I)
        content = re.sub(r"<[^>]+>", "", content)
    return content


def strip_quoted(text: str) -> str:
    """Keep what the person wrote: drop the quoted previous mail (« > » lines, « Le … a écrit : » and after)."""
    kept: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if _QUOTE_INTRO.match(line.strip()):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line.rstrip())
    return "\n".join(kept).strip()


def parse_mail(raw: bytes) -> ParsedMail:
    if not raw or not raw.strip():
        raise UnparseableMail("Message vide.")
    try:
        msg = message_from_bytes(raw, policy=policy.default)
        assert isinstance(msg, EmailMessage)
        from_header = str(msg.get("From", "") or "")
        name, sender = parseaddr(from_header)
        subject = str(msg.get("Subject", "") or "").strip()
        text = _body_text(msg)
        attachments = []
        for part in msg.iter_attachments():
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                attachments.append((part.get_filename() or "piece-jointe.bin", part.get_content_type(), payload))
        to = [addr for _, addr in getaddresses([str(v) for v in msg.get_all("To", []) or []]) if addr]
        refs = " ".join(str(msg.get(h, "") or "") for h in ("In-Reply-To", "References"))
    except UnparseableMail:
        raise
    except Exception as exc:  # the email package raises many kinds of errors on broken input
        raise UnparseableMail(f"Message illisible : {exc.__class__.__name__}: {exc}") from exc
    if not sender or "@" not in sender:
        raise UnparseableMail("Expéditeur absent ou illisible.")
    try:
        Address(addr_spec=sender)
    except Exception as exc:
        raise UnparseableMail(f"Adresse d'expéditeur invalide : {sender}") from exc
    return ParsedMail(
        sender=sender.lower(),
        sender_name=name,
        subject=subject,
        message_id=str(msg.get("Message-ID", "") or "").strip(),
        in_reply_to=re.findall(r"<[^<>\s]+>", refs),
        to=to,
        text=text,
        attachments=attachments,
        automatic=_automatic(msg, sender),
    )


def reference_candidates(subject: str, prefix: str = "") -> list[str]:
    """Ticket references in ``subject``, the one after « INCIDENT » first (YYMM + 6 digits, after the prefix)."""
    pattern = re.compile(rf"(?<![0-9A-Za-z]){re.escape(prefix)}\d{{10}}(?![0-9])")
    found = pattern.findall(subject)
    after_incident = re.search(rf"INCIDENT\s+({re.escape(prefix)}\d{{10}})(?![0-9])", subject, re.I)
    ordered = ([after_incident.group(1)] if after_incident else []) + found
    return list(dict.fromkeys(ordered))


_REFUSAL = re.compile(
    r"\b(pas (encore )?(résolu|resolu|rétabli|retabli|réglé|regle)|toujours|persiste|ne (fonctionne|marche) (toujours )?pas"
    r"|refuse|ne pas clôturer|ne pas cloturer|non\b)",
    re.I,
)


def closure_reply_confirms(text: str) -> bool:
    """A reply to the closure request confirms it unless it says the problem is still there."""
    return _REFUSAL.search(strip_quoted(text)) is None


_CARRIER_SUBJECT = re.compile(r"^\s*(?:(?:re|tr|fw|fwd)\s*:\s*)*SAV\s+FTTH\s*-", re.IGNORECASE)


def is_carrier_mail(subject: str) -> bool:
    """Seed 002's v1.0a files travel under "SAV FTTH - <file name>": they belong to the carrier gateway."""
    return bool(_CARRIER_SUBJECT.match(subject))
