from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "softwhere.tickets"
    label = "tickets"
    verbose_name = "Tickets"
