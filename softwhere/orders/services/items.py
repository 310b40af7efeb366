"""What can be ordered (seed I and II.E) and the parameters each item needs.

``normalize_parameters(kind, params)`` returns the stored parameters with defaults applied
(the OpIOS LAN plans of seed I.C g) or raises ``QuoteError`` naming the parameter in French.
"""

from __future__ import annotations

import ipaddress
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from .money import QuoteError

LINK_KINDS: Final = frozenset({"adsl", "adsl_nue", "sdsl", "fibre"})
DATA_KINDS: Final = LINK_KINDS | {"ipvpn", "vpn_nomade", "opios", "ip29", "gtr_extended"}
VOICE_SERVICE_KINDS: Final = frozenset({"sip_trunk", "centrex"})
VOICE_KINDS: Final = VOICE_SERVICE_KINDS | {
    "sda",
    "special_number",
    "fax_to_mail",
    "mail_to_fax",
    "ivr",
    "pages_jaunes",
}
COPPER_CARRIERS: Final = ("orange", "sfr")
VOICE_PLANS: Final = ("classique", "illimite_fixes", "illimite_fixes_mobiles")
DESATURATIONS: Final = ("", "mono", "bi", "quadri")

# Seed I.C g: defaults when the client gives no LAN parameters for the OpIOS router.
OPIOS_DEFAULT_LAN: Final = {
    "lan_data": {
        "network": "192.168.1.0/24",
        "gateway": "192.168.1.1",
        "dhcp": True,
        "dhcp_range": ["192.168.1.100", "192.168.1.200"],
    },
    "lan_voice": {
        "network": "192.168.254.0/24",
        "gateway": "192.168.254.1",
        "dhcp": True,
        "dhcp_range": ["192.168.254.100", "192.168.254.200"],
    },
}
LAN_LABELS: Final = {"lan_data": "LAN DATA", "lan_voice": "LAN VOIX"}


def _lan(value: Any, name: str) -> dict[str, Any]:
    """Network address and mask, gateway, DHCP yes/no and range (seed II.E b, per site)."""
    label = LAN_LABELS[name]
    if not isinstance(value, dict):
        raise QuoteError(f"{label} : objet {{network, gateway, dhcp, dhcp_range}} attendu.", field=name)
    try:
        network = ipaddress.IPv4Network(str(value.get("network", "")), strict=True)
    except ValueError as exc:
        raise QuoteError(f"{label} : adresse réseau IPv4 invalide (ex. 192.168.1.0/24).", field=name) from exc
    try:
        gateway = ipaddress.IPv4Address(str(value.get("gateway", "")))
    except ValueError as exc:
        raise QuoteError(f"{label} : adresse de passerelle invalide.", field=name) from exc
    if gateway not in network:
        raise QuoteError(f"{label} : la passerelle {gateway} n'est pas dans le réseau {network}.", field=name)
    dhcp = bool(value.get("dhcp", False))
    out: dict[str, Any] = {"network": str(network), "gateway": str(gateway), "dhcp": dhcp}
    if dhcp:
        rng: Any = value.get("dhcp_range") or ()
        try:
            start, end = (ipaddress.IPv4Address(str(a)) for a in rng)
        except (TypeError, ValueError) as exc:
            raise QuoteError(f"{label} : plage DHCP [début, fin] attendue.", field=name) from exc
        if start not in network or end not in network or end < start or start <= gateway <= end:
            raise QuoteError(f"{label} : plage DHCP hors du réseau, inversée ou contenant la passerelle.", field=name)
        out["dhcp_range"] = [str(start), str(end)]
    if value.get("login"):
        out["login"] = str(value["login"])  # « Si lien non fourni par OpenIP : Identifiant »
    return out


def _positive_int(params: dict[str, Any], key: str, label: str, *, required: bool = True) -> int | None:
    value: Any = params.get(key)
    if value is None or value == "":
        if required:
            raise QuoteError(f"{label} : obligatoire.", field=key)
        return None
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise QuoteError(f"{label} : nombre entier attendu.", field=key) from exc
    if number < 1 or str(number) != str(value).strip():
        raise QuoteError(f"{label} : nombre entier positif attendu.", field=key)
    return number


def _choice(params: dict[str, Any], key: str, choices: tuple[str, ...], label: str, default: str | None = None) -> str:
    value = params.get(key, default)
    value = "" if value is None else str(value).lower()
    if value not in choices:
        raise QuoteError(f"{label} : valeur attendue parmi {', '.join(c or '(aucune)' for c in choices)}.", field=key)
    return value


