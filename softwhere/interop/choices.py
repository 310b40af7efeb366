"""Choice sets of the carrier gateway, defined once (model fields, API, docs)."""

from softwhere.core.choices import DeskChoices, colours


class Protocol(DeskChoices):
    """How an infrastructure operator (OI) exchanges SAV tickets (seed 002 + Interop'Fibre TMF621 profile)."""

    V1 = "v1.0a", "SAV FTTH v1.0a (mail + CSV)"
    V2 = "v2.0", "SAV FTTH v2.0 (web services XML)"
    INTEROP_TMF = "interop-tmf621", "Interop'Fibre TMF621"
    TMF621 = "tmf621", "TMF621 v4/v5 (notre API)"


class Role(DeskChoices):
    """Our role in a signalisation: commercial operator (we deposit) or infrastructure operator (we repair)."""

    OC = "oc", "Opérateur commercial (OC)"
    OI = "oi", "Opérateur d'infrastructure (OI)"


class Direction(DeskChoices):
    INBOUND = "in", "Reçu"
    OUTBOUND = "out", "Émis"


class MessageKind(DeskChoices):
    DEPOSIT = "deposit", "Dépôt de signalisation"
    ACK = "ack", "Accusé de réception"
    INFORMATION = "information", "Information / rendez-vous"
    CANCELLATION = "cancellation", "Annulation"
    CLOSURE = "closure", "Clôture"
    STATUS = "status", "Changement d'état"
    MAINTENANCE = "maintenance", "Prévenance de travaux"
    DAMAGE = "damage", "Prévenance de dommage"
    DAMAGE_ACK = "damage_ack", "AR de prévenance de dommage"
    SUBSCRIPTION = "subscription", "Abonnement aux événements"
    EVENT = "event", "Événement TMF621"
    UNKNOWN = "unknown", "Inconnu"


class MessageStatus(DeskChoices):
    PENDING = "pending", "À envoyer"
    SENT = "sent", "Envoyé"
    FAILED = "failed", "Échec d'envoi"
    PROCESSED = "processed", "Traité"
    DUPLICATE = "duplicate", "Doublon (déjà traité)"
    REJECTED = "rejected", "Rejeté"


colours(
    MessageStatus,
    {
        "pending": "info",
        "sent": "success",
        "failed": "danger",
        "processed": "success",
        "duplicate": "secondary",
        "rejected": "danger",
    },
)


class SignalisationStatus(DeskChoices):
    """One lifecycle for every protocol; ``services/lifecycle.py`` maps it to v2.0 and TMF statuses."""

    SUBMITTED = "submitted", "Déposée (AR attendu)"
    ACKNOWLEDGED = "acknowledged", "Acquittée (AR OK)"
    REJECTED = "rejected", "Refusée (AR KO)"
    IN_PROGRESS = "in_progress", "Prise en charge par l'OI"
    PENDING = "pending", "En attente d'information"
    HELD = "held", "Suspendue"
    CANCELLATION_REQUESTED = "cancellation_requested", "Annulation en cours"
    RESOLVED = "resolved", "Résolue (acceptation attendue)"
    CLOSED = "closed", "Clôturée"
    CANCELLED = "cancelled", "Annulée"


colours(
    SignalisationStatus,
    {
        "submitted": "info",
        "acknowledged": "primary",
        "rejected": "danger",
        "in_progress": "primary",
        "pending": "warning",
        "held": "warning",
        "cancellation_requested": "secondary",
        "resolved": "success",
        "closed": "dark",
        "cancelled": "light",
    },
)


class ResolutionState(DeskChoices):
    """v2.0 « état de résolution » (seed 002, annexe 3)."""

    TO_DEFINE = "ACTION_A_DEFINIR", "Action à définir"
    PLANNED = "ACTION_PREVUE", "Action prévue"
    SCHEDULED = "ACTION_PLANIFIEE", "Action planifiée"
    DONE = "ACTION_TERMINEE", "Action terminée"
    NEW_ACTION = "NOUVELLE_ACTION_A_PREVOIR", "Nouvelle action à prévoir"


class HubApi(DeskChoices):
    """Which of our TMF621 APIs a hub subscription listens to."""

    TMF621_V5 = "tmf621-v5", "TMF621 v5 (tickets du desk)"
    TMF621_V4 = "tmf621-v4", "TMF621 v4 (tickets du desk)"
    INTEROP = "interop-tmf621", "Profil Interop (signalisations OI)"
