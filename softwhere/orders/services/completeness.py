"""File completeness (seed II.B): what the order desk needs before it can process an order.

« A la réception de votre demande d'ouverture de compte, il est nécessaire que le dossier soit
complet pour pouvoir traiter la commande ». ``missing_items`` lists what is missing, in French,
in the order of the handbook; an empty list means the file is complete.
"""

from __future__ import annotations

import calendar as std_calendar
from dataclasses import dataclass, field
from datetime import date

from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError

from .money import QuoteError

CONTACT_ROLES = {"commercial": "commercial", "technique": "technique", "facturation": "facturation électronique"}


def normalize_iban(value: str) -> str:
    try:
        return str(stdnum_iban.validate(value))
    except StdnumError as exc:
        raise QuoteError("IBAN invalide : vérifiez le pays, la longueur et la clé de contrôle.", field="iban") from exc


def normalize_bic(value: str) -> str:
    try:
        return str(stdnum_bic.validate(value))
    except StdnumError as exc:
        raise QuoteError("BIC invalide : 8 ou 11 caractères (banque, pays, localité, agence).", field="bic") from exc


def months_before(day: date, months: int) -> date:
    """The same day ``months`` months earlier (clamped to the month's last day)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    last = std_calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def invoice_is_recent(invoice_date: date, today: date) -> bool:
    """« facture télécom … moins de 3 mois »: strictly after the same day three months ago."""
    return months_before(today, 3) < invoice_date <= today


@dataclass(frozen=True)
class Missing:
    code: str
    label: str


@dataclass
class FileFacts:
    today: date
    quote_signed_on: date | None = None
    contracts_signed_on: date | None = None
    direct_debit_signed_on: date | None = None
    iban: str = ""
    bic: str = ""
    # Account-opening facts.
    company_name: str = ""
    siret: str = ""
    billing_address: str = ""
    client_phone: str = ""
    contact_roles_with_email: set[str] = field(default_factory=set)
    has_voice: bool = False
    numbers_postal_code: str = ""
    # Links: for each link, its label and whether its eligibility / support number is given.
    links_missing_number: list[str] = field(default_factory=list)
    has_link: bool = False
    installation_siret: str = ""
    installation_address: str = ""
    # Portability.
    has_portability: bool = False
    mandate_signed_on: date | None = None
    mandate_stamped: bool = False
    carrier_invoice_date: date | None = None
    # Options.
    fax_items_without_email: int = 0
    has_pages_jaunes: bool = False
    pages_jaunes_form_on: date | None = None


def missing_items(f: FileFacts) -> list[Missing]:
    out: list[Missing] = []

    def need(ok: object, code: str, label: str) -> None:
        if not ok:
            out.append(Missing(code, label))

    need(f.quote_signed_on, "quote", "Devis rempli, daté et signé")
    need(f.contracts_signed_on, "contracts", "Contrats OpenVoice et OpenConnect datés et signés")
    need(f.direct_debit_signed_on, "direct_debit", "Autorisation de prélèvement remplie, datée et signée")
    if not f.iban or not f.bic:
        out.append(Missing("rib", "RIB (IBAN et BIC)"))
    else:
        for code, fn in (("iban", normalize_iban), ("bic", normalize_bic)):
            try:
                fn(getattr(f, code))
            except QuoteError as exc:
                out.append(Missing("rib", f"RIB : {exc.message}"))
    if f.has_portability:
        need(
            f.mandate_signed_on and f.mandate_stamped,
            "portability_mandate",
            "Mandat de portabilité rempli, daté, signé et tamponné",
        )
        if f.carrier_invoice_date is None:
            out.append(
                Missing("carrier_invoice", "Facture télécom de l'opérateur cédant (toutes pages, moins de 3 mois)")
            )
        elif not invoice_is_recent(f.carrier_invoice_date, f.today):
            out.append(
                Missing(
                    "carrier_invoice",
                    f"Facture télécom de moins de 3 mois (celle fournie date du {f.carrier_invoice_date:%d/%m/%Y})",
                )
            )
    if f.fax_items_without_email:
        out.append(Missing("fax_email", "Fax to Mail : adresse e-mail associée au service"))
    if f.has_pages_jaunes:
        need(f.pages_jaunes_form_on, "pages_jaunes", "Formulaire Pages Jaunes rempli, daté, signé et tamponné")
    # « Informations indispensables à indiquer lors de l'ouverture de compte ».
    need(f.company_name, "company_name", "Raison sociale")
    need(f.siret, "siret", "SIRET")
    need(f.billing_address, "billing_address", "Adresse de facturation")
    need(f.client_phone, "client_phone", "Téléphone client")
    missing_roles = [label for role, label in CONTACT_ROLES.items() if role not in f.contact_roles_with_email]
    if missing_roles:
        out.append(Missing("contacts", f"Contact et e-mail client : {', '.join(missing_roles)}"))
    if f.has_voice:
        need(
            f.numbers_postal_code, "numbers_postal_code", "Code postal des numéros géographiques du site d'installation"
        )
    if f.has_link:
        for label in f.links_missing_number:
            out.append(Missing("eligibility_number", f"{label} : numéro d'éligibilité ou de support analogique"))
        need(f.installation_siret, "installation_siret", "SIRET du site d'installation")
        need(f.installation_address, "installation_address", "Adresse d'installation")
    return out
