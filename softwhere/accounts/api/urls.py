from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import ApiTokenViewSet, MeView

router = SimpleRouter(trailing_slash=True)
router.register("tokens", ApiTokenViewSet, basename="token")

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    *router.urls,
]
