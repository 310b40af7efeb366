"""Choice sets of the hosted telephony offer (seed 003, "Pack Business Unifié").

Values are stable lowercase slugs (used in the JSON document, the API and the
database); labels are the selfcare's French wording.
"""

from __future__ import annotations

from django.db import models

from softwhere.accounts.choices import INVENTORY_EDITORS, Role

#: Who may change a company's telephony: the desk's editors, the partner and the client's manager (gestionnaire).
TELEPHONY_EDITORS = frozenset({*INVENTORY_EDITORS, Role.PARTNER, Role.CLIENT})

#: Name of the automatic pseudo-site holding the mobile lines (§4.1: « n'est pas un site physique et c'est le seul »).
MOBILE_PSEUDO_SITE = "VOS LIGNES MOBILES AVEC OPTION PABX"

WEEKDAYS = ("lun", "mar", "mer", "jeu", "ven", "sam", "dim")
WEEKDAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


class Plan(models.TextChoices):
    """The five plans (forfaits) of the offer (§3)."""

    FIXE = "fixe", "Forfait fixe"
    NUMERO_FIXE_MOBILE = "numero_fixe_mobile", "Numéro fixe pour ligne mobile"
    ANALOGIQUE = "analogique", "Forfait analogique"
    GROUPEMENT = "groupement", "Groupement d'appels"
    AVI = "avi", "Accueil vocal interactif"


class Option(models.TextChoices):
    """Subscribed collaboration options (§3.6); « Softphonie » is included, not subscribed."""

    COLLABORATION = "collaboration", "Collaboration"
    COLLABORATION_PREMIUM = "collaboration_premium", "Collaboration premium"


class Collaboration(models.TextChoices):
    AUCUNE = "aucune", "Softphonie (incluse)"
    COLLABORATION = "collaboration", "Collaboration"
    COLLABORATION_PREMIUM = "collaboration_premium", "Collaboration premium"


class LineKind(models.TextChoices):
    """What a telephony line is; the mobile line is an SFR mobile associated to the offer (« PABX Mobile »)."""

    FIXE = "fixe", "Forfait fixe"
    NUMERO_FIXE_MOBILE = "numero_fixe_mobile", "Forfait numéro fixe pour ligne mobile"
    MOBILE = "mobile", "Ligne mobile (option PABX)"
    ANALOGIQUE = "analogique", "Forfait analogique"


#: The plan a line of each kind consumes (mobile lines are subscribed outside the offer).
PLAN_OF_LINE = {
    LineKind.FIXE: Plan.FIXE,
    LineKind.NUMERO_FIXE_MOBILE: Plan.NUMERO_FIXE_MOBILE,
    LineKind.ANALOGIQUE: Plan.ANALOGIQUE,
}


class HardwareKind(models.TextChoices):
    """Supports of a line (§3.1, §6.16)."""

    AUCUN = "aucun", "Aucun matériel"
    POSTE_IP = "poste_ip", "Poste IP"
    DECT = "dect", "DECT IP"
    PIEUVRE = "pieuvre", "Pieuvre de conférence"
    SIM = "sim", "Carte SIM"
    ATA = "ata", "Passerelle analogique (ATA)"


#: Simultaneous calls a terminal can hold (§2.1.2: IP phone up to 20, DECT and SIM 2; §6.14 « 2 à 20 »).
MAX_CALLS_BY_HARDWARE: dict[str, int] = {
    HardwareKind.POSTE_IP: 20,
    HardwareKind.DECT: 2,
    HardwareKind.SIM: 2,
    HardwareKind.PIEUVRE: 2,
    HardwareKind.ATA: 1,
    HardwareKind.AUCUN: 2,  # Webex softphone or mobile: the low end of « 2 à 20 » (decision t9)
}

#: Programmable keys per model, from the seed's screenshots (decision t10); unknown models have none.
PHONE_MODELS: dict[str, tuple[str, int]] = {
    "Polycom VVX 450": (HardwareKind.POSTE_IP, 47),
    "Polycom VVX 250": (HardwareKind.POSTE_IP, 4),
    "Poly Edge E220": (HardwareKind.POSTE_IP, 15),
    "Yealink W52PU": (HardwareKind.DECT, 0),
    "Polycom Soundstation 5000": (HardwareKind.PIEUVRE, 0),
    "AudioCodes MP-202B RevD": (HardwareKind.ATA, 0),
}
MAX_SUPERVISION_KEYS = 45


class CallerIdMode(models.TextChoices):
    LIGNE = "ligne", "Afficher le numéro de la ligne"
    MASQUE = "masque", "Masquer le numéro de la ligne"
    ALTERNATIF = "alternatif", "Afficher un numéro alternatif"


class RestrictionProfile(models.TextChoices):
    """The eight outgoing-call restriction profiles of §6.4."""

    GRATUITS_EUR_77 = "gratuits_eur_7_7", "Fixe+Mob Nat+Num spcx gratuits+Eur-DOM 7/7"
    GRATUITS_EUR_LS = "gratuits_eur_l_s", "Fixe+Mob Nat+Num spcx gratuits+Eur-DOM L-S"
    GRATUITS_EUR_LV = "gratuits_eur_l_v", "Fixe+Mob Nat+Num spcx gratuits+Eur-DOM L-V"
    SPECIAUX_EUR_77 = "speciaux_eur_7_7", "Fixe+Mob Nat+Num spéciaux+Eur-DOM 7/7"
    NATIONAL_77 = "national_7_7", "Fixe National 7/7"
    NATIONAL_LV = "national_l_v", "Fixe National L-V"
    INTERNE_77 = "interne_7_7", "Interne 7/7"
    SANS_RESTRICTION = "sans_restriction", "Sans restriction 7/7"


