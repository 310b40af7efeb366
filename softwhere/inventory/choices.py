from django.db import models

from softwhere.core.choices import DeskChoices


class ServiceKind(DeskChoices):
    ACCESS = "access", "Accès internet"
    VOICE = "voice", "Service voix"
    MOBILE = "mobile", "Ligne mobile"


class AccessTechnology(DeskChoices):
    ADSL = "adsl", "ADSL"
    ADSL_NUE = "adsl_nue", "ADSL nue"
    SDSL = "sdsl", "SDSL"
    FIBRE = "fibre", "Fibre"
    IPVPN = "ipvpn", "IPVPN"
    VPN_NOMADE = "vpn_nomade", "VPN nomade"
    BACKUP_4G = "backup_4g", "Secours 4G"


# Seed 001: "la GTR ne s'applique qu'aux liens SDSL et fibre".
GTR_ELIGIBLE_TECHNOLOGIES = frozenset({AccessTechnology.SDSL, AccessTechnology.FIBRE})


class GtrOption(DeskChoices):
    NONE = "none", "Sans GTR"
    STANDARD = "standard", "GTR 4 h heures ouvrées"
    EXTENDED = "extended", "GTR 4 h étendue 24/7"


class CommitmentMonths(models.IntegerChoices):
    TWELVE = 12, "12 mois"
    THIRTY_SIX = 36, "36 mois"


class VoiceKind(DeskChoices):
    SIP_TRUNK = "sip_trunk", "Trunk SIP"
    CENTREX = "centrex", "Centrex"
    FAX_TO_MAIL = "fax_to_mail", "Fax to mail"


class NumberRangeKind(DeskChoices):
    NDI = "ndi", "NDI (numéro de tête)"
    SDA = "sda", "SDA"


class SimKind(DeskChoices):
    SIM = "sim", "Carte SIM"
    ESIM = "esim", "eSIM"


class ServiceStatus(DeskChoices):
    ORDERED = "ordered", "En commande"
    ACTIVE = "active", "En service"
    SUSPENDED = "suspended", "Suspendu"
    TERMINATED = "terminated", "Résilié"


class EquipmentKind(DeskChoices):
    ROUTER = "router", "Routeur"
    ONT = "ont", "ONT"
    SWITCH = "switch", "Switch"
    IP_PHONE = "ip_phone", "Poste IP"
    DECT = "dect", "Base / poste DECT"
    IPBX = "ipbx", "IPBX"
    ATA = "ata", "Adaptateur analogique (ATA)"
    MODEM_4G = "modem_4g", "Modem 4G"
    FIREWALL = "firewall", "Pare-feu"
    HEADSET = "headset", "Casque"
    MOBILE = "mobile", "Terminal mobile"
    OTHER = "other", "Autre"
