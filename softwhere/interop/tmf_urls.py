"""Inter-operator and TMF621 endpoints, mounted under /tmf-api/ (outside the desk's /api/v1/ schema)."""

from django.urls import path

from .api import interop_views as interop
from .api import tmf_v5_views as v5

app_name = "tmf"

urlpatterns = [
    path("troubleTicket/v5/troubleTicket", v5.TroubleTicketListView.as_view(), name="v5-list"),
    path("troubleTicket/v5/troubleTicket/<str:ticket_id>", v5.TroubleTicketDetailView.as_view(), name="v5-detail"),
    path("troubleTicket/v5/hub", v5.HubView.as_view(), name="v5-hub"),
    path("troubleTicket/v5/hub/<str:hub_id>", v5.HubDetailView.as_view(), name="v5-hub-detail"),
    path("interop/troubleTicket/v1/troubleTicket", interop.InteropTicketListView.as_view(), name="interop-list"),
    path(
        "interop/troubleTicket/v1/troubleTicket/<str:ticket_id>",
        interop.InteropTicketDetailView.as_view(),
        name="interop-detail",
    ),
    path("interop/troubleTicket/v1/hub", interop.InteropHubView.as_view(), name="interop-hub"),
    path(
        "interop/troubleTicket/v1/hub/<str:hub_id>", interop.InteropHubDetailView.as_view(), name="interop-hub-detail"
    ),
    path(
        "interop/troubleTicket/v1/listener/<str:event_type>",
        interop.InteropListenerView.as_view(),
        name="interop-listener",
    ),
    path("interop/sav-ftth/v2", interop.V2View.as_view(), name="v2"),
]
