"""One router for the whole REST API; each app registers its viewsets in api/urls.py."""

from django.urls import include, path

urlpatterns = [
    path("", include("softwhere.accounts.api.urls")),
    path("", include("softwhere.customers.api.urls")),
    path("", include("softwhere.inventory.api.urls")),
    path("", include("softwhere.catalogue.api.urls")),
    path("", include("softwhere.tickets.api.urls")),
    path("", include("softwhere.diagnostics.api.urls")),
    path("", include("softwhere.triage.api.urls")),
    path("", include("softwhere.sla.api.urls")),
    path("", include("softwhere.orders.api.urls")),
    path("", include("softwhere.interop.api.urls")),
    path("", include("softwhere.telephony.api.urls")),
    path("", include("softwhere.comms.api.urls")),
]
