from rest_framework.routers import SimpleRouter

from .views import InteropMessageViewSet, SignalisationViewSet

router = SimpleRouter(trailing_slash=True)
router.register("interop/messages", InteropMessageViewSet, basename="interop-message")
router.register("interop/signalisations", SignalisationViewSet, basename="interop-signalisation")

urlpatterns = router.urls
