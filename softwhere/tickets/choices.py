from django.db import models

from softwhere.core.choices import DeskChoices, colours


class TicketStatus(DeskChoices):
    NEW = "new", "Nouveau"
    IN_PROGRESS = "in_progress", "En cours (N1)"
    ESCALATED = "escalated", "Escaladé (N2)"
    WAITING_CLIENT = "waiting_client", "En attente client"
    WAITING_CARRIER = "waiting_carrier", "En attente opérateur"
    RESOLVED = "resolved", "Rétabli"
    OBSERVATION = "observation", "En observation"
    CLOSURE_REQUESTED = "closure_requested", "Clôture demandée"
    CLOSED = "closed", "Clôturé"
    CANCELLED = "cancelled", "Annulé"


colours(
    TicketStatus,
    {
        "new": "info",
        "in_progress": "primary",
        "escalated": "danger",
        "waiting_client": "warning",
        "waiting_carrier": "warning",
        "resolved": "success",
        "observation": "success",
        "closure_requested": "secondary",
        "closed": "dark",
        "cancelled": "light",
    },
)

OPEN_STATUSES = frozenset(
    {
        TicketStatus.NEW,
        TicketStatus.IN_PROGRESS,
        TicketStatus.ESCALATED,
        TicketStatus.WAITING_CLIENT,
        TicketStatus.WAITING_CARRIER,
    }
)
FINISHED_STATUSES = frozenset({TicketStatus.CLOSED, TicketStatus.CANCELLED})


class ServiceState(DeskChoices):
    """Seed 004: « l'état du service (dégradé, interrompu, avec secours actif et sans perturbations) »."""

    INTERRUPTED = "interrompu", "Interrompu"
    DEGRADED = "degrade", "Dégradé"
    BACKUP_ACTIVE = "secours_actif", "Avec secours actif"
    NO_DISRUPTION = "sans_perturbation", "Sans perturbation"


colours(ServiceState, {"interrompu": "danger", "degrade": "warning", "secours_actif": "info", "sans_perturbation": "success"})


class Priority(models.IntegerChoices):
    P1 = 1, "P1 – critique"
    P2 = 2, "P2 – haute"
    P3 = 3, "P3 – normale"
    P4 = 4, "P4 – basse"


class Channel(DeskChoices):
    PHONE = "phone", "Téléphone"
    MAIL = "mail", "Mail"
    WEB = "web", "Formulaire web"
    INTEROP = "interop", "Interop"
    SUPERVISION = "supervision", "Supervision"


class Level(DeskChoices):
    N1 = "n1", "N1"
    N2 = "n2", "N2"


class Visibility(DeskChoices):
    INTERNAL = "internal", "Interne"
    PUBLIC = "public", "Visible du client"


class TimelineKind(DeskChoices):
    CREATED = "created", "Création"
    COMMENT = "comment", "Commentaire"
    STATUS = "status", "Changement d'état"
    QUALIFICATION = "qualification", "Qualification"
    CHECKLIST = "checklist", "Checklist"
    LED_READING = "led_reading", "Relevé des voyants"
    ASSIGNMENT = "assignment", "Affectation"
    FIELD_CHANGE = "field_change", "Modification"
    DIAGNOSTIC = "diagnostic", "Diagnostic équipement"


class LedPhase(DeskChoices):
    BEFORE = "before", "Avant redémarrage"
    AFTER = "after", "Après redémarrage"
