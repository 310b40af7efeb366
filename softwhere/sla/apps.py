from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "softwhere.sla"
    label = "sla"
    verbose_name = "SLA et engagements"

    def ready(self) -> None:
        from softwhere.tickets.signals import ticket_event

        from .receivers import on_ticket_event

        ticket_event.connect(on_ticket_event, dispatch_uid="softwhere.sla.on_ticket_event")
