"""Facts found in a request: numbers, addresses, references, carriers, equipment, LEDs, times.

Pure functions over a string (and the message time for relative dates). Every
identifier is validated before it is reported (phonenumbers for French numbers,
``ipaddress`` for IPs, python-stdnum for SIRET), so a wrong guess is dropped
rather than shown to the agent as a fact.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import phonenumbers
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret as stdnum_siret

from .text import fold
from .timeexpr import extract_times

# --- phone numbers and ranges -------------------------------------------------

# 0X XX XX XX XX with spaces, dots, dashes or nothing; +33 / 0033 / +33 (0) prefixes.
_SEP = r"[ .\-]?"
_PHONE = (
    r"(?:(?:\+|00)" + _SEP + r"33" + _SEP + r"(?:\(0\)" + _SEP + r")?|0)"
    r"[1-9](?:" + _SEP + r"\d{2}){4}"
)
_PHONE_RE = re.compile(r"(?<![\w+])" + _PHONE + r"(?![\d])")
# "01 23 45 67 00 à 09", "0123456700-0123456709", "du 01… au 01…", "01 23 45 67 00 à 01 23 45 67 49"
_RANGE_RE = re.compile(
    r"(?<![\w+])(?:du\s+)?(?P<start>" + _PHONE + r")\s*(?:à|a|au|-|–|/|jusqu'?à)\s*"
    r"(?P<end>" + _PHONE + r"|\d{1,4})(?![\d])",
    re.IGNORECASE,
)
MAX_RANGE = 10_000


def to_e164(raw: str) -> str | None:
    try:
        number = phonenumbers.parse(raw, "FR")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _national_digits(e164: str) -> str:
    return "0" + e164[3:]


def extract_ranges(text: str) -> tuple[list[dict[str, Any]], list[tuple[int, int]]]:
    ranges: list[dict[str, Any]] = []
    spans: list[tuple[int, int]] = []
    for m in _RANGE_RE.finditer(text):
        start = to_e164(m.group("start"))
        if start is None:
            continue
        end_raw = re.sub(r"\D", "", m.group("end"))
        if len(end_raw) <= 4:
            national = _national_digits(start)
            end = to_e164(national[: len(national) - len(end_raw)] + end_raw)
        else:
            end = to_e164(m.group("end"))
        if end is None:
            continue
        count = int(_national_digits(end)) - int(_national_digits(start)) + 1
        if not 1 < count <= MAX_RANGE:
            continue
        ranges.append({"start": start, "end": end, "count": count, "text": m.group(0).strip()})
        spans.append(m.span())
    return ranges, spans


def _outside(span: tuple[int, int], taken: Sequence[tuple[int, int]]) -> bool:
    return all(span[1] <= a or span[0] >= b for a, b in taken)


def extract_phones(text: str, taken: Sequence[tuple[int, int]] = ()) -> list[str]:
    found: list[str] = []
    for m in _PHONE_RE.finditer(text):
        if not _outside(m.span(), taken):
            continue
        e164 = to_e164(m.group(0))
        if e164 and e164 not in found:
            found.append(e164)
    return found


# --- network identifiers ------------------------------------------------------

_IPV4_RE = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?:/\d{1,2})?(?![\w]|\.\d)")
_IPV6_RE = re.compile(r"(?<![\w:])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?:/\d{1,3})?(?![\w:])", re.IGNORECASE)
_VERSION_BEFORE = re.compile(r"(?:version|firmware|v)\s*$", re.IGNORECASE)
_MAC_SEP_RE = re.compile(
    r"(?<![\w:\-.])(?:[0-9a-f]{2}([:\-]))(?:[0-9a-f]{2}\1){4}[0-9a-f]{2}(?![\w:\-])", re.IGNORECASE
)
_MAC_CISCO_RE = re.compile(r"(?<![\w.])[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}(?![\w.])", re.IGNORECASE)
_MAC_BARE_RE = re.compile(r"(?<![\w])[0-9a-f]{12}(?![\w])", re.IGNORECASE)
_MAC_CONTEXT = re.compile(r"\bmac\b[^\n]{0,20}$", re.IGNORECASE)


def extract_ips(text: str) -> dict[str, list[str]]:
    v4: list[str] = []
    v6: list[str] = []
    for m in _IPV4_RE.finditer(text):
        if _VERSION_BEFORE.search(text[max(0, m.start() - 12) : m.start()]):
            continue
        value = m.group(0)
        try:
            addr = ipaddress.ip_interface(value) if "/" in value else ipaddress.ip_address(value)
        except ValueError:
            continue
        if str(addr) not in v4:
            v4.append(str(addr))
    for m in _IPV6_RE.finditer(text):
        value = m.group(0)
        if value.count(":") < 2:
            continue
        try:
            addr6 = ipaddress.ip_interface(value) if "/" in value else ipaddress.ip_address(value)
        except ValueError:
            continue
        if addr6.version == 6 and str(addr6) not in v6:
            v6.append(str(addr6))
    return {"ipv4": v4, "ipv6": v6}


def _mac(hexdigits: str) -> str:
    h = hexdigits.lower()
    return ":".join(h[i : i + 2] for i in range(0, 12, 2))


def extract_macs(text: str) -> list[str]:
    found: list[str] = []
    for regex in (_MAC_SEP_RE, _MAC_CISCO_RE):
        for m in regex.finditer(text):
            mac = _mac(re.sub(r"[^0-9a-fA-F]", "", m.group(0)))
            if mac not in found:
                found.append(mac)
    for m in _MAC_BARE_RE.finditer(text):
        raw = m.group(0)
        # 12 bare digits are more often something else; accept them only after the word "MAC".
        if raw.isdigit() and not _MAC_CONTEXT.search(text[max(0, m.start() - 25) : m.start()]):
            continue
        mac = _mac(raw)
        if mac not in found:
            found.append(mac)
    return found


# --- company and ticket identifiers -------------------------------------------

_SIRET_RE = re.compile(r"(?<![\d])\d{3}[ .]?\d{3}[ .]?\d{3}[ .]?\d{5}(?![\d])")
_OUR_TICKET_RE = re.compile(r"(?<![\w])([23]\d)(0[1-9]|1[0-2])\d{6}(?![\w])")
_CARRIER_PREFIX_TICKETS = (
    (re.compile(r"(?<![\w])FT[-_ ]?\d{6,12}(?![\w])", re.IGNORECASE), "Orange"),
    (re.compile(r"(?<![\w])INC[-_ ]?\d{6,12}(?![\w])", re.IGNORECASE), None),
    (re.compile(r"(?<![\w])(?:TT|CAS|SR)[-_]\d{5,12}(?![\w])", re.IGNORECASE), None),
)


def extract_sirets(text: str) -> list[str]:
    found: list[str] = []
    for m in _SIRET_RE.finditer(text):
        try:
            value = str(stdnum_siret.validate(m.group(0)))
        except StdnumError:
            continue
        if value not in found:
            found.append(value)
    return found


# --- carriers and equipment ---------------------------------------------------

CARRIERS: dict[str, tuple[str, ...]] = {
    "Orange": (r"orange(?: business(?: services)?| pro)?", r"france telecom", r"livebox"),
    "SFR": (r"sfr(?: business)?", r"box sfr"),
    "Bouygues Telecom": (r"bouygues(?: telecom)?", r"bytel", r"bbox"),
    "Free": (r"free(?: pro)?", r"freebox"),
    "Completel": (r"completel",),
    "Kosc": (r"kosc",),
    "Axione": (r"axione",),
    "Covage": (r"covage",),
    "Altitude": (r"altitude infra(?:structure)?",),
    "OpenIP": (r"open ?ip",),
    "Sewan": (r"sewan",),
    "Celeste": (r"celeste",),
    "Nerim": (r"nerim",),
    "Colt": (r"colt",),
    "Zayo": (r"zayo",),
    "Jaguar Network": (r"jaguar network",),
    "Adista": (r"adista",),
    "Keyyo": (r"keyyo",),
    "Ielo": (r"ielo",),
    "Netalis": (r"netalis",),
    "Stella Telecom": (r"stella telecom",),
    "Vialis": (r"vialis",),
}
_CARRIER_RES = [(name, re.compile(r"\b(?:" + "|".join(p) + r")\b")) for name, p in CARRIERS.items()]
# "voyant orange", "clignote orange", "orange fixe": a colour, not the carrier.
_COLOUR_CONTEXT = re.compile(
    r"(?:voyant|led|lumiere|clignot\w*|allume\w*|passe\w*|est|en|reste|devient|fixe|rouge|vert)\s+(?:en\s+)?$"
)
_COLOUR_AFTER = re.compile(r"^\s+(?:fixe|clignot\w*|allume\w*)")


def extract_carriers(text: str) -> list[str]:
    folded = fold(text)
    found: list[str] = []
    for name, regex in _CARRIER_RES:
        for m in regex.finditer(folded):
            if name == "Orange" and m.group(0) == "orange":
                before, after = folded[max(0, m.start() - 25) : m.start()], folded[m.end() : m.end() + 15]
                if _COLOUR_CONTEXT.search(before) or _COLOUR_AFTER.search(after):
                    continue
            if name == "Free" and re.search(r"\b(?:toll|hands)[- ]$", folded[max(0, m.start() - 7) : m.start()]):
                continue
            if name not in found:
                found.append(name)
            break
    return found


@dataclass(frozen=True)
class Brand:
    name: str
    kind: str
    pattern: str


# kind: ip_phone, dect, headset, firewall, ipbx, router, switch, ont, nte, wifi, box, mobile
BRANDS: tuple[Brand, ...] = (
    Brand("Yealink", "ip_phone", r"yealink"),
    Brand("Polycom", "ip_phone", r"poly(?:com)?"),
    Brand("Snom", "ip_phone", r"snom"),
    Brand("Gigaset", "dect", r"gigaset"),
    Brand("Grandstream", "ip_phone", r"grandstream"),
    Brand("Fanvil", "ip_phone", r"fanvil"),
    Brand("Mitel", "ipbx", r"mitel"),
    Brand("Alcatel-Lucent", "ip_phone", r"alcatel(?:[- ]lucent)?"),
    Brand("Panasonic", "ip_phone", r"panasonic"),
    Brand("Jabra", "headset", r"jabra"),
    Brand("Plantronics", "headset", r"plantronics"),
    Brand("Sennheiser", "headset", r"sennheiser|epos"),
    Brand("Fortinet", "firewall", r"forti(?:gate|net|wifi)?"),
    Brand("Stormshield", "firewall", r"stormshield"),
    Brand("Sophos", "firewall", r"sophos"),
    Brand("WatchGuard", "firewall", r"watch ?guard"),
    Brand("Palo Alto", "firewall", r"palo alto"),
    Brand("pfSense", "firewall", r"pf ?sense"),
    Brand("3CX", "ipbx", r"3cx"),
    Brand("Asterisk", "ipbx", r"asterisk"),
    Brand("FreePBX", "ipbx", r"freepbx"),
    Brand("Wildix", "ipbx", r"wildix"),
    Brand("Xivo", "ipbx", r"xivo"),
    Brand("Cisco", "router", r"cisco|meraki"),
    Brand("Juniper", "router", r"juniper"),
    Brand("MikroTik", "router", r"mikrotik"),
    Brand("Teltonika", "router", r"teltonika"),
    Brand("DrayTek", "router", r"draytek"),
    Brand("Zyxel", "router", r"zyxel"),
    Brand("Netgear", "switch", r"netgear"),
    Brand("TP-Link", "switch", r"tp[- ]?link"),
    Brand("Ubiquiti", "wifi", r"ubiquiti|unifi"),
    Brand("HPE Aruba", "switch", r"aruba|hpe"),
    Brand("Huawei", "ont", r"huawei"),
    Brand("Nokia", "ont", r"nokia|alcatel[- ]lucent nokia"),
    Brand("ZTE", "ont", r"zte"),
    Brand("Sagemcom", "box", r"sagem(?:com)?"),
    Brand("RAD", "nte", r"rad(?= etx)"),
    Brand("Livebox", "box", r"livebox"),
    Brand("Bbox", "box", r"bbox"),
    Brand("Freebox", "box", r"freebox"),
    Brand("Apple", "mobile", r"iphone|ipad"),
    Brand("Samsung", "mobile", r"samsung|galaxy"),
    Brand("Google Pixel", "mobile", r"pixel"),
    Brand("Xiaomi", "mobile", r"xiaomi|redmi"),
    Brand("Crosscall", "mobile", r"crosscall"),
)
# A model reference right after the brand: letters+digits tokens like T46U, HG8245H, ETX-2, 60F, VVX 411, S23.
_MODEL = r"(?:\s*[-:]?\s*(?P<model>(?:[a-z]{0,5}[- ]?\d{1,5}[a-z0-9\-+]*|(?:pro|max|plus|pro max)\b)(?:\s+(?:pro|max|plus|ultra|\d{1,3}[a-z]?)\b)?))?"
_BRAND_RES = [(b, re.compile(r"\b(?P<brand>" + b.pattern + r")\b" + _MODEL, re.IGNORECASE)) for b in BRANDS]
# Frequent models mentioned without their brand.
_BARE_MODELS = (
    (re.compile(r"\b(hg\d{4}[a-z]?\d?)\b", re.IGNORECASE), "Huawei", "ont"),
    (re.compile(r"\b(t[2-5]\d[a-z]{0,2})\b", re.IGNORECASE), "Yealink", "ip_phone"),
    (re.compile(r"\b(fg-?\d{2,4}[a-z]?)\b", re.IGNORECASE), "Fortinet", "firewall"),
    (re.compile(r"\b(etx-?\d{1,4}[a-z]*)\b", re.IGNORECASE), "RAD", "nte"),
    (re.compile(r"\b(vvx ?\d{3})\b", re.IGNORECASE), "Polycom", "ip_phone"),
)


def extract_equipment(text: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()

    def add(brand: str, kind: str, model: str | None) -> None:
        model = (model.strip() if kind == "mobile" else model.strip().upper()) if model else None
        key = (brand, model or "")
        if key in seen or (model is None and any(b == brand for b, _ in seen)):
            return
        if model is not None and (brand, "") in seen:
            found[:] = [f for f in found if not (f["brand"] == brand and f["model"] is None)]
            seen.discard((brand, ""))
        seen.add(key)
        found.append({"brand": brand, "model": model, "kind": kind})

    for brand, regex in _BRAND_RES:
        for m in regex.finditer(text):
            model = m.groupdict().get("model")
            if brand.name in ("Apple", "Samsung", "Google Pixel") and m.group("brand").lower() not in ("samsung",):
                # "iPhone 15", "Galaxy S23", "Pixel 8": the matched word is part of the model name.
                model = f"{m.group('brand')} {model}".strip() if model else m.group("brand")
            add(brand.name, brand.kind, model)
    for regex, brand_name, kind in _BARE_MODELS:
        for m in regex.finditer(text):
            add(brand_name, kind, m.group(1))
    return found


# --- LEDs ---------------------------------------------------------------------

_LED_NAMES = {
    "pon": ("pon", "ont"),
    "los": ("los", "ont"),
    "fibre": ("pon", "ont"),
    "alarm": ("los", "ont"),
    "alarme": ("los", "ont"),
    "power": ("power", None),
    "alim": ("power", None),
    "lan": ("lan", None),
    "wan": ("wan", "router"),
    "dsl": ("wan", "router"),
    "adsl": ("wan", "router"),
    "internet": ("internet", "router"),
    "@": ("internet", "router"),
    "wifi": ("wifi", "router"),
    "wi-fi": ("wifi", "router"),
    "4g": ("4g", "router"),
    "link": ("link", None),
}
_DEVICES = {"box": "router", "routeur": "router", "modem": "router", "ont": "ont", "boitier fibre": "ont"}
_COLOURS = r"rouge|verte?|orange|bleue?|blanche?"
_BLINKS = r"clignot\w*|fixe|eteint\w*|allume\w*|off|on"
_STATE_WORDS = (
    r"(?:(?P<c1>" + _COLOURS + r")(?:\s+(?:et\s+)?(?P<b1>" + _BLINKS + r"))?"
    r"|(?P<b2>" + _BLINKS + r")(?:\s+(?:en\s+)?(?P<c2>" + _COLOURS + r"))?)\b"
)
_LED_RE = re.compile(
    r"(?:(?:voyant|led|lumiere)s?\s+(?:du\s+|de\s+la\s+|de\s+l'|de\s+)?)?"
    r"(?P<name>pon|los|fibre|alarme?|power|alim|lan|wan|a?dsl|internet|wi-?fi|4g|link)\b"
    r"(?:\s+(?:de\s+l'ont|du\s+routeur|de\s+la\s+box|sur\s+l'ont|sur\s+la\s+box))?"
    r"\s*(?::|=|est|reste|passe\s+au|passe\s+en|en|qui|s'est|a)?\s*(?:tout\s+)?" + _STATE_WORDS
)
_DEVICE_RE = re.compile(
    r"\b(?P<device>box|routeur|modem|ont|boitier fibre)\b\s+(?:qui\s+|est\s+|reste\s+|a\s+)?(?:tout\s+)?"
    r"(?:(?P<blink>clignot\w*)\s+(?:en\s+)?(?P<colour>rouge|vert|orange|bleu)|(?P<colour2>rouge|vert|orange|bleu)\s+(?P<blink2>clignot\w*|fixe))"
)


def _led_state(colour: str | None, blink: str | None) -> str | None:
    """Map the words to catalogue.choices.LedState values; orange and "allumé" have no memo value."""
    base = {"rouge": "rouge", "vert": "vert", "verte": "vert", "bleu": "bleu", "bleue": "bleu", "orange": "orange"}.get(
        colour or ""
    )
    blinking = bool(blink and blink.startswith("clignot"))
    if blink and (blink.startswith("eteint") or blink == "off"):
        return "eteint"
    if base == "rouge":
        return "rouge_clignotant" if blinking else "rouge_fixe"
    if base == "vert":
        return "clignotant" if blinking else "vert_fixe"
    if base == "bleu":
        return "bleu"
    if base == "orange":
        return "orange_clignotant" if blinking else "orange_fixe"
    if blinking:
        return "clignotant"
    if blink and (blink.startswith("allume") or blink in ("on", "fixe")):
        return "allume"
    return None


def extract_leds(text: str) -> list[dict[str, Any]]:
    folded = fold(text)
    found: list[dict[str, Any]] = []
    for m in _LED_RE.finditer(folded):
        led, device = _LED_NAMES[m.group("name")]
        state = _led_state(m.group("c1") or m.group("c2"), m.group("b1") or m.group("b2"))
        if state is None:
            continue
        item = {"led": led, "device": device, "state": state, "text": m.group(0).strip()}
        if not any(f["led"] == led and f["state"] == state for f in found):
            found.append(item)
    for m in _DEVICE_RE.finditer(folded):
        colour = m.group("colour") or m.group("colour2")
        blink = m.group("blink") or m.group("blink2")
        state = _led_state(colour, blink)
        if state is None:
            continue
        device = _DEVICES[m.group("device")]
        if not any(f["device"] == device and f["state"] == state for f in found):
            found.append({"led": None, "device": device, "state": state, "text": m.group(0).strip()})
    return found


# --- all together -------------------------------------------------------------


def extract_ticket_refs(text: str) -> list[dict[str, Any]]:
    refs: list[dict[str, Any]] = []
    for m in _OUR_TICKET_RE.finditer(text):
        refs.append({"reference": m.group(0), "issuer": "softwhere"})
    for regex, carrier in _CARRIER_PREFIX_TICKETS:
        for m in regex.finditer(text):
            value = re.sub(r"\s", "", m.group(0)).upper()
            refs.append({"reference": value, "issuer": carrier or "operateur"})
    # "ticket SFR n° 8765432", "incident Orange : AB123456", "réf. Bouygues 12345678"
    carrier_names = "|".join(p for pats in CARRIERS.values() for p in pats)
    contextual = re.compile(
        r"\b(?:ticket|incident|dossier|ref(?:erence)?\.?|signalement)\s+(?P<carrier>" + carrier_names + r")"
        r"\s*(?:n\s*°|no\.?|num(?:ero)?\.?|:|#)?\s*(?P<ref>[a-z0-9][a-z0-9\-]{4,19})\b"
    )
    folded = fold(text)
    for m in contextual.finditer(folded):
        carrier = next(name for name, regex in _CARRIER_RES if regex.fullmatch(m.group("carrier")))
        start = m.start("ref")
        value = text[start : start + len(m.group("ref"))].upper()
        if not any(r["reference"] == value for r in refs) and any(ch.isdigit() for ch in value):
            refs.append({"reference": value, "issuer": carrier})
    # Carrier tickets named by their context ("ticket Orange FT-…") take that carrier as issuer.
    carriers = extract_carriers(text)
    for ref in refs:
        if ref["issuer"] == "operateur" and len(carriers) == 1:
            ref["issuer"] = carriers[0]
    return refs


def extract(text: str, *, now: datetime) -> dict[str, Any]:
    """Every fact of ``text``; ``now`` is the message time (aware) for "hier soir", "lundi 14h30"…"""
    ranges, range_spans = extract_ranges(text)
    refs = extract_ticket_refs(text)
    taken = list(range_spans)
    sirets = extract_sirets(text)
    phones = [p for p in extract_phones(text, taken) if _national_digits(p) not in sirets]
    ips = extract_ips(text)
    return {
        "phones": phones,
        "number_ranges": ranges,
        "ipv4": ips["ipv4"],
        "ipv6": ips["ipv6"],
        "macs": extract_macs(text),
        "sirets": sirets,
        "ticket_refs": refs,
        "carriers": extract_carriers(text),
        "equipment": extract_equipment(text),
        "leds": extract_leds(text),
        "times": extract_times(text, now=now),
    }
