"""Seed 004's mail and SMS headers, adapted to SoftWhere.

« Si envoi mail, voici l'en-tête qui apparaîtra : ORANGE INFO INCIDENT 2505057242 /
Votre référence : / Site : INU_MOIRA_EVPN_LA1 - Ville : MOIRANS » — the mail header
is the subject, so a reply carries the ticket reference back to us.
"""

from __future__ import annotations


def mail_header(*, brand: str, reference: str, client_reference: str = "", site: str = "", city: str = "") -> str:
    parts = [
        f"{brand} INFO INCIDENT {reference}",
        f"Votre référence : {client_reference}".strip(),
        f"Site : {site} - Ville : {city.upper()}".strip(),
    ]
    return " / ".join(parts)


def sms_header(*, brand: str, reference: str, site: str = "", city: str = "") -> str:
    return f"{brand} INFO INCIDENT {reference} Site {site} Ville : {city.upper()}".strip()
