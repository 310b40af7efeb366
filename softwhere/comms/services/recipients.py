"""Recipients in the seed's notation and the choice of channel per recipient.

Seed 004: « Possibilité d'envoyer un SMS et/ou un mail pour chaque destinataire.
Séparer les destinataires par un ; … DUPONT,06.06.06.06; MILLION,christine.million@orange.com;
Toto,0707070707,toto.titi@truc.fr; » and « Si un mode de communication privilégié a été
défini par le client, merci de respecter les préférences du signaleur ».
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from softwhere.core.validators import normalize_phone

_SEPARATORS = re.compile(r"[;\n]+")


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str = ""
    phone: str = ""  # E.164

    def addresses(self, channel: str) -> str:
        return self.email if channel == "mail" else self.phone


def channels_for(preferred: str) -> set[str]:
    """Contact.preferred_channel ("mail", "sms", "both") -> the channels it asks for."""
    return {"mail", "sms"} if preferred == "both" else {preferred}


def allowed_channels(mode: str) -> set[str]:
    """ChannelMode ("mail", "sms", "both") -> channels a template or a send may use."""
    return {"mail", "sms"} if mode == "both" else {mode}


def contact_recipient(*, name: str, email: str, mobile: str, preferred: str, mode: str) -> Recipient | None:
    """The contact's preferred channels within the template's mode; if none fits, any channel the contact has.

    None when the contact cannot be reached in this mode at all.
    """
    allowed = allowed_channels(mode)
    have = {c for c, addr in (("mail", email), ("sms", mobile)) if addr}
    chosen = channels_for(preferred) & allowed & have or allowed & have
    if not chosen:
        return None
    return Recipient(name=name, email=email if "mail" in chosen else "", phone=mobile if "sms" in chosen else "")


def parse_recipients(text: str) -> tuple[list[Recipient], list[str]]:
    """Parse « NOM,06…,mail@…; NOM2,mail2@…; » into recipients, and French error messages."""
    recipients: list[Recipient] = []
    errors: list[str] = []
    for raw in _SEPARATORS.split(text or ""):
        entry = raw.strip().strip(",").strip()
        if not entry:
            continue
        fields = [f.strip() for f in entry.split(",")]
        name_parts, email, phone = [], "", ""
        for field in fields:
            if not field:
                continue
            if "@" in field:
                try:
                    validate_email(field)
                except ValidationError:
                    errors.append(f"Adresse mail invalide : {field}")
                    continue
                email = field.lower()
            elif re.fullmatch(r"[+0-9 .()-]{6,}", field):
                try:
                    phone = normalize_phone(field)
                except ValidationError:
                    errors.append(f"Numéro invalide : {field}")
            else:
                name_parts.append(field)
        if not email and not phone:
            errors.append(f"Ni mail ni téléphone pour : {entry}")
            continue
        recipients.append(Recipient(name=" ".join(name_parts), email=email, phone=phone))
    return recipients, errors


def format_recipients(recipients: list[Recipient]) -> str:
    """The seed's notation, one recipient per line."""
    lines = []
    for r in recipients:
        fields = [r.name or "", r.phone, r.email]
        lines.append(",".join(f for f in fields if f) + ";")
    return "\n".join(lines)


def restrict(recipients: list[Recipient], mode: str) -> list[Recipient]:
    """Drop the addresses of channels the send does not use, and the recipients left without any."""
    allowed = allowed_channels(mode)
    out = []
    for r in recipients:
        kept = Recipient(r.name, r.email if "mail" in allowed else "", r.phone if "sms" in allowed else "")
        if kept.email or kept.phone:
            out.append(kept)
    return out


def dedupe(recipients: list[Recipient]) -> list[Recipient]:
    seen: set[tuple[str, str]] = set()
    out = []
    for r in recipients:
        key = (r.email.lower(), r.phone)
        if key in seen:
            continue
        seen.add(key)
        out.append(r)
    return out
