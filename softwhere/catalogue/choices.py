from softwhere.core.choices import DeskChoices, colours


class CaseFamily(DeskChoices):
    INCIDENT = "incident", "Incident"
    PARAMETRAGE = "parametrage", "Paramétrage"
    SAV = "sav", "SAV"
    ADMINISTRATIF = "administratif", "Administratif"
    COMMANDE = "commande", "Commande"


class CaseDomain(DeskChoices):
    INTERNET = "internet", "Internet"
    FIXE = "fixe", "Téléphonie fixe"
    MOBILE = "mobile", "Mobile"
    MATERIEL = "materiel", "Matériel"
    ADMINISTRATIF = "administratif", "Administratif"


class LedDevice(DeskChoices):
    ONT = "ont", "ONT"
    ROUTER = "router", "Routeur"


class LedState(DeskChoices):
    VERT_FIXE = "vert_fixe", "vert fixe"
    CLIGNOTANT = "clignotant", "clignotant"
    CLIGNOTANT_RAPIDE = "clignotant_rapide", "clignotant rapide"
    ROUGE_FIXE = "rouge_fixe", "rouge fixe"
    ROUGE_CLIGNOTANT = "rouge_clignotant", "rouge clignotant"
    BLEU = "bleu", "bleu"
    ETEINT = "eteint", "éteint"


colours(CaseFamily, {"incident": "danger", "parametrage": "primary", "sav": "warning", "commande": "info"})
colours(
    LedState,
    {"vert_fixe": "success", "clignotant": "success", "clignotant_rapide": "warning", "rouge_fixe": "danger",
     "rouge_clignotant": "danger", "bleu": "primary", "eteint": "dark"},
)
