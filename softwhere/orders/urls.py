from django.urls import path

from . import views

app_name = "orders"
urlpatterns = [
    path("", views.order_list, name="list"),
    path("nouvelle/", views.order_create, name="create"),
    path("portabilite/devis/", views.portability_quote, name="portability_quote"),
    path("frais/", views.fee_calculator, name="fees"),
    path("commissions/", views.commissions_page, name="commissions"),
    path("<int:pk>/", views.order_detail, name="detail"),
    path("<int:pk>/dossier/", views.order_update, name="update"),
    path("<int:pk>/accuse-reception/", views.order_acknowledge, name="acknowledge"),
    path("<int:pk>/demarrer/", views.order_start, name="start"),
    path("<int:pk>/etapes/<slug:code>/", views.order_step, name="step"),
    path("<int:pk>/contester/", views.order_contest, name="contest"),
]
