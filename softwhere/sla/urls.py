from django.urls import path

from . import views

app_name = "sla"

urlpatterns = [
    path("", views.at_risk, name="at-risk"),
    path("depasses/", views.breached, name="breached"),
    path("operateurs/", views.carriers, name="carriers"),
    path("clients/", views.clients, name="clients"),
    path("graphiques/", views.charts, name="charts"),
    path("graphiques/<slug:name>.<slug:fmt>", views.chart_image, name="chart"),
    path("penalites.csv", views.penalty_report, name="penalty-report"),
    path("penalites.pdf", views.penalty_report_pdf_view, name="penalty-report-pdf"),
]
