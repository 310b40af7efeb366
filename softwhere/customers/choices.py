from softwhere.core.choices import DeskChoices


class OrganisationKind(DeskChoices):
    OPERATOR = "operator", "Opérateur"
    PARTNER = "partner", "Partenaire intégrateur"
    CLIENT = "client", "Entreprise cliente"


class ContactRole(DeskChoices):
    COMMERCIAL = "commercial", "Commercial"
    TECHNICAL = "technique", "Technique"
    BILLING = "facturation", "Facturation"
    ONSITE = "sur_site", "Sur site"


class PreferredChannel(DeskChoices):
    MAIL = "mail", "Mail"
    SMS = "sms", "SMS"
    BOTH = "both", "Mail et SMS"


WEEKDAYS = ("lun", "mar", "mer", "jeu", "ven", "sam", "dim")
