from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("", include("softwhere.core.urls")),
    path("", include("softwhere.accounts.urls")),
    path("clients/", include("softwhere.customers.urls")),
    path("inventaire/", include("softwhere.inventory.urls")),
    path("catalogue/", include("softwhere.catalogue.urls")),
    path("tickets/", include("softwhere.tickets.urls")),
    path("portail/", include("softwhere.tickets.portal_urls")),
    path("diagnostics/", include("softwhere.diagnostics.urls")),
    path("commandes/", include("softwhere.orders.urls")),
    path("sla/", include("softwhere.sla.urls")),
    path("telephonie/", include("softwhere.telephony.urls")),
    path("communications/", include("softwhere.comms.urls")),
    path("interop/", include("softwhere.interop.urls")),
    path("api/v1/", include("softwhere.api_urls")),
    path("tmf-api/", include("softwhere.interop.tmf_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]
