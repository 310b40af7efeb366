from rest_framework.routers import SimpleRouter

from .views import CalendarViewSet, CallGroupViewSet, CompanyTelephonyViewSet, LineViewSet

router = SimpleRouter(trailing_slash=True)
router.register("telephony/lines", LineViewSet, basename="telephony-line")
router.register("telephony/call-groups", CallGroupViewSet, basename="telephony-call-group")
router.register("telephony/calendars", CalendarViewSet, basename="telephony-calendar")
router.register("telephony/companies", CompanyTelephonyViewSet, basename="telephony-company")

urlpatterns = router.urls
