from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "softwhere.interop"
    label = "interop"
    verbose_name = "Interop SAV FTTH et TMF621"

    def ready(self) -> None:
        from softwhere.tickets.signals import ticket_event

        from .receivers import on_ticket_event

        ticket_event.connect(on_ticket_event, dispatch_uid="softwhere.interop.on_ticket_event")
