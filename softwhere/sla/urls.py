from django.urls import path

from . import views

app_name = "sla"

urlpatterns = [
    path("", views.at_risk, name="at-risk"),
    path("depasses/", views.breached, name="breached"),
    path("operateurs/", views.carriers, name="carriers"),
    path("clients/", views.clients, name="clients"),
    path("penalites.csv", views.penalty_report, name="penalty-report"),
]
