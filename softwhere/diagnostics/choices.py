from django.db import models

from softwhere.core.choices import DeskChoices, colours


class Topology(DeskChoices):
    """Seed 004 (Scribe): « la topologie p2p, m2m, hts »."""

    POINT_TO_POINT = "p2p", "Point à point"
    MULTIPOINT = "multipoint", "Multipoint"
    HUB_AND_SPOKE = "hub_spoke", "Hub and spoke"


class Vendor(DeskChoices):
    """One value per module of ``adapters.vendors``."""

    RAD_ETX = "rad-etx", "RAD ETX (ETX-203AM…)"
    CISCO_IOS = "cisco-ios", "Cisco IOS / IOS-XE"


class DiagnosticKind(DeskChoices):
    PING = "ping", "Ping"
    TRACEROUTE = "traceroute", "Traceroute"
    ALARM_LOG = "alarm_log", "Journal d'alarmes"
    REBOOT = "reboot", "Redémarrage"


class Verdict(DeskChoices):
    """Outcome of one check; the alarm-log ones are those of ``services.flapping``."""

    REACHABLE = "reachable", "Joignable"
    UNREACHABLE = "unreachable", "Injoignable"
    STABLE = "stable", "Stable"
    FLAPPING = "flapping", "Bagots"
    UNKNOWN = "unknown", "Indéterminé"
    ERROR = "error", "Vérification impossible"
    DONE = "done", "Effectué"


colours(
    Verdict,
    {
        "reachable": "success",
        "unreachable": "danger",
        "stable": "success",
        "flapping": "danger",
        "unknown": "warning",
        "error": "warning",
        "done": "info",
    },
)


class Trigger(DeskChoices):
    """Who or what started a check."""

    AGENT = "agent", "Agent"
    OBSERVATION = "observation", "Observation automatique"
    API = "api", "API"
    CLI = "cli", "Ligne de commande"


class PingSource(DeskChoices):
    DESK = "desk", "Depuis le desk"
    BASTION = "bastion", "Depuis le bastion"


class CredentialKind(DeskChoices):
    PASSWORD = "password", "Mot de passe"
    PRIVATE_KEY = "private_key", "Clé privée SSH"


class WatchStatus(DeskChoices):
    ACTIVE = "active", "En cours"
    REOPENED = "reopened", "Ticket rouvert"
    CLEAN = "clean", "Période propre"
    INCONCLUSIVE = "inconclusive", "Non concluante"
    STOPPED = "stopped", "Arrêtée"


colours(
    WatchStatus,
    {"active": "info", "reopened": "danger", "clean": "success", "inconclusive": "warning", "stopped": "secondary"},
)


class AcceptanceProfile(models.TextChoices):
    """« PV de recette vendu » of the Scribe sheet."""

    STANDARD = "standard", "Standard"
    ENHANCED = "enhanced", "Renforcé"
    NONE = "none", "Aucun"
