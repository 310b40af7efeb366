from django.urls import path

from .views import SlaClockListView, TicketSlaView

urlpatterns = [
    path("tickets/<str:reference>/sla/", TicketSlaView.as_view(), name="ticket-sla"),
    path("sla/clocks/", SlaClockListView.as_view(), name="sla-clock-list"),
]
