from softwhere.core.choices import DeskChoices, colours


class JobStatus(DeskChoices):
    PENDING = "pending", "En attente"
    RUNNING = "running", "En cours"
    DONE = "done", "Exécutée"
    FAILED = "failed", "En échec"
    CANCELLED = "cancelled", "Annulée"


colours(
    JobStatus,
    {"pending": "info", "running": "primary", "done": "success", "failed": "danger", "cancelled": "secondary"},
)
