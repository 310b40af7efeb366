from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import (
    CommissionInvoiceViewSet,
    CommissionViewSet,
    EligibilityView,
    FeeQuoteView,
    OperatorListView,
    OrderViewSet,
    PortabilityQuoteView,
    PortabilityRequestViewSet,
    SizingView,
)

router = SimpleRouter(trailing_slash=True)
router.register("orders", OrderViewSet, basename="order")
router.register("portability-requests", PortabilityRequestViewSet, basename="portability-request")
router.register("commissions", CommissionViewSet, basename="commission")
router.register("commission-invoices", CommissionInvoiceViewSet, basename="commission-invoice")

urlpatterns = [
    *router.urls,
    path("portability/quote/", PortabilityQuoteView.as_view(), name="portability-quote"),
    path("portability/operators/", OperatorListView.as_view(), name="portability-operators"),
    path("fees/quote/", FeeQuoteView.as_view(), name="fee-quote"),
    path("sizing/", SizingView.as_view(), name="sizing"),
    path("eligibility/hints/", EligibilityView.as_view(), name="eligibility-hints"),
]
