from rest_framework.routers import SimpleRouter

from .views import ContactViewSet, OrganisationViewSet, SiteViewSet

router = SimpleRouter(trailing_slash=True)
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("sites", SiteViewSet, basename="site")
router.register("contacts", ContactViewSet, basename="contact")

urlpatterns = router.urls
