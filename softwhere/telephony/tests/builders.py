"""Small builders for JSON documents of the telephony configuration (the format of the export/import)."""

from __future__ import annotations

import copy
import unicodedata
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from softwhere.telephony.services.config import config_from_document
from softwhere.telephony.services.simulator import Simulation, simulate, state_from_dict

PARIS = ZoneInfo("Europe/Paris")
A, B, C, D = "+33187044001", "+33187044002", "+33187044003", "+33187044004"
GROUP, GROUP2, IVR = "+33187044100", "+33187044101", "+33187044200"
MOBILE = "+33612345678"
OUTSIDE = "+33298765432"  # a Breton landline outside the company
MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=PARIS)
MONDAY_1230 = datetime(2026, 11, 23, 12, 30, tzinfo=PARIS)
MONDAY_20 = datetime(2026, 11, 23, 20, 0, tzinfo=PARIS)
SUNDAY_10 = datetime(2026, 11, 22, 10, 0, tzinfo=PARIS)

OFFICE = {
    "name": "Bureaux",
    "schedules": [
        {
            "days": ["lun", "mar", "mer", "jeu", "ven"],
            "start": "09:00",
            "end": "18:00",
            "lunch_break": {"start": "12:00", "end": "14:00"},
        }
    ],
    "closure_periods": [{"first_day": "2026-08-03", "last_day": "2026-08-21"}],
    "closure_days": ["2026-12-25"],
}


def line(
    number: str, first: str = "Julie", last: str = "Bertrand", kind: str = "fixe", **services: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "number": number,
        "kind": kind,
        "site": "Siège" if kind != "mobile" else "VOS LIGNES MOBILES AVEC OPTION PABX",
        "services": services,
    }
    if kind == "analogique":
        data["name"] = f"{first} {last}"
    else:
        ascii_first = unicodedata.normalize("NFKD", first).encode("ascii", "ignore").decode().lower()
        email = f"{ascii_first}.{last.lower()}.{number[-3:]}@acme.fr"
        data.update(first_name=first, last_name=last, email=email)
    return data


def group(number: str = GROUP, members: tuple[str, ...] = (A, B, C), **fields: Any) -> dict[str, Any]:
    return {
        "name": fields.pop("name", "Accueil"),
        "number": number,
        "site": "Siège",
        "members": [{"number": m, "present": True} for m in members],
        **fields,
    }


def document(*lines: dict[str, Any], **sections: Any) -> dict[str, Any]:
    return {
        "format": "softwhere-telephony",
        "version": 1,
        "company": {"name": "ACME"},
        "sites": [{"name": "Siège", "postal_code": "75015"}],
        "calendars": copy.deepcopy(sections.pop("calendars", [OFFICE])),
        "lines": list(lines),
        **sections,
    }


def run(
    doc: dict[str, Any],
    to: str,
    at: datetime = MONDAY_9,
    caller: str | None = OUTSIDE,
    state: dict[str, Any] | None = None,
) -> Simulation:
    return simulate(config_from_document(doc), to, at, caller, state_from_dict(state))


def forwards(**kinds: Any) -> dict[str, Any]:
    """``forwards(immediate="+33…")`` / ``forwards(busy=None)`` (disabled) / ``forwards(busy="messagerie")``."""
    result: dict[str, Any] = {}
    for kind, target in kinds.items():
        if target is None:
            result[kind] = {"enabled": False}
        elif target == "messagerie":
            result[kind] = {"enabled": True, "destination": "messagerie"}
        elif isinstance(target, dict):
            result[kind] = {"enabled": True, **target}
        else:
            result[kind] = {"enabled": True, "destination": "numero", "number": target}
    return result


def valid_document() -> dict[str, Any]:
    """A complete, valid company document (every rule of rules.py passes)."""
    phone = {"kind": "poste_ip", "model": "Polycom VVX 450", "mac": "64:16:7F:B2:69:D6"}
    lines = [
        {**line(A, "Julie", "Bertrand"), "hardware": phone, "short_number": "1001"},
        {**line(B, "Marc", "Durand"), "hardware": {"kind": "dect", "model": "Yealink W52PU"}},
        {**line(C, "Léa", "Petit"), "collaboration": "collaboration"},
        {**line(D, "Alain", "Coste", kind="numero_fixe_mobile"), "associated_mobile": MOBILE},
        line(MOBILE, "Alain", "Coste", kind="mobile"),
        {
            **line("+33187044009", "FAX", "MKT", kind="analogique"),
            "hardware": {"kind": "ata", "model": "AudioCodes MP-202B RevD"},
        },
    ]
    return document(
        *lines,
        offer={
            "plans": {"fixe": 5, "numero_fixe_mobile": 1, "analogique": 1, "groupement": 2, "avi": 1},
            "options": {"collaboration": 1, "collaboration_premium": 0},
        },
        announcements=[
            {"name": "Menu jour", "site": "Siège", "format": "mp3", "duration_seconds": 12},
            {"name": "Menu nuit", "site": "Siège", "format": "wav", "duration_seconds": 20},
        ],
        pickup_groups=[{"name": "Service Comptabilité", "site": "Siège", "members": [A, B]}],
        call_groups=[group(distribution="cyclique", members=(A, B, MOBILE))],
        ivrs=[
            {
                "name": "Standard",
                "number": IVR,
                "site": "Siège",
                "mode": "calendrier",
                "calendar": "Bureaux",
                "open_menu": {"announcement": "Menu jour", "keys": [{"key": "1", "number": GROUP, "label": "Accueil"}]},
                "closed_menu": {"announcement": "Menu nuit", "keys": [{"key": "1", "number": "+33612000000"}]},
            }
        ],
        directory=[{"name": "Plombier", "number": "+33298765432", "short_number": "2001"}],
    )
