from django.db import models

from softwhere.accounts.choices import Role
from softwhere.core.choices import DeskChoices, colours

from .services.flow import STEPS
from .services.flow import StepState as FlowStepState


class OrderStatus(DeskChoices):
    RECEIVED = "received", "Reçue"
    IN_PROGRESS = "in_progress", "En cours"
    DELIVERED = "delivered", "Livrée"
    CANCELLED = "cancelled", "Annulée"


colours(
    OrderStatus, {"received": "warning", "in_progress": "primary", "delivered": "success", "cancelled": "secondary"}
)


class ItemKind(DeskChoices):
    ADSL = "adsl", "ADSL"
    ADSL_NUE = "adsl_nue", "ADSL nue"
    SDSL = "sdsl", "SDSL"
    FIBRE = "fibre", "Fibre optique"
    IPVPN = "ipvpn", "IPVPN"
    VPN_NOMADE = "vpn_nomade", "VPN nomade"
    OPIOS = "opios", "Routeur OpIOS double WAN"
    IP29 = "ip29", "Option /29"
    GTR_EXTENDED = "gtr_extended", "GTR étendue 24h/24"
    SIP_TRUNK = "sip_trunk", "Trunk SIP"
    CENTREX = "centrex", "Centrex"
    SDA = "sda", "SDA"
    SPECIAL_NUMBER = "special_number", "Numéro spécial"
    FAX_TO_MAIL = "fax_to_mail", "Fax to Mail"
    MAIL_TO_FAX = "mail_to_fax", "Mail to Fax"
    IVR = "ivr", "SVI"
    PAGES_JAUNES = "pages_jaunes", "Inscription Pages Jaunes"


class StepState(DeskChoices):
    PENDING = FlowStepState.PENDING.value, "À faire"
    IN_PROGRESS = FlowStepState.IN_PROGRESS.value, "En cours"
    DONE = FlowStepState.DONE.value, "Fait"
    SKIPPED = FlowStepState.SKIPPED.value, "Rien à faire"
    NOT_APPLICABLE = FlowStepState.NOT_APPLICABLE.value, "Sans objet"


colours(
    StepState,
    {
        "pending": "light",
        "in_progress": "primary",
        "done": "success",
        "skipped": "secondary",
        "not_applicable": "light",
    },
)


class PortabilityStatus(DeskChoices):
    DRAFT = "draft", "Mandat reçu"
    SUBMITTED = "submitted", "Transmise à l'opérateur cédant"
    PLANNED = "planned", "Date prévue envoyée"
    DONE = "done", "Portée"
    CANCELLED = "cancelled", "Annulée"


colours(
    PortabilityStatus,
    {"draft": "warning", "submitted": "info", "planned": "primary", "done": "success", "cancelled": "secondary"},
)


class InvoiceStatus(DeskChoices):
    ACCEPTED = "accepted", "Conforme"
    REFUSED = "refused", "Non conforme"


colours(InvoiceStatus, {"accepted": "success", "refused": "danger"})


class FeeKind(models.TextChoices):
    TERMINATION = "termination", "Résiliation"
    CANCELLATION = "cancellation", "Annulation de commande Data"
    ADDRESS_ERROR = "address_error", "Erreur d'adresse d'installation"
    WORKS = "works", "Désaturation et desserte interne"
    LINK_CHANGE = "link_change", "Upgrade / downgrade"
    MOVE = "move", "Déménagement"
    EXPERTISE = "expertise", "Intervention à tort (expertise)"
    AMO = "amo", "AMO"
    EXTENDED_GTR = "extended_gtr", "GTR étendue"


# The order desk: ADV does the work, supervisors and admins may step in.
ORDER_DESK_ROLES = frozenset({Role.ADV, Role.SUPERVISOR, Role.ADMIN})

# Link types the fee and eligibility calculators know (inventory.AccessTechnology minus IPVPN/VPN/4G).
LINK_TECHNOLOGY_CHOICES = [("adsl", "ADSL"), ("adsl_nue", "ADSL nue"), ("sdsl", "SDSL"), ("fibre", "Fibre optique")]

# Choice sets of the API (named in settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]).
DESATURATION_CHOICES = [("mono", "Monopaire"), ("bi", "Bipaire"), ("quadri", "Quadripaire")]
DIRECTION_CHOICES = [("upgrade", "Upgrade"), ("downgrade", "Downgrade")]
STEP_MOVE_CHOICES = [("start", "Démarrer"), ("complete", "Terminer"), ("skip", "Passer (rien à faire)")]
HINT_LEVEL_CHOICES = [("warning", "Avertissement"), ("info", "Information")]
ORDER_ERROR_CODES = [
    ("file_incomplete", "Dossier incomplet"),
    ("step_refused", "Étape refusée"),
    ("not_allowed_now", "Impossible à ce stade"),
]
STEP_CODE_CHOICES = [(s.code.value, s.label) for s in STEPS]
