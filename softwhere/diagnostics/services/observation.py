"""Pure rules of the observation watch: what counts as a new cut, and the client mail of seed 004.

Seed 004 (template 5 « Information »): « Suite à la mise en observation, de notre
côté il n'y a pas eu de coupures depuis le 16/06 ».
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any


def events_after(events: Iterable[dict[str, Any]], since: datetime) -> list[dict[str, Any]]:
    """Alarm transitions (raise or clear) stamped after ``since``: a clear also means the line went down."""
    out = []
    for e in events:
        if e.get("kind") not in ("raise", "clear") or not e.get("timestamp") or not e.get("time_known", True):
            continue
        if datetime.fromisoformat(e["timestamp"]) > since:
            out.append(e)
    return out


def next_check(now: datetime, interval: timedelta, final_at: datetime) -> tuple[datetime, bool]:
    """When the next check runs, and whether it is the last one (the one that concludes the period)."""
    due = now + interval
    if due >= final_at:
        return max(final_at, now), True
    return due, False


@dataclass(frozen=True)
class MailDraft:
    to: str
    subject: str
    body: str

    def to_dict(self) -> dict[str, str]:
        return {"to": self.to, "subject": self.subject, "body": self.body}


def information_mail(
    *,
    reference: str,
    site: str,
    city: str,
    contact_name: str,
    contact_email: str,
    since: datetime,
    tz: tzinfo,
    customer_reference: str = "",
) -> MailDraft:
    """Seed 004's information mail after a clean observation period, for the agent to send (or sent)."""
    since_text = since.astimezone(tz).strftime("%d/%m/%Y")
    subject = f"INFO INCIDENT {reference} / Votre référence : {customer_reference} / Site : {site} - Ville : {city}"
    greeting = f"Bonjour {contact_name}," if contact_name else "Bonjour,"
    body = "\n".join(
        [
            greeting,
            "",
            f"Suite à la mise en observation, de notre côté il n'y a pas eu de coupures depuis le {since_text}.",
            "Pouvez-vous nous confirmer le bon fonctionnement de vos équipements sur site ?",
            "Sans retour de votre part, le ticket sera clôturé.",
            "",
            "Cordialement,",
            "Le support SoftWhere",
        ]
    )
    return MailDraft(to=contact_email, subject=subject, body=body)
