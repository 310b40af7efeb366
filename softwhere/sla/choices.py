from softwhere.core.choices import DeskChoices, colours


class ClockKind(DeskChoices):
    GTR = "gtr", "GTR (rétablissement garanti)"
    FIRST_RESPONSE = "first_response", "Première réponse"
    RESOLUTION = "resolution", "Résolution"


class ClockState(DeskChoices):
    RUNNING = "running", "En cours"
    PAUSED = "paused", "En pause (attente client)"
    MET = "met", "Respecté"
    BREACHED = "breached", "Dépassé"
    CANCELLED = "cancelled", "Sans objet (ticket annulé)"


colours(
    ClockKind,
    {"gtr": "danger", "first_response": "info", "resolution": "primary"},
)
colours(
    ClockState,
    {"running": "primary", "paused": "warning", "met": "success", "breached": "danger", "cancelled": "secondary"},
)

ACTIVE_CLOCK_STATES = frozenset({ClockState.RUNNING, ClockState.PAUSED, ClockState.BREACHED})
