from django.urls import path

from .views import ClassifyView

urlpatterns = [path("triage/classify/", ClassifyView.as_view(), name="triage-classify")]
