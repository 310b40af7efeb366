from django.apps import AppConfig


class CommsConfig(AppConfig):
    name = "softwhere.comms"
    label = "comms"
    verbose_name = "Communications"

    def ready(self) -> None:
        from softwhere.tickets.signals import ticket_event

        from .receivers import on_ticket_event

        ticket_event.connect(on_ticket_event, dispatch_uid="softwhere.comms.on_ticket_event")
