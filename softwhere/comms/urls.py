from django.urls import path

from . import views

app_name = "comms"
urlpatterns = [
    path("tickets/<str:reference>/envoyer/", views.send, name="send"),
    path("tickets/<str:reference>/modele/", views.prefill, name="prefill"),
    path("pieces-jointes/<int:pk>/", views.attachment, name="attachment"),
]
