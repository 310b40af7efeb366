from django.db import models


class Role(models.TextChoices):
    N1 = "n1", "Agent N1"
    N2 = "n2", "Agent N2"
    SUPERVISOR = "supervisor", "Superviseur / incident manager"
    ADV = "adv", "Administration des ventes (ADV)"
    PARTNER = "partner", "Utilisateur partenaire"
    CLIENT = "client", "Utilisateur client"
    ADMIN = "admin", "Administrateur"


# Roles that work for the operator and see every company.
STAFF_ROLES = frozenset({Role.N1, Role.N2, Role.SUPERVISOR, Role.ADV, Role.ADMIN})
# Roles allowed to work a ticket escalated to level 2.
N2_ROLES = frozenset({Role.N2, Role.SUPERVISOR, Role.ADMIN})
# Roles allowed to work tickets at all (transitions, checklist, LEDs).
AGENT_ROLES = frozenset({Role.N1, Role.N2, Role.SUPERVISOR, Role.ADMIN})
# Roles allowed to edit the resolution catalogue.
CATALOGUE_EDITORS = frozenset({Role.SUPERVISOR, Role.ADMIN})
# Roles allowed to edit the customer inventory.
INVENTORY_EDITORS = frozenset({Role.N1, Role.N2, Role.SUPERVISOR, Role.ADV, Role.ADMIN})
