from django.urls import path

from . import views

app_name = "interop"
urlpatterns = [
    path("", views.signalisations, name="signalisations"),
    path("signalisations/<int:pk>/", views.signalisation, name="signalisation"),
    path("operateurs/<int:pk>/journal/", views.peer_journal, name="peer_journal"),
    path("messages/<int:pk>/", views.message, name="message"),
]
