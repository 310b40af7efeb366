"""Pure rules about numbers: normalisation, classes, forwarding destinations, zones, restrictions.

Everything here follows seed 003: the forwarding destination table of §6.14, the
number classes of the restriction profiles (§6.4) and the geographic zone of a
site (§3.1 « la zone (ZNE) correspond à celle de l'adresse du site »).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from ..choices import RestrictionProfile


class NumberClass(StrEnum):
    EMERGENCY = "urgence"
    INTERNAL_SHORT = "court_interne"
    SPECIAL_SHORT_FREE = "special_court_gratuit"
    SPECIAL_SHORT_PAID = "special_court_payant"
    SPECIAL_LONG_FREE = "special_long_gratuit"
    SPECIAL_LONG_PAID = "special_long_payant"
    GEOGRAPHIC = "geographique"
    NON_GEOGRAPHIC = "non_geographique"
    MOBILE = "mobile"
    DOM = "dom"
    INTERNATIONAL_ALLOWED = "international_autorise"
    INTERNATIONAL_EUROPE = "international_europe"
    INTERNATIONAL_OTHER = "international_hors_europe"
    INVALID = "invalide"


#: French emergency numbers (always « Interdits » as forwarding destinations).
EMERGENCY_NUMBERS = frozenset({"15", "17", "18", "112", "114", "115", "119", "191", "196", "197"})

#: « Zone Euro des pays frontaliers de la France métropolitaine ; Pologne ; Pays-bas » (decision t2).
ALLOWED_COUNTRY_CODES = {
    "32": "Belgique",
    "352": "Luxembourg",
    "49": "Allemagne",
    "39": "Italie",
    "34": "Espagne",
    "377": "Monaco",
    "376": "Andorre",
    "48": "Pologne",
    "31": "Pays-Bas",
}
#: Other European country codes: refused for forwarding (« Autres N° Internationaux de la zone Euro »), but
#: « Eur » for the restriction profiles.
EUROPEAN_COUNTRY_CODES = frozenset(
    {
        "30",
        "351",
        "353",
        "354",
        "356",
        "357",
        "358",
        "359",
        "36",
        "370",
        "371",
        "372",
        "385",
        "386",
        "40",
        "41",
        "420",
        "421",
        "423",
        "43",
        "44",
        "45",
        "46",
        "47",
        "378",
        "379",
        "350",
    }
)
#: DOM numbers written +262, +590, +594, +596, +269 (Réunion, Guadeloupe, Guyane, Martinique, Mayotte).
DOM_COUNTRY_CODES = frozenset({"262", "590", "594", "596", "269", "508", "687", "689"})

_SEPARATORS = re.compile(r"[\s.\-()/]")


def normalize_number(value: str) -> str:
    """Usual writings to a canonical form: E.164 for French and international numbers, digits for short ones.

    ``01 42 68 53 00`` → ``+33142685300``; ``0033…`` → ``+33…``; ``0044…`` → ``+44…``; ``3899`` → ``3899``.
    """
    raw = _SEPARATORS.sub("", value or "")
    if raw.startswith("00") and len(raw) > 4:
        return "+" + raw[2:]
    if raw.startswith("+"):
        return raw
    if re.fullmatch(r"0[1-9]\d{8}", raw):
        return "+33" + raw[1:]
    return raw


def country_code(e164: str) -> str | None:
    """The country calling code of an E.164 number (longest known prefix first)."""
    digits = e164.lstrip("+")
    for size in (3, 2, 1):
        prefix = digits[:size]
        if prefix in ALLOWED_COUNTRY_CODES or prefix in EUROPEAN_COUNTRY_CODES or prefix in DOM_COUNTRY_CODES:
            return prefix
    if digits.startswith("33"):
        return "33"
    return digits[:2] if digits else None


def classify(value: str) -> NumberClass:
    """The class of a dialled number, as used by the forwarding table and the restriction profiles."""
    number = normalize_number(value)
    if number in EMERGENCY_NUMBERS:
        return NumberClass.EMERGENCY
    if not number.startswith("+"):
        return _classify_short(number)
    digits = number[1:]
    if not digits.isdigit():
        return NumberClass.INVALID
    if digits.startswith("33"):
        national = digits[2:]
        if len(national) != 9:
            return NumberClass.INVALID
        first = national[0]
        if first in "12345":
            return NumberClass.GEOGRAPHIC
        if first == "9":
            return NumberClass.NON_GEOGRAPHIC
        if first in "67":
            return NumberClass.MOBILE
        if first == "8":
            return NumberClass.SPECIAL_LONG_FREE if national.startswith("80") else NumberClass.SPECIAL_LONG_PAID
        return NumberClass.INVALID
    code = country_code(number)
    if code in ALLOWED_COUNTRY_CODES:
        return NumberClass.INTERNATIONAL_ALLOWED
    if code in DOM_COUNTRY_CODES:
        return NumberClass.DOM  # French overseas numbers in their international writing (0262… = +262 262…)
    if code in EUROPEAN_COUNTRY_CODES:
        return NumberClass.INTERNATIONAL_EUROPE
    return NumberClass.INTERNATIONAL_OTHER


_FREE_SHORT = re.compile(r"^(123|900|907|950|1023|1024|1025|3[01]\d\d|116\d{3})$")
_PAID_SHORT = re.compile(r"^(3\d{3}|10\d\d|118\d{3})$")


def _classify_short(number: str) -> NumberClass:
    if not number.isdigit():
        return NumberClass.INVALID
    # « N° courts Spéciaux 10XY, 3BPQ, 118XYZ — Préfixés par 0 pour sortir »
    if number.startswith("0") and (_FREE_SHORT.match(number[1:]) or _PAID_SHORT.match(number[1:])):
        return NumberClass.SPECIAL_SHORT_FREE if _FREE_SHORT.match(number[1:]) else NumberClass.SPECIAL_SHORT_PAID
    if _FREE_SHORT.match(number) and len(number) < 4:
        return NumberClass.SPECIAL_SHORT_FREE  # 123, 900, 907, 950: the voicemail and SFR IVRs
    if 4 <= len(number) <= 9 and not number.startswith("0"):
        return NumberClass.INTERNAL_SHORT
    return NumberClass.INVALID


FORWARD_REFUSALS = {
    NumberClass.EMERGENCY: "Renvoi interdit vers un numéro d'urgence.",
    NumberClass.SPECIAL_SHORT_FREE: "Renvoi interdit vers un numéro court spécial (10XY, 3BPQ, 118XYZ).",
    NumberClass.SPECIAL_SHORT_PAID: "Renvoi interdit vers un numéro court spécial (10XY, 3BPQ, 118XYZ).",
    NumberClass.SPECIAL_LONG_FREE: "Renvoi interdit vers un numéro spécial 08AB.",
    NumberClass.SPECIAL_LONG_PAID: "Renvoi interdit vers un numéro spécial 08AB.",
    NumberClass.INTERNATIONAL_EUROPE: (
        "Renvoi interdit vers ce pays : seuls les pays frontaliers de la zone euro, la Pologne et les Pays-Bas "
        "sont autorisés."
    ),
    NumberClass.INTERNATIONAL_OTHER: "Renvoi interdit vers un numéro international hors Europe.",
    NumberClass.INVALID: "Numéro de renvoi invalide.",
}


def forward_destination_error(value: str, *, international_format: bool = False) -> str | None:
    """Why ``value`` cannot be a forwarding destination (§6.14 table), or None when it is allowed.

    Also used for the « sonnerie sur plusieurs lignes » numbers (which must be written with a « + »),
    the overflow number of a call group and the IVR keys (decision t3).
    """
    if not (value or "").strip():
        return "Numéro de renvoi obligatoire."
    if international_format and not value.strip().startswith("+"):
        return "Numéro à saisir au format international préfixé par un « + »."
    return FORWARD_REFUSALS.get(classify(value))


# --- Geographic zones -----------------------------------------------------------------------------------------

_ZONE_DEPARTMENTS = {
    "1": "75 77 78 91 92 93 94 95",
    "2": "14 18 22 27 28 29 35 36 37 41 44 45 49 50 53 56 61 72 76 85 974 976",
    "3": "02 08 10 21 25 39 51 52 54 55 57 58 59 60 62 67 68 70 71 80 88 89 90",
    "4": "01 03 04 05 06 07 11 13 15 20 26 30 34 38 42 43 48 63 66 69 73 74 83 84",
    "5": "09 12 16 17 19 23 24 31 32 33 40 46 47 64 65 79 81 82 86 87 971 972 973",
}
_DEPARTMENT_ZONE = {dep: zone for zone, deps in _ZONE_DEPARTMENTS.items() for dep in deps.split()}


def zone_of_postal_code(postal_code: str) -> str | None:
    """The geographic prefix (1 to 5) of a postal code (decision t4: the 5 zones stand for the ZNE)."""
    code = (postal_code or "").strip()
    if len(code) != 5 or not code.isdigit():
        return None
    dep = code[:3] if code.startswith("97") else code[:2]
    return _DEPARTMENT_ZONE.get(dep)


def zone_of_number(e164: str) -> str | None:
    if e164.startswith("+33") and len(e164) == 12 and e164[3] in "12345":
        return e164[3]
    return None


ZONE_NAMES = {
    "1": "01 (Île-de-France)",
    "2": "02 (Nord-Ouest)",
    "3": "03 (Nord-Est)",
    "4": "04 (Sud-Est)",
    "5": "05 (Sud-Ouest)",
}


# --- Restriction profiles (§6.4) -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    internal: bool
    national: bool  # « Fixes » and « Mobiles » columns
    special_free: bool
    special_paid: bool
    europe_dom: bool
    world: bool
    closed_weekdays: frozenset[int]  # 5 = Saturday, 6 = Sunday


PROFILES: dict[str, Profile] = {
    RestrictionProfile.GRATUITS_EUR_77: Profile(True, True, True, False, True, False, frozenset()),
    RestrictionProfile.GRATUITS_EUR_LS: Profile(True, True, True, False, True, False, frozenset({6})),
    RestrictionProfile.GRATUITS_EUR_LV: Profile(True, True, True, False, True, False, frozenset({5, 6})),
    RestrictionProfile.SPECIAUX_EUR_77: Profile(True, True, True, True, True, False, frozenset()),
    RestrictionProfile.NATIONAL_77: Profile(True, True, False, False, False, False, frozenset()),
    RestrictionProfile.NATIONAL_LV: Profile(True, True, False, False, False, False, frozenset({5, 6})),
    RestrictionProfile.INTERNE_77: Profile(True, False, False, False, False, False, frozenset()),
    RestrictionProfile.SANS_RESTRICTION: Profile(True, True, True, True, True, True, frozenset()),
}


def outgoing_call_error(profile_slug: str, dialled: str, at: datetime, *, internal: bool = False) -> str | None:
    """Why a line with ``profile_slug`` may not call ``dialled`` at ``at`` (local time), or None.

    Emergency numbers are always reachable. On a profile's closed days only internal calls go
    through (decision t8). ``internal`` says the number belongs to the company.
    """
    profile = PROFILES[profile_slug]
    cls = classify(dialled)
    if cls == NumberClass.EMERGENCY:
        return None
    if internal or cls == NumberClass.INTERNAL_SHORT:
        return None
    if at.weekday() in profile.closed_weekdays:
        return "Appels sortants fermés ce jour par le profil de restriction (seuls les appels internes passent)."
    allowed = {
        NumberClass.GEOGRAPHIC: profile.national,
        NumberClass.NON_GEOGRAPHIC: profile.national,
        NumberClass.MOBILE: profile.national,
        NumberClass.SPECIAL_SHORT_FREE: profile.special_free,
        NumberClass.SPECIAL_LONG_FREE: profile.special_free,
        NumberClass.SPECIAL_SHORT_PAID: profile.special_paid,
        NumberClass.SPECIAL_LONG_PAID: profile.special_paid,
        NumberClass.DOM: profile.europe_dom,
        NumberClass.INTERNATIONAL_ALLOWED: profile.europe_dom,
        NumberClass.INTERNATIONAL_EUROPE: profile.europe_dom,
        NumberClass.INTERNATIONAL_OTHER: profile.world,
    }.get(cls, False)
    if not allowed:
        return f"Destination non autorisée par le profil « {RestrictionProfile(profile_slug).label} »."
    return None
