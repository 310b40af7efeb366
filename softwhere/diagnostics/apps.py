from django.apps import AppConfig


class DiagnosticsConfig(AppConfig):
    name = "softwhere.diagnostics"
    label = "diagnostics"
    verbose_name = "Diagnostics équipements"

    def ready(self) -> None:
        from softwhere.tickets.signals import ticket_event

        from .receivers import on_ticket_event

        ticket_event.connect(on_ticket_event, dispatch_uid="softwhere.diagnostics.on_ticket_event")