class ForwardDestination(models.TextChoices):
    MESSAGERIE = "messagerie", "Vers la messagerie"
    NUMERO = "numero", "Vers un numéro"


class ForwardKind(models.TextChoices):
    """The five forwarding criteria (§6.14)."""

    IMMEDIAT = "immediate", "Renvoi immédiat"
    OCCUPATION = "busy", "Renvoi sur occupation"
    NON_REPONSE = "no_answer", "Renvoi sur non-réponse"
    INJOIGNABLE = "unreachable", "Renvoi sur non joignabilité"
    PROGRAMME = "scheduled", "Renvoi programmé"


class MultiRingMode(models.TextChoices):
    SIMULTANE = "simultane", "Simultané"
    SEQUENTIEL = "sequentiel", "Séquentiel"


class DistributionMode(models.TextChoices):
    """Call group distribution modes (§7.2); default « Poste libre »."""

    LINEAIRE = "lineaire", "Linéaire"
    POSTE_LIBRE = "poste_libre", "Poste libre"
    CYCLIQUE = "cyclique", "Cyclique"
    PARALLELE = "parallele", "Parallèle"


class OverflowMode(models.TextChoices):
    """Overflow scenarios (§7.4): never to a voicemail."""

    AUCUN = "aucun", "Pas de renvoi"
    DISSUASION = "dissuasion", "Disque de dissuasion"
    NUMERO = "numero", "Vers numéro"


class AnnouncementSlot(models.TextChoices):
    """Where an announcement is used; each slot has a default announcement (or none for IVR menus)."""

    ACCUEIL_LIGNE = "accueil_ligne", "Annonce d'accueil (ligne)"
    ATTENTE_LIGNE = "attente_ligne", "Annonce de mise en attente (ligne)"
    DOUBLE_APPEL = "double_appel", "Annonce de double appel"
    ACCUEIL_GROUPE = "accueil_groupe", "Annonce d'accueil (groupement)"
    ATTENTE_GROUPE = "attente_groupe", "Annonce d'attente (groupement)"
    DISSUASION = "dissuasion", "Disque de dissuasion"
    MENU_AVI = "menu_avi", "Annonce de menu (AVI)"


#: Default announcements: name shown in the selfcare and the nominal length used by the simulator (decision t6).
DEFAULT_ANNOUNCEMENTS: dict[str, tuple[str, float]] = {
    AnnouncementSlot.ACCUEIL_LIGNE: ("Accueil par défaut", 10.0),
    AnnouncementSlot.ATTENTE_LIGNE: ("Mise en attente prédéfinie", 10.0),
    AnnouncementSlot.DOUBLE_APPEL: ("Double appel prédéfini", 10.0),
    AnnouncementSlot.ACCUEIL_GROUPE: ("Accueil prédéfini", 10.0),
    AnnouncementSlot.ATTENTE_GROUPE: ("Attente prédéfinie", 10.0),
    AnnouncementSlot.DISSUASION: ("Dissuasion prédéfinie", 10.0),
}


class AudioFormat(models.TextChoices):
    MP3 = "mp3", "MP3"
    WAV = "wav", "WAV"


class IvrMode(models.TextChoices):
    UNIQUE = "unique", "Unique 24h/24 - 7j/7"
    CALENDRIER = "calendrier", "Différent en fonction des heures ouvrées et de fermeture"


class IvrPeriod(models.TextChoices):
    OUVERTURE = "ouverture", "Heures d'ouverture"
    FERMETURE = "fermeture", "Heures de fermeture"


class KeyKind(models.TextChoices):
    """Programmable keys of an IP phone (§6.17)."""

    SUPERVISION = "supervision", "Supervision"
    RACCOURCI = "raccourci", "Raccourci"
    INTERCEPTION = "interception", "Interception"


# Limits of the seed, in one place.
MAX_BLOCKED_NUMBERS = 36
MAX_MULTI_RING_NUMBERS = 5
MAX_NO_ANSWER_RINGS = 10
DEFAULT_NO_ANSWER_RINGS = 3
MAX_GROUP_RINGS = 10
DEFAULT_GROUP_RINGS = 5
MAX_INTER_CALL_DELAY = 3600
DEFAULT_MAX_WAITING_CALLS = 20
MAX_WAITING_CALLS = 50
DEFAULT_MAX_WAIT_SECONDS = 300
MAX_WAIT_SECONDS = 3600
MAX_ANNOUNCEMENT_SECONDS = 120
MAX_ANNOUNCEMENT_BYTES = 3 * 1024 * 1024
MAX_DIRECTORY_CONTACTS = 500
IVR_KEYS = tuple(str(d) for d in range(1, 10))
#: One ring (1.5 s on, 3.5 s off in France): converts « nombre de sonneries » to seconds (decision t5).
RING_SECONDS = 5
