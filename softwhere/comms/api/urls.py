from django.urls import path

from .views import TemplateListView, TicketMessagePreviewView, TicketMessagesView

urlpatterns = [
    path("comms/templates/", TemplateListView.as_view(), name="comms-template-list"),
    path("tickets/<str:reference>/messages/", TicketMessagesView.as_view(), name="ticket-messages"),
    path(
        "tickets/<str:reference>/messages/preview/", TicketMessagePreviewView.as_view(), name="ticket-message-preview"
    ),
]
