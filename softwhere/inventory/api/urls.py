from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter(trailing_slash=True)
router.register("services", views.ServiceViewSet, basename="service")
router.register("accesses", views.AccessViewSet, basename="access")
router.register("voice-services", views.VoiceServiceViewSet, basename="voice-service")
router.register("number-ranges", views.NumberRangeViewSet, basename="number-range")
router.register("mobile-lines", views.MobileLineViewSet, basename="mobile-line")
router.register("equipment", views.EquipmentViewSet, basename="equipment")

urlpatterns = router.urls