def normalize_parameters(kind: str, params: dict[str, Any] | None) -> dict[str, Any]:
    p = dict(params or {})
    out: dict[str, Any] = {}
    if kind in LINK_KINDS:
        if kind == "fibre":
            out["carrier"] = str(p.get("carrier") or "").strip()
            if not out["carrier"]:
                raise QuoteError("Fibre : opérateur choisi obligatoire.", field="carrier")
        else:
            out["carrier"] = _choice(p, "carrier", COPPER_CARRIERS, "Opérateur de boucle locale")
        if p.get("bandwidth"):
            out["bandwidth"] = str(p["bandwidth"])
        # Eligibility test results (non contractual), for the hints of services.eligibility.
        for key, label in (("distance_m", "Distance au répartiteur (m)"), ("attenuation_db", "Atténuation (dB)")):
            if p.get(key) not in (None, ""):
                try:
                    value = float(p[key])
                except (TypeError, ValueError) as exc:
                    raise QuoteError(f"{label} : nombre attendu.", field=key) from exc
                if value < 0:
                    raise QuoteError(f"{label} : nombre positif attendu.", field=key)
                out[key] = int(value) if key == "distance_m" else value
        if kind == "adsl":
            out["support_number"] = str(p.get("support_number") or "")
        if kind in ("adsl_nue", "sdsl"):
            out["eligibility_number"] = str(p.get("eligibility_number") or "")
            out["eligibility_is_neighbour"] = bool(p.get("eligibility_is_neighbour", False))
        if kind in ("sdsl", "fibre"):
            out["commitment_months"] = _positive_int(p, "commitment_months", "Engagement")
            if out["commitment_months"] not in (12, 36):
                raise QuoteError("Engagement de 12 ou 36 mois attendu.", field="commitment_months")
        if kind == "sdsl":
            out["pairs"] = _positive_int(p, "pairs", "Nombre de paires")
            if out["pairs"] not in (1, 2, 4):
                raise QuoteError("Un lien SDSL a 1, 2 ou 4 paires.", field="pairs")
            out["desaturation"] = _choice(p, "desaturation", DESATURATIONS, "Désaturation", "")
        return out
    if kind in ("opios", "ipvpn"):
        for name in ("lan_data", "lan_voice"):
            given = p.get(name)
            if given in (None, {}) and kind == "opios":
                out[name] = dict(OPIOS_DEFAULT_LAN[name])
                out[f"{name}_default"] = True
            elif given in (None, {}):
                raise QuoteError(f"IPVPN : paramètres {LAN_LABELS[name]} obligatoires pour chaque site.", field=name)
            else:
                out[name] = _lan(given, name)
        if p.get("wan"):
            out["wan"] = p["wan"]
        return out
    if kind == "vpn_nomade":
        users = _positive_int(p, "users", "Nombre d'utilisateurs nomades", required=False)
        return {"users": users} if users else {}
    if kind == "ip29":
        return {"link": str(p.get("link") or "")}
    if kind == "gtr_extended":
        out["technology"] = _choice(p, "technology", ("sdsl", "fibre"), "GTR étendue : lien")
        if p.get("price") not in (None, ""):
            out["price"] = str(p["price"])
        return out
    if kind == "sip_trunk":
        out["simultaneous_calls"] = _positive_int(p, "simultaneous_calls", "Nombre d'appels simultanés")
        out["plan"] = _choice(p, "plan", VOICE_PLANS, "Forfait", "classique")
        return out
    if kind == "centrex":
        out["seats"] = _positive_int(p, "seats", "Nombre de postes Centrex")
        out["plan"] = _choice(p, "plan", VOICE_PLANS, "Forfait", "classique")
        return out
    if kind == "sda":
        out["count"] = _positive_int(p, "count", "Nombre de SDA")
        return out
    if kind == "special_number":
        return {"number": str(p.get("number") or "")}
    if kind == "fax_to_mail":
        email = str(p.get("email") or "").strip()
        if email:
            try:
                validate_email(email)
            except ValidationError as exc:
                raise QuoteError("Fax to Mail : adresse e-mail invalide.", field="email") from exc
        return {"email": email, "after_portability": bool(p.get("after_portability", False))}
    if kind == "mail_to_fax":
        return {"destination": str(p.get("destination") or "")}
    if kind == "ivr":
        return {"scenario": str(p.get("scenario") or "")}
    if kind == "pages_jaunes":
        return {"number": str(p.get("number") or "")}
    raise QuoteError(f"Type d'élément inconnu : « {kind} ».", field="kind")
