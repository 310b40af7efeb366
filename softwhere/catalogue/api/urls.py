from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import LedMemosView, ResolutionCaseViewSet

router = SimpleRouter(trailing_slash=True)
router.register("catalogue/cases", ResolutionCaseViewSet, basename="case")

urlpatterns = [
    path("catalogue/leds/", LedMemosView.as_view(), name="catalogue-leds"),
    *router.urls,
]
