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
    path("api/v1/", include("softwhere.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]
