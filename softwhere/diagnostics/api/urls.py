from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import (
    BastionViewSet,
    CredentialViewSet,
    DiagnoseView,
    DiagnosisRequestView,
    DiagnosticRunViewSet,
    KnownHostViewSet,
    RebootView,
    ServiceSheetViewSet,
)

router = SimpleRouter(trailing_slash=True)
router.register("diagnostics/runs", DiagnosticRunViewSet, basename="diagnostic-run")
router.register("diagnostics/service-sheets", ServiceSheetViewSet, basename="service-sheet")
router.register("diagnostics/credentials", CredentialViewSet, basename="device-credential")
router.register("diagnostics/known-hosts", KnownHostViewSet, basename="known-host")
router.register("diagnostics/bastions", BastionViewSet, basename="bastion")

urlpatterns = [
    path("diagnostics/tickets/<str:reference>/diagnose/", DiagnoseView.as_view(), name="diagnostics-diagnose"),
    path("diagnostics/requests/<int:pk>/", DiagnosisRequestView.as_view(), name="diagnostics-request"),
    path("diagnostics/tickets/<str:reference>/reboot/", RebootView.as_view(), name="diagnostics-reboot"),
    *router.urls,
]
