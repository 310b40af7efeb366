"""Inter-operator and TMF621 endpoints, mounted under /tmf-api/ (outside the desk's /api/v1/ schema)."""

from django.urls import URLPattern, path

from .api import interop_views as interop
from .api import tmf_ticket_views as tickets
from .services import tmf

app_name = "tmf"


def ticket_api(api: tmf.TicketApi) -> list[URLPattern]:
    """The desk-ticket TMF621 routes of one version (same views, parametrised by the version object)."""
    root, name = f"troubleTicket/{api.version}", api.version
    return [
        path(f"{root}/troubleTicket", tickets.TroubleTicketListView.as_view(tmf_api=api), name=f"{name}-list"),
        path(
            f"{root}/troubleTicket/<str:ticket_id>",
            tickets.TroubleTicketDetailView.as_view(tmf_api=api),
            name=f"{name}-detail",
        ),
        path(f"{root}/hub", tickets.HubView.as_view(api=api.hub_api), name=f"{name}-hub"),
        path(f"{root}/hub/<str:hub_id>", tickets.HubDetailView.as_view(api=api.hub_api), name=f"{name}-hub-detail"),
    ]


urlpatterns = [
    *ticket_api(tmf.V5),
    *ticket_api(tmf.V4),
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
