"""Validation and normalisation of the identifiers the desk handles every day.

Each ``normalize_*`` function returns the canonical stored form or raises
``ValidationError`` with a French message, so forms, serializers and imports
share one rule per identifier.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
from django.core.exceptions import ValidationError
from stdnum import luhn
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret as stdnum_siret


def normalize_siret(value: str) -> str:
    """14 digits with a valid Luhn key (La Poste's SIRET exception included by python-stdnum)."""
    try:
        return str(stdnum_siret.validate(value))
    except StdnumError as exc:
        raise ValidationError("SIRET invalide : 14 chiffres avec une clé de contrôle correcte.", code="siret") from exc


def normalize_phone(value: str, region: str = "FR") -> str:
    """Any usual French writing (06 12 34 56 78, +33 6…, 0033 6…) to E.164."""
    try:
        parsed = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError("Numéro de téléphone illisible.", code="phone") from exc
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError("Numéro de téléphone invalide.", code="phone")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def normalize_mobile(value: str) -> str:
    e164 = normalize_phone(value)
    kind = phonenumbers.number_type(phonenumbers.parse(e164))
    if kind not in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE):
        raise ValidationError("Ce numéro n'est pas un numéro mobile.", code="msisdn")
    return e164


def format_phone_national(e164: str) -> str:
    """E.164 to the French display form (01 23 45 67 89)."""
    try:
        return phonenumbers.format_number(phonenumbers.parse(e164), phonenumbers.PhoneNumberFormat.NATIONAL)
    except phonenumbers.NumberParseException:
        return e164


_MAC_HEX = re.compile(r"^[0-9a-f]{12}$")


def normalize_mac(value: str) -> str:
    """Colon, dash, dot (Cisco) or bare writings to lowercase aa:bb:cc:dd:ee:ff."""
    hexdigits = re.sub(r"[\s:.\-]", "", value.strip().lower())
    if not _MAC_HEX.match(hexdigits):
        raise ValidationError("Adresse MAC invalide (12 chiffres hexadécimaux).", code="mac")
    return ":".join(hexdigits[i : i + 2] for i in range(0, 12, 2))


def normalize_iccid(value: str) -> str:
    """ICCID: 19 or 20 digits starting with 89 and a valid Luhn key."""
    digits = re.sub(r"\s", "", value)
    if not re.fullmatch(r"89\d{17,18}", digits):
        raise ValidationError("ICCID invalide : 19 ou 20 chiffres commençant par 89.", code="iccid")
    try:
        luhn.validate(digits)
    except StdnumError as exc:
        raise ValidationError("ICCID invalide : clé de contrôle incorrecte.", code="iccid") from exc
    return digits


_POSTAL_CODE = re.compile(r"^(?:0[1-9]|[1-8]\d|9[0-8])\d{3}$")


def normalize_postal_code(value: str) -> str:
    code = re.sub(r"\s", "", value)
    if not _POSTAL_CODE.match(code):
        raise ValidationError("Code postal français invalide (5 chiffres).", code="postal_code")
    return code


def _postal_text(value: str) -> str:
    """AFNOR NF Z10-011 style: upper case, no accents, no punctuation, single spaces."""
    decomposed = unicodedata.normalize("NFKD", value)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    cleaned = re.sub(r"[^A-Za-z0-9 ]", " ", ascii_only.replace("’", " ").replace("'", " "))
    return re.sub(r"\s+", " ", cleaned).strip().upper()


def normalize_address_line(value: str) -> str:
    text = _postal_text(value)
    if len(text) > 38:
        raise ValidationError("Ligne d'adresse trop longue (38 caractères au plus, norme postale).", code="address")
    return text


def normalize_city(value: str) -> str:
    text = _postal_text(value)
    if not text:
        raise ValidationError("Commune obligatoire.", code="city")
    return text
