from django.urls import path

from . import views

app_name = "inventory"
urlpatterns = [
    path("", views.equipment_list, name="index"),
    path("equipements/", views.equipment_list, name="equipment_list"),
]
