from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "softwhere.triage"
    label = "triage"
    verbose_name = "Triage"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - connects the ticket_event receiver
